import base64
from datetime import date

from odoo import Command

from odoo.addons.school_safety.tests.common import SchoolSafetyCase

PNG = base64.b64encode(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
    )
)


class SafetyInspectionCase(SchoolSafetyCase):
    """The school world of school_safety plus a small checklist and helpers.

    The checklist has four items: a critical fire item needing a photo, a weighted
    electricity item, a canteen item and a dormitory item for boarding schools only
    (school B boards, school A does not).
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.template = cls.env["safety.inspection.template"].create({
            "name": "Test Checklist",
            "pass_score": 80,
            "item_ids": [
                Command.create({
                    "sequence": 1, "category": "fire", "name": "Exits unobstructed",
                    "guidance": "Fire law art. 28", "weight": 4, "is_critical": True,
                    "photo_required": True, "severity": "major",
                }),
                Command.create({
                    "sequence": 2, "category": "electricity", "name": "Distribution boxes locked",
                    "weight": 3,
                }),
                Command.create({
                    "sequence": 3, "category": "canteen", "name": "Food samples kept 48 h",
                    "weight": 3,
                }),
                Command.create({
                    "sequence": 4, "category": "dormitory", "name": "Dormitory exits open at night",
                    "weight": 2, "boarding_only": True,
                }),
            ],
        })
        cls.bureau_officer_employee = cls.env["hr.employee"].create({
            "name": "Bureau Inspector Employee",
            "company_id": cls.bureau.id,
            "safety_position": "bureau",
            "user_id": cls.user_inspector.id,
        })
        cls.bureau.safety_officer_id = cls.bureau_officer_employee

    @classmethod
    def _photo(cls, name="photo.png"):
        return cls.env["ir.attachment"].create({"name": name, "datas": PNG, "mimetype": "image/png"})

    @classmethod
    def _inspection(cls, company=None, **vals):
        return cls.env["safety.inspection"].create(dict({
            "company_id": (company or cls.school_a).id,
            "inspection_type": "special",
            "special_kind": "holiday",
            "template_id": cls.template.id,
            "date": date(2026, 6, 1),
            "inspector_ids": [Command.set(cls.user_inspector.ids)],
        }, **vals))

    @classmethod
    def _hazard(cls, company=None, **vals):
        return cls.env["safety.hazard"].create(dict({
            "company_id": (company or cls.school_a).id,
            "location": "Building 2, east corridor",
            "category": "fire",
            "level": "general",
            "description": "Extinguisher without pressure",
            "found_date": date(2026, 6, 1),
            "found_by_id": cls.user_inspector.id,
        }, **vals))

    @classmethod
    def _six_fixed(cls, deadline=date(2026, 6, 15), **vals):
        return dict({
            "measure": "Replace the extinguisher",
            "requirement": "Extinguishers charged and checked monthly",
            "owner_id": cls.user_staff_a.id,
            "rechecker_id": cls.user_officer_a.id,
            "deadline": deadline,
            "funding_estimated": 300,
        }, **vals)
