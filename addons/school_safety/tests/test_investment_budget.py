from datetime import date

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged, users
from odoo.tools import mute_logger

from .common_investment import SafetyInvestmentCase


@tagged("post_install", "-at_install")
class TestBudgetApproval(SafetyInvestmentCase):
    """Budgets are approved by the bureau's finance then its manager; after approval they
    change only through revisions, which keep what changed, when, by whom and why."""

    def test_finance_then_manager_approve(self):
        budget = self.budget_a.with_user(self.user_finance)
        budget.action_submit()
        self.assertEqual(budget.state, "submitted")
        reviews = budget.sudo().review_ids.sorted("sequence")
        self.assertEqual(
            reviews.definition_id,
            self.env.ref("school_safety.tier_definition_budget_finance")
            | self.env.ref("school_safety.tier_definition_budget_manager"),
        )
        self.assertEqual(reviews[0].definition_id, self.env.ref("school_safety.tier_definition_budget_finance"))
        # the finance reviewers get an activity (the managers wait for their tier)
        self.assertEqual(budget.sudo().activity_ids.user_id, self.user_finance)
        # the manager cannot skip the finance review by approving their own tier first
        budget.validate_tier()
        self.assertEqual(budget.state, "submitted")
        self.assertEqual(reviews[0].done_by, self.user_finance)
        self.assertEqual(budget.sudo().activity_ids.user_id, self.user_manager | self.user_manager_2)
        with self.assertRaises(UserError):
            budget.validate_tier()  # finance decided its tier: the next one is the manager's
        self.budget_a.with_user(self.user_manager).validate_tier()
        self.assertEqual(budget.state, "approved")
        self.assertTrue(budget.approved_date)
        self.assertEqual(reviews.mapped("status"), ["approved", "approved"])
        self.assertEqual(reviews[1].done_by, self.user_manager)
        self.assertFalse(budget.sudo().activity_ids)

    def test_one_person_decides_one_tier(self):
        """A bureau manager is a finance user too: they may review for finance, never approve
        the same submission again."""
        self.budget_a.with_user(self.user_finance).action_submit()
        self.budget_a.with_user(self.user_manager).validate_tier()
        self.assertEqual(self.budget_a.state, "submitted")
        with self.assertRaises(UserError):
            self.budget_a.with_user(self.user_manager).validate_tier()
        self.budget_a.with_user(self.user_manager_2).validate_tier()
        self.assertEqual(self.budget_a.state, "approved")

    def test_who_cannot_approve(self):
        self.budget_a.with_user(self.user_finance).action_submit()
        for user in (self.user_principal_a, self.user_officer_a, self.user_inspector, self.user_finance_2):
            with self.assertRaises(AccessError, msg=user.login):
                self.budget_a.with_user(user).validate_tier()
            with self.assertRaises(AccessError, msg=user.login):
                self.budget_a.with_user(user).reject_tier()
        # only finance submits
        budget_b = self._budget(self.school_b, guards=1000)
        for user in (self.user_principal_b, self.user_inspector, self.user_finance_2):
            with self.assertRaises(AccessError, msg=user.login):
                budget_b.with_user(user).action_submit()
        self.assertEqual(budget_b.state, "draft")
        # nobody approves by writing the state, even with the context keys that once skipped checks
        for user in (self.user_finance, self.user_manager):
            with self.assertRaises(UserError):
                self.budget_a.with_user(user).with_context(skip_validation_check=True).write({"state": "approved"})
        self.assertEqual(self.budget_a.state, "submitted")

    def test_rejection_returns_to_draft_and_keeps_reviews(self):
        self.budget_a.with_user(self.user_finance).action_submit()
        self.budget_a.with_user(self.user_finance).validate_tier()
        self.budget_a.with_user(self.user_manager).reject_tier()
        self.assertEqual(self.budget_a.state, "draft")
        self.assertFalse(self.budget_a.review_ids)
        kept = self.env["tier.review"].with_context(active_test=False).search(
            [("model", "=", "safety.budget"), ("res_id", "=", self.budget_a.id)]
        )
        self.assertEqual(sorted(kept.mapped("status")), ["approved", "rejected"])
        # corrected and submitted again: new reviews
        self.budget_a.line_ids[0].with_user(self.user_finance).amount = 90000
        self.budget_a.with_user(self.user_finance).action_submit()
        self.assertEqual(len(self.budget_a.review_ids), 2)

    def test_approved_budget_changes_only_through_a_revision(self):
        self._approve(self.budget_a)
        line = self.budget_a.line_ids.filtered(lambda row: row.category_id == self.cat["technical"])
        with self.assertRaises(UserError):
            self.budget_a.sudo().write({"note": "changed by the superuser"})
        for user in (self.user_finance, self.user_manager):
            budget = self.budget_a.with_user(user)
            with self.assertRaises(UserError):
                line.with_user(user).amount = 1
            with self.assertRaises(UserError):
                budget.write({"line_ids": [Command.update(line.id, {"amount": 1})]})
            with self.assertRaises(UserError):
                budget.write({"line_ids": [Command.create({"category_id": self.cat["other"].id, "amount": 5})]})
            with self.assertRaises(UserError):
                self.env["safety.budget.line"].with_user(user).create(
                    {"budget_id": budget.id, "category_id": self.cat["other"].id, "amount": 5}
                )
            with self.assertRaises(UserError):
                line.with_user(user).unlink()
            with self.assertRaises(UserError):
                budget.unlink()
            with self.assertRaises(UserError):
                budget.write({"note": "changed"})
        self.assertEqual(line.amount, 20000)

    def test_revision_keeps_history(self):
        self._approve(self.budget_a)
        action = self.budget_a.with_user(self.user_finance).action_revise()
        revision = self.env["safety.budget.revision"].browse(action["res_id"]).with_user(self.user_finance)
        self.assertEqual(revision.display_name, f"{self.year} {self.school_a.name} R1")
        self.assertEqual(len(revision.line_ids), 4)
        # no reason, no submission
        with self.assertRaises(UserError):
            revision.action_submit()
        technical = revision.line_ids.filtered(lambda row: row.category_id == self.cat["technical"])
        revision.write({
            "reason": "Cameras of the east wall broken",
            "line_ids": [
                Command.update(technical.id, {"amount_after": 28000}),
                Command.create({"category_id": self.cat["insurance"].id, "amount_after": 3000}),
            ],
        })
        # one revision at a time
        with self.assertRaises(ValidationError):
            self.env["safety.budget.revision"].with_user(self.user_finance).create({"budget_id": self.budget_a.id})
        revision.action_submit()
        self.assertEqual(revision.state, "submitted")
        self.assertTrue(revision.submitted_date)
        with self.assertRaises(UserError):
            technical.with_user(self.user_finance).amount_after = 1
        revision.validate_tier()
        technical_line = self.budget_a.line_ids.filtered(lambda row: row.category_id == self.cat["technical"])
        self.assertEqual(technical_line.amount, 20000)
        revision.with_user(self.user_manager).validate_tier()
        self.assertEqual(revision.state, "approved")
        self.assertTrue(revision.applied_date)
        amounts = {line.category_id: line.amount for line in self.budget_a.line_ids}
        self.assertEqual(amounts[self.cat["technical"]], 28000)
        self.assertEqual(amounts[self.cat["insurance"]], 3000)
        self.assertEqual(self.budget_a.amount_total, 146000)
        # what, when, who, why
        self.assertEqual((technical.amount_before, technical.amount_after), (20000, 28000))
        self.assertEqual(revision.difference, 11000)
        self.assertEqual(revision.create_uid, self.user_finance)
        self.assertEqual(revision.sudo().review_ids.done_by, self.user_finance | self.user_manager)
        note = self.budget_a.message_ids.filtered(lambda m: "R1" in (m.body or ""))[:1]
        self.assertIn("Cameras of the east wall broken", note.body)
        self.assertIn(self.cat["technical"].display_name, note.body)
        # the principal reads the history, cannot revise
        history = self.budget_a.with_user(self.user_principal_a).revision_ids
        self.assertEqual(history.mapped("reason"), ["Cameras of the east wall broken"])
        with self.assertRaises(AccessError):
            self.budget_a.with_user(self.user_principal_a).action_revise()
        # the revision is kept
        with self.assertRaises(UserError):
            revision.unlink()

    def test_rejected_revision_changes_nothing(self):
        self._approve(self.budget_a)
        revision = self.env["safety.budget.revision"].browse(
            self.budget_a.with_user(self.user_finance).action_revise()["res_id"]
        ).with_user(self.user_finance)
        revision.write({"reason": "More guards", "line_ids": [
            Command.update(revision.line_ids.filtered(lambda row: row.category_id == self.cat["guards"]).id,
                           {"amount_after": 150000}),
        ]})
        revision.action_submit()
        revision.validate_tier()
        revision.with_user(self.user_manager).reject_tier()
        self.assertEqual(revision.state, "rejected")
        guards_line = self.budget_a.line_ids.filtered(lambda row: row.category_id == self.cat["guards"])
        self.assertEqual(guards_line.amount, 100000)
        # a new revision may follow
        self.assertTrue(self.budget_a.with_user(self.user_finance).action_revise()["res_id"] != revision.id)


