from datetime import date

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from odoo.addons.school_safety.tests.common_investment import SafetyInvestmentCase

from .common import SafetyTrainingCase


@tagged("post_install", "-at_install")
class TestDrillAndTrainingCosts(SafetyTrainingCase, SafetyInvestmentCase):
    """A drill or a training done posts its cost to the school's safety investment."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._approve(cls._budget(cls.school_b, training=5000))

    def _training_line(self):
        self.env.invalidate_all()  # the figures are read from the execution each time
        budget = self.env["safety.budget"].search([("company_id", "=", self.school_b.id), ("year", "=", self.year)])
        return budget.line_ids.filtered(lambda row: row.category_id == self.cat["training"])

    def test_drill_done_posts_its_cost(self):
        day = date(self.year, 1, 1)  # held, whatever day of the year the tests run
        drill = self._drill(self.school_b, date_planned=day, date_actual=f"{day} 02:00:00")
        self.assertEqual(drill.safety_investment_account_id, self.cat["training"])
        drill.with_user(self.user_principal_b).write({"safety_cost": 1200})
        self.assertFalse(self._training_line().actual, "planned: nothing spent yet")
        drill.with_user(self.user_principal_b).action_done()
        line = drill.sudo().safety_analytic_line_ids
        self.assertEqual((line.amount, line.date, line.company_id), (-1200, day, self.school_b))
        self.assertEqual(line[self.category_column], self.cat["training"])
        self.assertEqual((self._training_line().actual, self._training_line().remaining), (1200, 3800))
        # the drill's record, its cost included, is filed
        with self.assertRaises(UserError):
            drill.with_user(self.user_principal_b).write({"safety_cost": 10})
        with self.assertRaises(AccessError):
            line.with_user(self.user_finance).write({"amount": -1})

    def test_training_done_posts_its_cost(self):
        training = self._training(self.school_b, name="Fire brigade visit", date=date(self.year, 1, 1),
                                  safety_cost=800)
        training.with_user(self.user_principal_b).action_done()
        line = training.sudo().safety_analytic_line_ids
        self.assertEqual((line.amount, line.date), (-800, date(self.year, 1, 1)))
        self.assertEqual(self._training_line().actual, 800)

    def test_no_cost_no_line_and_no_negative_cost(self):
        drill = self._done_drill(self.school_b, date(self.year, 1, 1))
        self.assertFalse(drill.sudo().safety_analytic_line_ids)
        with self.assertRefused(ValidationError, "cannot be negative"):
            self._drill(self.school_b, safety_cost=-5)
        with self.assertRefused(ValidationError, "cannot be negative"):
            self._training(self.school_b, safety_cost=-1)

    def test_fund_paying_a_training(self):
        """A fund pays a training only if it permits "training and drills" and the school has an
        allocation of it."""
        training = self._training(self.school_a, self.employee_guard_a, name="Guards' course", safety_cost=500)
        with self.assertRefused(ValidationError, "may not pay for"):
            training.with_user(self.user_officer_a).write({"safety_fund_id": self.fund.id})
        self.assertFalse(training.safety_fund_id)
