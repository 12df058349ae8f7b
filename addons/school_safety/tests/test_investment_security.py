from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged, users

from .common_investment import SafetyInvestmentCase

MODELS = (
    "safety.budget", "safety.budget.line", "safety.budget.revision", "safety.budget.revision.line",
    "safety.fund", "safety.fund.allocation", "safety.investment.execution", "account.analytic.line",
)


@tagged("post_install", "-at_install")
class TestInvestmentSecurity(SafetyInvestmentCase):
    """Finance reads and writes every budget and fund of its bureau; the manager approves;
    principals read their school's budget and its execution; safety officers see the execution
    of their school; other roles nothing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._approve(cls.budget_a)
        cls.budget_b = cls._approve(cls._budget(cls.school_b, guards=5000))
        cls.line_a = cls._spend(cls.school_a, "technical", 700, fund=cls.fund)
        cls.line_b = cls._spend(cls.school_b, "guards", 300)

    def _search(self, model):
        return self.env[model].search([])

    @users("t_finance", "t_manager")
    def test_finance_keeps_its_bureau(self):
        self.assertEqual(self._search("safety.budget"), self.budget_a | self.budget_b)
        self.assertEqual(self._search("safety.fund"), self.fund)
        self.assertEqual(self._search("account.analytic.line") & (self.line_a | self.line_b), self.line_a | self.line_b)
        budget = self.env["safety.budget"].create({
            "company_id": self.school_b.id, "year": self.year + 1,
            "line_ids": [Command.create({"category_id": self.cat["fire"].id, "amount": 10})],
        })
        budget.line_ids.amount = 20
        budget.unlink()
        fund = self.env["safety.fund"].create({
            "name": "New fund", "company_id": self.bureau.id, "amount": 10,
            "category_ids": [Command.set(self.cat["fire"].ids)],
        })
        fund.amount = 20
        fund.unlink()
        line = self._spend(self.school_b, "fire", 15, env=self.env)
        line.safety_spent = 16
        line.unlink()
        # the bureau's categories are kept by its managers, not its finance
        if not self.env.user.has_group("school_safety.group_bureau_manager"):
            with self.assertRaises(AccessError):
                self.cat["fire"].with_env(self.env).name = "Fire"

    @users("t_principal_a")
    def test_principal_reads_own_school(self):
        self.assertEqual(self._search("safety.budget"), self.budget_a)
        self.assertEqual(self._search("safety.budget.line"), self.budget_a.line_ids)
        self.assertEqual(self._search("safety.investment.execution").company_id, self.school_a)
        self.assertEqual(self._search("safety.fund"), self.fund)  # allocated to the school
        self.assertEqual(self._search("safety.fund.allocation"), self.fund.allocation_ids)
        self.assertEqual(self._search("account.analytic.line"), self.line_a)
        budget = self.budget_a.with_env(self.env)
        self.assertEqual(budget.actual, 700)
        with self.assertRaises(AccessError):
            self.budget_b.with_env(self.env).read(["amount_total"])
        for attempt in (
            lambda: budget.write({"note": "x"}),
            lambda: budget.line_ids[0].write({"amount": 1}),
            lambda: self.env["safety.budget"].create({"company_id": self.school_a.id, "year": self.year + 1}),
            lambda: budget.unlink(),
            lambda: self.fund.with_env(self.env).write({"amount": 1}),
            lambda: self.fund.allocation_ids.with_env(self.env).write({"amount": 1}),
            lambda: self._spend(self.school_a, "fire", 10, env=self.env),
            lambda: self.line_a.with_env(self.env).write({"name": "x"}),
        ):
            with self.assertRaises(UserError):
                attempt()

    @users("t_officer_a")
    def test_officer_sees_execution_only(self):
        self.assertEqual(self._search("safety.investment.execution").company_id, self.school_a)
        self.assertEqual(self._search("account.analytic.line"), self.line_a)
        for model in ("safety.budget", "safety.budget.line", "safety.budget.revision"):
            with self.assertRaises(AccessError):
                self._search(model)
        with self.assertRaises(AccessError):
            self._spend(self.school_a, "fire", 10, env=self.env)
        self.assertEqual(self.school_a.with_env(self.env).safety_budget_actual, 700)

    @users("t_staff_a", "t_guard_a", "t_inspector")
    def test_other_roles_nothing(self):
        for model in MODELS:
            with self.assertRaises(AccessError, msg=model):
                self._search(model)
        with self.assertRaises(AccessError):
            self.budget_a.with_env(self.env).read(["amount_total"])
        # nor through the school form
        school = self.school_a.with_env(self.env)
        self.assertNotIn("safety_budget_amount", school.fields_get())
        with self.assertRaises(AccessError):
            school.read(["safety_budget_amount"])

    def test_school_accountant_posts_only_what_the_school_may(self):
        """A school user with Odoo's analytic accounting rights posts lines, but never for another
        school, never on a fund not allocated to their school, never as one of the suite's
        records."""
        accountant = new_test_user(
            self.env, login="t_accountant_a",
            groups="school_safety.group_school_safety_officer,analytic.group_analytic_accounting",
            company_id=self.school_a.id, company_ids=[Command.set(self.school_a.ids)],
        )
        env = self.env(user=accountant)
        line = self._spend(self.school_a, "technical", 50, fund=self.fund, env=env)
        self.assertEqual(line.safety_fund_id, self.fund)
        with self.assertRaises(AccessError):
            self._spend(self.school_b, "technical", 50, env=env)
        with self.assertRaises(AccessError):
            self.line_b.with_user(accountant).write({"amount": -1})
        with self.assertRefused(ValidationError, "has no allocation of"):
            self._spend(self.school_a, "technical", 50, fund=self.fund_2, env=env)
        with self.assertRefused(ValidationError, "may not pay for"):
            self._spend(self.school_a, "guards", 50, fund=self.fund, env=env)
        with self.assertRefused(AccessError, "posted by their steps"):
            env["account.analytic.line"].create({
                "name": "forged", "company_id": self.school_a.id, "amount": -5,
                self.category_column: self.cat["repairs"].id,
                "safety_res_model": "safety.budget", "safety_res_id": self.budget_a.id,
            })
        with self.assertRefused(AccessError, "posted by their steps"):
            line.write({"safety_res_model": "safety.budget", "safety_res_id": self.budget_a.id})
        # moving a line to another school
        with self.assertRaises(UserError):
            line.write({"company_id": self.school_b.id})
        self.assertEqual(line.company_id, self.school_a)

    def test_suite_lines_are_kept(self):
        posted = self.env["account.analytic.line"].sudo().create({
            "name": "posted by a step", "company_id": self.school_a.id, "amount": -10,
            "date": fields.Date.today(), self.category_column: self.cat["repairs"].id,
            "safety_res_model": "safety.budget", "safety_res_id": self.budget_a.id,
        })
        for user in (self.user_finance, self.user_manager):
            with self.assertRaises(AccessError):
                posted.with_user(user).write({"amount": -1})
            with self.assertRaises(AccessError):
                posted.with_user(user).unlink()
        self.assertEqual(posted.amount, -10)

    @users("t_manager")
    def test_manager_keeps_the_categories(self):
        category = self.env["account.analytic.account"].create({
            "name": "Psychological Safety", "code": "SI09",
            "plan_id": self.env.ref("school_safety.analytic_plan_safety_investment").id, "company_id": False,
        })
        category.name = "Mental Health and Safety"
        with self.assertRaises(AccessError):
            self.env["account.analytic.account"].create({
                "name": "A project", "plan_id": self.env.ref("analytic.analytic_plan_projects").id,
            })
        with self.assertRaises(AccessError):
            category.plan_id = self.env.ref("analytic.analytic_plan_projects")
