from datetime import timedelta

from odoo import fields
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


@tagged("post_install", "-at_install")
class TestDemoLetters(TransactionCase):
    """The demo's campaign is under way: issued school by school, mostly signed, a few waiting.

    Dates are relative to the day the demo was made (bin/test makes it just before).
    """

    def setUp(self):
        super().setUp()
        self.campaign = self.env.ref("school_safety.safety_letter_campaign_demo", raise_if_not_found=False)
        if not self.campaign:
            self.skipTest("database installed without demo data")
        self.letters = self.env["safety.letter"].search([("campaign_id", "=", self.campaign.id)])
        self.today = fields.Date.today()
        self.now = fields.Datetime.now()

    def _school(self, name):
        return self.env.ref(f"school_safety.school_{name}_demo")

    def _user(self, login):
        return self.env.ref(f"school_safety.user_{login}_demo")

    def test_campaign_generated_and_issued_school_by_school(self):
        self.assertEqual(self.campaign.state, "done")
        self.assertEqual(self.campaign.year, self.today.year)
        self.assertEqual(self.campaign.school_done_count, 4)
        self.assertEqual(len(self.letters), self.campaign.letter_count)
        self.assertFalse(self.letters.filtered(lambda record: record.state == "draft"), "every letter is issued")
        issued = {}
        for letter in self.letters:
            issued.setdefault(letter.company_id, set()).add(letter.issue_date.date())
        self.assertTrue(all(len(days) == 1 for days in issued.values()), "each school issues once")
        day = {school: min(days) for school, days in issued.items()}
        junior, primary = self._school("junior"), self._school("primary")
        # the boarding school first, the primary school last, all of them weeks ago
        self.assertLess(day[junior], day[self._school("kindergarten")])
        self.assertEqual(day[self._school("kindergarten")], day[self._school("senior")])
        self.assertLess(day[self._school("senior")], day[primary])
        self.assertLessEqual(self.today - day[primary], timedelta(days=22))
        self.assertGreaterEqual(self.today - day[primary], timedelta(days=20))
        self.assertGreaterEqual(self.today - day[junior], timedelta(days=39))

    def test_most_signed_at_their_time_and_sealed(self):
        signed = self.letters.filtered(lambda letter: letter.state == "signed")
        waiting = self.letters.filtered(lambda letter: letter.state == "issued")
        self.assertEqual(len(waiting), 4)
        self.assertEqual(len(signed), len(self.letters) - 4)
        for letter in signed:
            self.assertTrue(letter._safety_verify(), letter.name)
            self.assertLess(letter.issue_date, letter.party_a_signed_on)
            self.assertLess(letter.issue_date, letter.party_b_signed_on)
            self.assertLess(letter.signed_date, self.now)
        # signed over the weeks since they were issued, not all on the day the demo was made
        days = {letter.signed_date.date() for letter in signed}
        self.assertGreater(len(days), 10)
        self.assertLess(max(days), self.today)
        # a login signs in the backend, a guardian on the page of the link (with their address)
        principal_letter = signed.filtered(lambda letter: letter.party_b_employee_id.user_id == self._user("principal"))
        self.assertEqual(principal_letter.party_b_signed_by, self._user("principal").name)
        self.assertFalse(principal_letter.party_b_signed_ip)
        guardian_letter = signed.filtered("student_id")[:1]
        self.assertEqual(guardian_letter.party_b_signed_by, guardian_letter.party_b_name)
        self.assertTrue(guardian_letter.party_b_signed_ip)

    def test_one_guardian_overdue_after_a_reminder(self):
        overdue = self.letters.filtered(lambda letter: letter.progress == "overdue")
        self.assertEqual(len(overdue), 1)
        self.assertEqual(overdue.level, "class_teacher_guardian")
        self.assertEqual(overdue.student_id, self.env.ref("school_safety.student_junior_2_3_demo"))
        self.assertEqual(overdue.company_id, self._school("junior"))
        self.assertTrue(overdue.party_a_signed_on, "the class teacher signed")
        self.assertFalse(overdue.party_b_signed_on)
        self.assertLess(overdue.deadline, self.today)
        # reminded by the daily job once the campaign's delay had passed, weeks ago
        self.assertTrue(overdue.reminder_date)
        self.assertGreaterEqual(
            overdue.reminder_date, overdue.issue_date + timedelta(days=self.campaign.reminder_days)
        )
        self.assertLess(overdue.reminder_date.date(), overdue.deadline)
        self.assertTrue(overdue.escalation_date)
        # the others waiting are still in time
        for letter in self.letters.filtered(lambda record: record.state == "issued") - overdue:
            self.assertEqual(letter.progress, "pending", letter.name)
            self.assertGreaterEqual(letter.deadline, self.today)

    def test_each_login_finds_their_letters(self):
        Letter = self.env["safety.letter"]
        staff = self._user("staff")
        # 张伟 has his own letter to sign, and a guardian of his class still to chase
        to_sign = Letter.with_user(staff).search([("campaign_id", "=", self.campaign.id)]).filtered("can_sign_b")
        self.assertEqual(len(to_sign), 1)
        self.assertEqual(to_sign.party_b_employee_id.user_id, staff)
        chase = Letter.with_user(staff).search([
            ("campaign_id", "=", self.campaign.id), ("state", "=", "issued"), ("student_id", "!=", False),
        ])
        self.assertEqual(len(chase), 1)
        self.assertTrue(chase.can_hand_out_link)
        self.assertTrue(chase.reminder_date, "the guardian was reminded by email")
        # each principal finds their school's letters only, and is told about the unsigned ones
        escalation = self.env.ref("school_safety.mail_activity_type_safety_letter_escalation")
        for login, school in (("principal", "primary"), ("principal2", "junior")):
            user = self._user(login)
            letters = Letter.with_user(user).search([("campaign_id", "=", self.campaign.id)])
            self.assertEqual(letters.company_id, self._school(school), login)
            expected = self.letters.filtered(lambda letter, s=school: letter.company_id == self._school(s))
            self.assertEqual(letters, expected)
            self.assertTrue(letters.filtered(lambda letter: letter.state == "issued"), login)
            activities = self.env["mail.activity"].search([
                ("user_id", "=", user.id), ("activity_type_id", "=", escalation.id),
                ("res_model", "=", "safety.letter"),
            ])
            self.assertTrue(activities, login)
        overdue = Letter.with_user(self._user("principal2")).search([("progress", "=", "overdue")])
        self.assertEqual(len(overdue), 1)
        # the bureau follows the campaign of every school
        lines = self.campaign.with_user(self._user("manager")).line_ids
        self.assertEqual(len(lines), 4)
        self.assertEqual(set(lines.mapped("state")), {"done"})
