from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestDemoData(TransactionCase):
    """The demo organisation is complete: a bureau, four schools, staff hierarchy, logins."""

    def setUp(self):
        super().setUp()
        if not self.env.ref("school_safety.school_primary_demo", raise_if_not_found=False):
            self.skipTest("database installed without demo data")

    def test_demo_bureau_and_schools(self):
        bureau = self.env.ref("base.main_company")
        self.assertTrue(bureau.safety_is_bureau)
        schools = self.env["res.company"].search([("safety_bureau_id", "=", bureau.id)])
        self.assertEqual(
            sorted(schools.mapped("safety_school_type")),
            sorted(["kindergarten", "primary", "junior_secondary", "senior_secondary"]),
        )
        junior = self.env.ref("school_safety.school_junior_demo")
        self.assertTrue(junior.safety_is_boarding)
        for school in schools:
            self.assertEqual(school.safety_principal_id.company_id, school)
            self.assertEqual(school.safety_principal_id.safety_position, "principal")
            employees = self.env["hr.employee"].search([("company_id", "=", school.id)])
            positions = set(employees.mapped("safety_position"))
            self.assertTrue({"principal", "deputy", "middle_manager", "class_teacher", "guard"} <= positions)
            # everyone but the principal reports to someone of the same school
            for employee in employees - school.safety_principal_id:
                self.assertEqual(employee.parent_id.company_id, school, employee.name)
        # the primary school is one guard short: 1,650 day students need 4, it has 3
        primary = self.env.ref("school_safety.school_primary_demo")
        self.assertEqual(primary.safety_guards_required, 4)
        self.assertEqual(primary.safety_guard_shortfall, 1)

    def test_demo_logins_one_per_role(self):
        expected = {
            "manager": "group_bureau_manager",
            "inspector": "group_bureau_inspector",
            "finance": "group_bureau_finance",
            "principal": "group_school_principal",
            "officer": "group_school_safety_officer",
            "staff": "group_school_staff",
            "guard": "group_security_guard",
            "principal2": "group_school_principal",
        }
        for login, group in expected.items():
            user = self.env["res.users"].search([("login", "=", login)])
            self.assertTrue(user, login)
            self.assertIn(self.env.ref(f"school_safety.{group}"), user.groups_id, login)
            self.assertTrue(self.env["hr.employee"].search([("user_id", "=", user.id)]), login)
            # the documented password works
            self.env["res.users"].with_user(user)._check_credentials(
                {"type": "password", "password": "safety2026"}, {"interactive": False}
            )
