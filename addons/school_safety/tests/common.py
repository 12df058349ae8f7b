from odoo import Command
from odoo.tests import TransactionCase, new_test_user


class SchoolSafetyCase(TransactionCase):
    """A bureau with two schools and one user per role.

    School A and school B each have a principal, a safety officer, a staff member
    and a guard; the bureau has a manager, an inspector and a finance user. Users
    hold only their role's group and only their own school (bureau users: all).
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True, mail_create_nolog=True))
        Company = cls.env["res.company"]
        cls.bureau = Company.create({"name": "Test District Education Bureau", "safety_is_bureau": True})
        cls.school_a, cls.school_b = Company.create([
            {
                "name": "Test Primary School A",
                "parent_id": cls.bureau.id,
                "safety_school_type": "primary",
                "safety_enrollment_day": 850,
            },
            {
                "name": "Test Junior School B",
                "parent_id": cls.bureau.id,
                "safety_school_type": "junior_secondary",
                "safety_enrollment_day": 400,
                "safety_enrollment_boarding": 600,
            },
        ])
        bureau_all = [cls.bureau.id, cls.school_a.id, cls.school_b.id]

        def user(login, group, company, companies=None):
            return new_test_user(
                cls.env,
                login=login,
                groups=f"school_safety.{group}",
                company_id=company.id,
                company_ids=[Command.set(companies or [company.id])],
                context={"mail_create_nolog": True, "no_reset_password": True},
            )

        cls.user_manager = user("t_manager", "group_bureau_manager", cls.bureau, bureau_all)
        cls.user_inspector = user("t_inspector", "group_bureau_inspector", cls.bureau, bureau_all)
        cls.user_finance = user("t_finance", "group_bureau_finance", cls.bureau, bureau_all)
        cls.user_principal_a = user("t_principal_a", "group_school_principal", cls.school_a)
        cls.user_officer_a = user("t_officer_a", "group_school_safety_officer", cls.school_a)
        cls.user_staff_a = user("t_staff_a", "group_school_staff", cls.school_a)
        cls.user_guard_a = user("t_guard_a", "group_security_guard", cls.school_a)
        cls.user_principal_b = user("t_principal_b", "group_school_principal", cls.school_b)

        Employee = cls.env["hr.employee"]
        cls.employee_principal_a, cls.employee_principal_b = Employee.create([
            {
                "name": "Principal A",
                "company_id": cls.school_a.id,
                "safety_position": "principal",
                "user_id": cls.user_principal_a.id,
            },
            {
                "name": "Principal B",
                "company_id": cls.school_b.id,
                "safety_position": "principal",
                "user_id": cls.user_principal_b.id,
            },
        ])
        cls.employee_officer_a, cls.employee_staff_a, cls.employee_guard_a = Employee.create([
            {
                "name": "Safety Officer A",
                "company_id": cls.school_a.id,
                "safety_position": "deputy",
                "parent_id": cls.employee_principal_a.id,
                "user_id": cls.user_officer_a.id,
            },
            {
                "name": "Teacher A",
                "company_id": cls.school_a.id,
                "safety_position": "class_teacher",
                "parent_id": cls.employee_principal_a.id,
                "user_id": cls.user_staff_a.id,
            },
            {
                "name": "Guard A",
                "company_id": cls.school_a.id,
                "safety_position": "guard",
                "parent_id": cls.employee_principal_a.id,
                "user_id": cls.user_guard_a.id,
            },
        ])
        cls.employee_guard_b = Employee.create({
            "name": "Guard B",
            "company_id": cls.school_b.id,
            "safety_position": "guard",
            "parent_id": cls.employee_principal_b.id,
        })
        cls.school_a.write({
            "safety_principal_id": cls.employee_principal_a.id,
            "safety_officer_id": cls.employee_officer_a.id,
        })
        cls.school_b.safety_principal_id = cls.employee_principal_b
