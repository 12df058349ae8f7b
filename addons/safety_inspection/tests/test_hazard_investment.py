from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from odoo.addons.school_safety.tests.common_investment import SafetyInvestmentCase
from odoo.addons.school_safety.tests.common_rpc import RpcCase

from .common import SafetyInspectionCase


@tagged("post_install", "-at_install")
class TestHazardInvestment(SafetyInspectionCase, SafetyInvestmentCase):
    """A rectification commits its estimate from the notice, posts its actual cost to the
    school's safety investment when it is closed, and warns whoever accepts it when the estimate
    exceeds what the budget has left."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._approve(cls.budget_a)  # guards 100000, technical 20000, fire 5000, repairs 10000

    def _notified(self, hazard, **six_fixed):
        officer = hazard.with_user(self.user_officer_a)
        officer.write(self._six_fixed(**six_fixed))
        officer.action_issue_notice()
        return hazard

    def _rectified(self, hazard, actual=280):
        owner = hazard.with_user(self.user_staff_a)
        owner.action_start_rectification()
        owner.write({
            "rectification_description": "Replaced and signed",
            "photo_after_ids": [Command.set(self._photo("after.png").ids)],
            "funding_actual": actual,
        })
        owner.action_submit()
        return hazard

    def _line(self, category):
        self.env.invalidate_all()  # the figures are read from the execution each time
        return self.budget_a.line_ids.filtered(lambda row: row.category_id == self.cat[category])

    def test_closed_rectification_posts_its_cost(self):
        hazard = self._hazard()
        self.assertEqual(hazard.safety_investment_account_id, self.cat["fire"])
        self.assertFalse(self._line("fire").committed, "registered: nothing decided yet")
        self._notified(hazard)
        self.assertEqual((self._line("fire").committed, self._line("fire").remaining), (300, 4700))
        self._rectified(hazard)
        hazard.with_user(self.user_principal_a).validate_tier()
        self.assertEqual(hazard.state, "closed")
        line = hazard.sudo().safety_analytic_line_ids
        self.assertEqual(len(line), 1)
        self.assertEqual((line.amount, line.company_id, line.date), (-280, self.school_a, hazard.closed_date))
        self.assertEqual(line[self.category_column], self.cat["fire"])
        self.assertFalse(line[self.fund_column])
        self.assertEqual((line.safety_res_model, line.safety_res_id), ("safety.hazard", hazard.id))
        self.assertEqual(line.user_id, self.user_principal_a)
        fire = self._line("fire")
        self.assertEqual((fire.committed, fire.actual, fire.remaining), (0, 280, 4720))
        # the posted cost is the hazard's record: nobody changes or removes it
        for user in (self.user_finance, self.user_manager):
            with self.assertRaises(AccessError):
                line.with_user(user).write({"amount": -1})
            with self.assertRaises(AccessError):
                line.with_user(user).unlink()
        self.assertEqual(line.amount, -280)

    def test_category_and_fund_decided_with_the_six_fixed(self):
        gate = self._hazard(category="gate")
        camera = self._hazard(category="surveillance")
        socket = self._hazard(category="electricity")
        self.assertEqual(
            (gate | camera | socket).mapped("safety_investment_account_id"),
            self.cat["physical"] | self.cat["technical"] | self.cat["repairs"],
        )
        # staff report hazards, the school's supervisors decide what pays
        with self.assertRaises(AccessError):
            camera.with_user(self.user_staff_a).write({"safety_fund_id": self.fund.id})
        with self.assertRaises(AccessError):
            self.env["safety.hazard"].with_user(self.user_staff_a).create({
                "company_id": self.school_a.id, "location": "Gate", "category": "gate",
                "description": "Broken bollard", "safety_investment_account_id": self.cat["other"].id,
            })
        camera.with_user(self.user_officer_a).write({"safety_fund_id": self.fund.id})
        # a fund pays its categories, for the schools it was allocated to
        with self.assertRefused(ValidationError, "may not pay for"):
            socket.with_user(self.user_officer_a).write({"safety_fund_id": self.fund.id})
        school_b_hazard = self._hazard(self.school_b, category="surveillance")
        with self.assertRaises(ValidationError):
            school_b_hazard.with_user(self.user_principal_b).write({"safety_fund_id": self.fund.id})
        self._notified(camera, funding_estimated=1500)
        self.assertEqual(self._line("technical").committed, 1500)
        self.assertEqual(self.fund.committed, 1500)
        self._rectified(camera, actual=1400)
        camera.with_user(self.user_principal_a).validate_tier()
        line = camera.sudo().safety_analytic_line_ids
        self.assertEqual(line[self.fund_column], self.fund.analytic_account_id)
        self.assertEqual(self._line("technical").actual_fund, 1400)
        self.assertEqual((self.fund.committed, self.fund.actual), (0, 1400))

    def test_estimate_over_the_budget_left_warns_the_approver(self):
        self._spend(self.school_a, "fire", 4800)
        hazard = self._notified(self._hazard(), funding_estimated=300)
        # what remains (200) is less than the estimate: the form says so to who decides
        self.assertIn("exceeds what remains", hazard.with_user(self.user_officer_a).safety_budget_warning)
        self.assertIn("200", hazard.safety_budget_warning)
        self._rectified(hazard)
        activity = hazard.activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref("safety_inspection.mail_activity_type_hazard_over_budget")
        )
        self.assertEqual(activity.user_id, self.user_principal_a)
        self.assertIn("exceeds what remains", activity.summary)
        self.assertTrue(hazard.message_ids.filtered(lambda m: "exceeds what remains" in (m.body or "")))
        # within the budget: no warning
        small = self._notified(self._hazard(location="Canteen", category="electricity"), funding_estimated=100)
        self.assertFalse(small.safety_budget_warning)
        self._rectified(small, actual=90)
        self.assertFalse(small.activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref("safety_inspection.mail_activity_type_hazard_over_budget")
        ))

    def test_no_budget_warns_too(self):
        hazard = self._hazard(self.school_b, category="gate")
        hazard.with_user(self.user_principal_b).write(self._six_fixed(
            owner_id=self.user_principal_b.id, rechecker_id=self.user_principal_b.id, funding_estimated=50,
        ))
        hazard.with_user(self.user_principal_b).action_issue_notice()
        self.assertIn("exceeds what remains", hazard.safety_budget_warning)


@tagged("post_install", "-at_install")
class TestHazardInvestmentRpc(RpcCase, SafetyInspectionCase, SafetyInvestmentCase):
    """What a rectification's money tells, over JSON-RPC as each role: the budget left is for who
    decides or sees the money; the server's own money steps cannot be called by a client."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._approve(cls.budget_a)

    def test_budget_left_is_not_for_every_reader_of_the_hazard(self):
        self._spend(self.school_a, "fire", 4800)
        hazard = self._hazard()
        officer = hazard.with_user(self.user_officer_a)
        officer.write(self._six_fixed(funding_estimated=300))
        officer.action_issue_notice()
        # the owner (staff) reads the hazard, not what the school's budget has left
        self.assertAllowed("t_staff_a", "safety.hazard", "read", [hazard.ids, ["name"]])
        self.assertRefused("t_staff_a", "safety.hazard", "read", [hazard.ids, ["safety_budget_warning"]])
        self.assertRefused("t_staff_a", "safety.hazard", "web_read", [hazard.ids],
                           {"specification": {"safety_budget_warning": {}}})
        [row] = self.assertAllowed("t_officer_a", "safety.hazard", "read", [hazard.ids, ["safety_budget_warning"]])
        self.assertIn("exceeds what remains", row["safety_budget_warning"])
        # the job's and the posting's steps are the server's, whatever the caller puts in the call
        for method in ("_cron_check_overdue", "_safety_post_rectification_costs", "_safety_file_hazards"):
            self.assertRefused("t_officer_a", "safety.hazard", method, [hazard.ids])
        self.assertFalse(hazard.sudo().safety_analytic_line_ids)
        # acceptance, whose warning reads the budget as the server, is asked only of a submitted
        # rectification, and only of the caller's own school
        self.assertRefused("t_staff_a", "safety.hazard", "request_validation", [hazard.ids])
        self.assertRefused("t_principal_b", "safety.hazard", "request_validation", [hazard.ids])
        self.assertFalse(hazard.sudo().review_ids)