@tagged("post_install", "-at_install")
class TestBudgetBadInput(SafetyInvestmentCase):
    """Every bad input is refused with a clear message, and nothing changes."""

    @users("t_finance")
    @mute_logger("odoo.sql_db")
    def test_negative_amounts(self):
        Budget = self.env["safety.budget"]
        with self.assertRefused(ValidationError, "cannot be negative"):
            Budget.create({"company_id": self.school_b.id, "year": self.year, "line_ids": [
                Command.create({"category_id": self.cat["guards"].id, "amount": -5}),
            ]})
        self.assertFalse(Budget.search([("company_id", "=", self.school_b.id)]))
        line = self.budget_a.with_env(self.env).line_ids[0]
        with self.assertRefused(ValidationError, "cannot be negative"):
            line.amount = -1
        self.assertEqual(line.amount, 100000)
        with self.assertRefused(ValidationError, "cannot be negative"):
            self.fund.with_env(self.env).amount = -10
        with self.assertRefused(ValidationError, "cannot be negative"):
            self.fund.with_env(self.env).allocation_ids.amount = -10
        self.assertEqual(self.fund.amount, 100000)

    @users("t_finance")
    def test_duplicate_school_year(self):
        with self.assertRefused(ValidationError, "already has a safety budget"):
            self.env["safety.budget"].create({"company_id": self.school_a.id, "year": self.year})
        with self.assertRefused(ValidationError, "one line per category"):
            self.budget_a.with_env(self.env).write({
                "line_ids": [Command.create({"category_id": self.cat["guards"].id, "amount": 1})],
            })
        self.assertEqual(len(self.budget_a.line_ids), 4)

    @users("t_finance")
    def test_not_a_school_not_a_category(self):
        with self.assertRefused(ValidationError, "is not a school"):
            self.env["safety.budget"].create({"company_id": self.bureau.id, "year": self.year})
        project = self.env["account.analytic.account"].sudo().create({
            "name": "Some project", "plan_id": self.env.ref("analytic.analytic_plan_projects").id,
        })
        with self.assertRefused(ValidationError, "not a category of safety investment"):
            self.budget_a.with_env(self.env).write({
                "line_ids": [Command.create({"category_id": project.id, "amount": 1})],
            })
        with self.assertRefused(ValidationError, "is not a budget year"):
            self.env["safety.budget"].create({"company_id": self.school_b.id, "year": 26})

    def test_closed_year(self):
        last = self.year - 1
        old = self._budget(self.school_b, year=last, guards=5000)
        self._approve(old)
        line = self._spend(self.school_b, "guards", 4000, day=date(last, 6, 1))
        wizard = self.env["safety.investment.year.close"].with_user(self.user_finance).create(
            {"bureau_id": self.bureau.id, "year": last}
        )
        self.assertEqual(wizard.budget_count, 1)
        # a school cannot close the bureau's year, nor another bureau's finance
        for user in (self.user_principal_b, self.user_finance_2):
            with self.assertRaises(AccessError):
                wizard.with_user(user).action_close()
        wizard.action_close()
        self.assertEqual(self.bureau.safety_investment_closed_year, last)
        self.assertEqual(old.state, "closed")
        finance = self.user_finance
        with self.assertRefused(UserError, "is closed for safety investment"):
            self.env["safety.budget.line"].with_user(finance).create(
                {"budget_id": old.id, "category_id": self.cat["other"].id, "amount": 1}
            )
        with self.assertRefused(UserError, "is closed for safety investment"):
            self._spend(self.school_b, "other", 10, day=date(last, 12, 31), env=self.env(user=finance))
        with self.assertRefused(UserError, "is closed for safety investment"):
            line.with_user(finance).safety_spent = 1
        with self.assertRefused(UserError, "is closed for safety investment"):
            line.with_user(finance).unlink()
        with self.assertRefused(UserError, "is closed for safety investment"):
            line.with_user(finance).date = date(self.year, 1, 5)
        with self.assertRefused(UserError, "is closed for safety investment"):
            self.env["safety.budget"].with_user(finance).create({"company_id": self.school_a.id, "year": last})
        with self.assertRefused(UserError, "is closed for safety investment"):
            self.env["safety.fund"].with_user(finance).create({
                "name": "Late fund", "company_id": self.bureau.id, "year": last, "amount": 1,
                "category_ids": [Command.set(self.cat["guards"].ids)],
            })
        self.assertEqual(line.safety_spent, 4000)
        # this year is open; the year before the current one cannot be reopened
        self._spend(self.school_b, "other", 10)
        with self.assertRaises(UserError):
            self.env["safety.investment.year.close"].with_user(finance).create(
                {"bureau_id": self.bureau.id, "year": last}
            ).action_close()
        with self.assertRefused(UserError, "has not ended yet"):
            self.env["safety.investment.year.close"].with_user(finance).create(
                {"bureau_id": self.bureau.id, "year": self.year}
            ).action_close()
        # another bureau's years stay open
        self._spend(self.school_c, "other", 10, day=date(last, 6, 1))

    def test_year_waits_for_approvals(self):
        old = self._budget(self.school_b, year=self.year - 1, guards=5000)
        old.with_user(self.user_finance).action_submit()
        with self.assertRefused(UserError, "still wait"):
            self.env["safety.investment.year.close"].with_user(self.user_finance).create(
                {"bureau_id": self.bureau.id, "year": self.year - 1}
            ).action_close()
        self.assertFalse(self.bureau.safety_investment_closed_year)

    @mute_logger("odoo.sql_db")
    def test_errors_in_chinese(self):
        """Each bad input above is refused in the user's language: the refusal of the suite, in
        Chinese, with the records it is about."""
        if "zh_CN" not in dict(self.env["res.lang"].get_installed()):
            self.skipTest("Chinese is not installed")
        self.env["ir.module.module"]._load_module_terms(["school_safety"], ["zh_CN"])
        self._approve(self.budget_a)
        self.env["safety.investment.year.close"].with_user(self.user_finance).create(
            {"bureau_id": self.bureau.id, "year": self.year - 1}
        ).action_close()
        env = self.env(user=self.user_finance, context={"lang": "zh_CN"})
        fund = self.fund.with_env(env)
        attempts = {
            "is closed for safety investment": (UserError, lambda: self._spend(
                self.school_a, "other", 10, day=date(self.year - 1, 6, 1), env=env)),
            "already has a safety budget": (ValidationError, lambda: env["safety.budget"].create(
                {"company_id": self.school_a.id, "year": self.year})),
            "cannot be negative": (ValidationError, lambda: fund.write({"amount": -10})),
            "cannot exceed it": (ValidationError, lambda: fund.write(
                {"allocation_ids": [Command.create({"company_id": self.school_b.id, "amount": 40001})]})),
            "may not pay for": (ValidationError, lambda: self._spend(
                self.school_a, "guards", 10, fund=self.fund, env=env)),
            "changes only through a revision": (UserError, lambda: self.budget_a.with_env(env).line_ids[0].write(
                {"amount": 1})),
            "allocated to that bureau's schools only": (ValidationError, lambda: fund.write(
                {"allocation_ids": [Command.create({"company_id": self.school_c.id, "amount": 10})]})),
            "has no allocation of": (ValidationError, lambda: self._spend(
                self.school_a, "technical", 10, fund=self.fund_2, env=env)),
        }
        messages = {}
        for english, (exception, attempt) in attempts.items():
            with self.subTest(refusal=english), self.assertRaises(exception) as caught:
                attempt()
            messages[english] = message = str(caught.exception)
            self.assertNotIn(english, message)
            self.assertRegex(message, r"[\u4e00-\u9fff]", message)
        self.assertIn(self.school_a.name, messages["already has a safety budget"])
        self.assertIn(self.fund.name, messages["may not pay for"])
        # nothing changed
        self.assertEqual((self.fund.amount, len(self.fund.allocation_ids)), (100000, 1))
        self.assertEqual(self.budget_a.amount_total, 135000)
