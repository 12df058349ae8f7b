from odoo.exceptions import AccessError
from odoo.tests import Form, tagged, users

from .common import SafetyInspectionCase


@tagged("post_install", "-at_install")
class TestHazardSecurity(SafetyInspectionCase):
    """Who sees and changes which hazards."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.owned_a = cls._hazard(owner_id=cls.user_staff_a.id, location="Owned by staff")
        cls.other_a = cls._hazard(location="Someone else's")
        cls.hazard_b = cls._hazard(cls.school_b, location="School B gate")
        cls.all_hazards = cls.owned_a | cls.other_a | cls.hazard_b

    def _visible(self):
        return self.env["safety.hazard"].search([("id", "in", self.all_hazards.ids)])

    @users("t_staff_a")
    def test_staff_sees_only_hazards_assigned_to_them(self):
        self.assertEqual(self._visible(), self.owned_a)
        self.owned_a.with_env(self.env).rectification_description = "Fixed it"
        with self.assertRaises(AccessError):  # the measure is the school's to decide
            self.owned_a.with_env(self.env).measure = "Fix it later"
        with self.assertRaises(AccessError):
            self.other_a.with_env(self.env).read(["location"])
        with self.assertRaises(AccessError):
            self.owned_a.with_env(self.env).unlink()

    @users("t_staff_a")
    def test_staff_reports_a_hazard(self):
        hazard = self.env["safety.hazard"].create({
            "company_id": self.school_a.id, "location": "Stairs", "category": "building",
            "description": "Loose railing",
        })
        self.assertEqual(hazard.found_by_id, self.env.user)
        self.assertEqual(hazard.source, "staff_report")
        self.assertIn(hazard, self.env["safety.hazard"].search([]))
        with self.assertRaises(AccessError):
            self.env["safety.hazard"].create({
                "company_id": self.school_b.id, "location": "x", "category": "fire", "description": "x",
            })

    @users("t_officer_a", "t_principal_a")
    def test_school_sees_own_school_only(self):
        self.assertEqual(self._visible(), self.owned_a | self.other_a)
        with self.assertRaises(AccessError):
            self.hazard_b.with_env(self.env).read(["location"])
        with self.assertRaises(AccessError):
            self.hazard_b.with_env(self.env).write({"measure": "x"})

    @users("t_principal_b")
    def test_school_b_never_sees_school_a(self):
        self.assertEqual(self._visible(), self.hazard_b)

    @users("t_inspector", "t_manager", "t_finance")
    def test_bureau_sees_all(self):
        self.assertEqual(self._visible(), self.all_hazards)

    @users("t_finance")
    def test_finance_reads_only(self):
        with self.assertRaises(AccessError):
            self.other_a.with_env(self.env).write({"measure": "x"})

    @users("t_manager")
    def test_manager_deletes_only_registered(self):
        self.other_a.with_env(self.env).unlink()
        self.assertFalse(self.other_a.exists())

    @users("t_inspector")
    def test_inspector_cannot_delete(self):
        with self.assertRaises(AccessError):
            self.other_a.with_env(self.env).unlink()

    @users("t_staff_a")
    def test_extension_visibility(self):
        Extension = self.env["safety.hazard.extension"].sudo()
        self.owned_a.sudo().write(self._six_fixed())
        mine, other = Extension.create([
            {"hazard_id": self.owned_a.id, "new_deadline": "2026-07-01", "reason": "Parts"},
            {"hazard_id": self.owned_a.id, "new_deadline": "2026-07-02", "reason": "Other",
             "requested_by_id": self.user_officer_a.id},
        ])
        visible = self.env["safety.hazard.extension"].search([("id", "in", (mine | other).ids)])
        self.assertEqual(visible, mine | other, "both concern the hazard the staff owns")
        self.owned_a.sudo().owner_id = self.user_guard_a
        visible = self.env["safety.hazard.extension"].search([("id", "in", (mine | other).ids)])
        self.assertEqual(mine.requested_by_id, self.env.user)
        self.assertEqual(visible, mine, "no longer the owner: only the request they made")

    @users("t_staff_a")
    def test_staff_reports_through_the_form(self):
        with Form(self.env["safety.hazard"]) as form:
            form.location = "Library stairs"
            form.category = "building"
            form.description = "Loose handrail"
        hazard = form.record
        self.assertEqual(hazard.company_id, self.school_a)
        self.assertEqual(hazard.state, "registered")
        self.assertTrue(hazard.name.startswith("YH"))
        arch = self.env["safety.hazard"].get_view(view_type="form")["arch"]
        arch = arch.decode() if isinstance(arch, bytes) else arch
        self.assertIn("validate_tier", arch, "acceptance buttons of the tiers are in the form")
