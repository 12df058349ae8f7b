import base64

from odoo.tests import new_test_user

from .common import SchoolSafetyCase

# a 1x1 transparent PNG: what the signature widget sends, base64-encoded
SIGNATURE = base64.b64encode(
    base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
    )
)


class SafetyLetterCase(SchoolSafetyCase):
    """The common world plus what the letter chain needs.

    School A: principal -> deputy (officer A) -> office head -> logistics worker (no user);
    teacher A (class teacher) and guard A report to the principal; teacher A has two
    students with guardians. School B: principal B and guard B. The bureau signatory is
    the bureau manager's employee.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Employee = cls.env["hr.employee"]
        cls.employee_bureau = Employee.create({
            "name": "Bureau Head",
            "company_id": cls.bureau.id,
            "safety_position": "bureau",
            "user_id": cls.user_manager.id,
        })
        cls.employee_head_a = Employee.create({
            "name": "Office Head A",
            "company_id": cls.school_a.id,
            "safety_position": "middle_manager",
            "parent_id": cls.employee_officer_a.id,
        })
        cls.employee_logistics_a = Employee.create({
            "name": "Cook A",
            "company_id": cls.school_a.id,
            "safety_position": "logistics",
            "parent_id": cls.employee_head_a.id,
        })
        cls.guardian_1, cls.guardian_2 = cls.env["res.partner"].create([
            {"name": "Guardian One", "email": "guardian1@example.com", "phone": "13800000001"},
            {"name": "Guardian Two", "phone": "13800000002"},
        ])
        cls.student_1, cls.student_2 = cls.env["safety.student"].create([
            {
                "name": "Student One",
                "company_id": cls.school_a.id,
                "class_name": "Class 3-1",
                "class_teacher_id": cls.employee_staff_a.id,
                "guardian_id": cls.guardian_1.id,
            },
            {
                "name": "Student Two",
                "company_id": cls.school_a.id,
                "class_name": "Class 3-1",
                "class_teacher_id": cls.employee_staff_a.id,
                "guardian_id": cls.guardian_2.id,
            },
        ])
        cls.campaign = cls.env["safety.letter.campaign"].create({
            "name": "Test campaign",
            "bureau_id": cls.bureau.id,
            "bureau_signatory_id": cls.employee_bureau.id,
            "lang": "en_US",
        })

    @classmethod
    def _letter(cls, employee=None, student=None, campaign=None):
        domain = [("campaign_id", "=", (campaign or cls.campaign).id)]
        if employee:
            domain.append(("party_b_employee_id", "=", employee.id))
        if student:
            domain.append(("student_id", "=", student.id))
        return cls.env["safety.letter"].sudo().search(domain)

    @classmethod
    def _new_user(cls, login, group, company):
        return new_test_user(
            cls.env,
            login=login,
            groups=f"school_safety.{group}",
            company_id=company.id,
            company_ids=[(6, 0, [company.id])],
            context={"mail_create_nolog": True, "no_reset_password": True},
        )
