"""Safety money attacked over JSON-RPC as each role, with the context keys that once skipped
checks: nothing is approved, changed or charged that the steps did not decide."""

from odoo import Command, fields
from odoo.tests import new_test_user, tagged

from .common_investment import SafetyInvestmentCase
from .common_rpc import RpcCase

BUDGET_FIELDS = ["state", "approved_date", "note", "company_id", "year"]
LINE_FIELDS = ["amount", "category_id", "budget_id"]


@tagged("post_install", "-at_install")
class TestInvestmentTrust(RpcCase, SafetyInvestmentCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.approved = cls._approve(cls._budget(cls.school_b, guards=5000, fire=1000))
        cls.accountant = new_test_user(
            cls.env, login="t_accountant_a",
            groups="school_safety.group_school_safety_officer,analytic.group_analytic_accounting",
            company_id=cls.school_a.id, company_ids=[Command.set(cls.school_a.ids)],
        )

    def _line_vals(self, school, category, fund=None, **vals):
        values = {
            "name": "attack", "company_id": school.id, "amount": -100,
            "date": fields.Date.to_string(fields.Date.today()),
            self.category_column: self.cat[category].id,
        }
        if fund:
            values[self.fund_column] = fund.analytic_account_id.id
        values.update(vals)
        return values

    def test_approvals_cannot_be_forged(self):
        self.budget_a.with_user(self.user_finance).action_submit()
        budget = self.budget_a
        snapshot = budget.sudo().read(BUDGET_FIELDS)
        reviews = budget.sudo().review_ids
        review_snapshot = reviews.read(["status", "done_by", "reviewed_date"])
        for login in ("t_finance", "t_manager", "t_principal_a"):
            self.assertRefused(login, "safety.budget", "write", [budget.ids, {"state": "approved"}])
            self.assertRefused(login, "tier.review", "write", [reviews.ids, {"status": "approved"}])
            self.assertRefused(login, "safety.budget", "_validate_tier", [budget.ids])
            self.assertRefused(login, "safety.budget", "_safety_approve", [budget.ids])
        # the manager cannot approve before finance reviewed, then not twice
        self.assertRefused("t_principal_a", "safety.budget", "validate_tier", [budget.ids])
        self.assertRefused("t_finance_2", "safety.budget", "validate_tier", [budget.ids])
        self.assertRefused("t_inspector", "safety.budget", "validate_tier", [budget.ids])
        self.assertRefused("t_principal_a", "safety.budget", "restart_validation", [budget.ids])
        self.assertUnchanged(budget, snapshot)
        self.assertEqual(reviews.read(["status", "done_by", "reviewed_date"]), review_snapshot)
        self.assertAllowed("t_manager", "safety.budget", "validate_tier", [budget.ids], context=dict(
            skip_validation_check=True, skip_check_state_condition=True,
        ))
        self.assertRefused("t_manager", "safety.budget", "validate_tier", [budget.ids])
        self.assertEqual(budget.state, "submitted")
        self.assertAllowed("t_manager_2", "safety.budget", "validate_tier", [budget.ids])
        self.assertEqual(budget.state, "approved")

    def test_approved_budget_is_locked(self):
        budget = self.approved
        line = budget.line_ids[0]
        snapshot = budget.sudo().read(BUDGET_FIELDS)
        line_snapshot = line.sudo().read(LINE_FIELDS)
        for login in ("t_finance", "t_manager"):
            self.assertRefused(login, "safety.budget.line", "write", [line.ids, {"amount": 1}])
            self.assertRefused(login, "safety.budget", "write", [budget.ids, {
                "line_ids": [Command.update(line.id, {"amount": 1})]
            }])
            self.assertRefused(login, "safety.budget.line", "create", [{
                "budget_id": budget.id, "category_id": self.cat["other"].id, "amount": 1,
            }])
            self.assertRefused(login, "safety.budget.line", "unlink", [line.ids])
            self.assertRefused(login, "safety.budget", "unlink", [budget.ids])
            self.assertRefused(login, "safety.budget", "write", [budget.ids, {"state": "draft"}])
            self.assertRefused(login, "safety.budget", "write", [budget.ids, {"company_id": self.school_a.id}])
        self.assertRefused("t_principal_b", "safety.budget", "action_revise", [budget.ids])
        self.assertUnchanged(budget, snapshot)
        self.assertUnchanged(line, line_snapshot)

    def test_other_bureau_and_schools(self):
        fund_snapshot = self.fund.sudo().read(["amount", "category_ids", "year"])
        self.assertRefused("t_finance_2", "safety.fund", "read", [self.fund.ids, ["amount"]])
        self.assertRefused("t_finance_2", "safety.fund", "write", [self.fund.ids, {"amount": 1}])
        self.assertRefused("t_finance_2", "safety.fund.allocation", "create", [{
            "fund_id": self.fund.id, "company_id": self.school_c.id, "amount": 10,
        }])
        self.assertRefused("t_finance_2", "safety.budget", "read", [self.budget_a.ids, ["state"]])
        self.assertRefused("t_finance_2", "safety.budget", "create", [{"company_id": self.school_a.id}])
        self.assertRefused("t_finance", "safety.fund.allocation", "create", [{
            "fund_id": self.fund.id, "company_id": self.school_c.id, "amount": 10,
        }])
        self.assertRefused("t_finance", "safety.fund", "write", [self.fund.ids, {"amount": 1}])  # below allocations
        self.assertRefused("t_principal_a", "safety.fund", "write", [self.fund.ids, {"amount": 1000000}])
        self.assertRefused("t_principal_a", "safety.investment.year.close", "create", [{
            "bureau_id": self.bureau.id, "year": self.year - 1,
        }])
        self.assertUnchanged(self.fund, fund_snapshot)
        self.assertEqual(len(self.fund.allocation_ids), 1)

    def test_lines_of_another_school_or_fund(self):
        Line = self.env["account.analytic.line"]
        count = Line.search_count([])
        attacks = [
            ("t_officer_a", self._line_vals(self.school_a, "technical")),
            ("t_principal_a", self._line_vals(self.school_a, "technical")),
            ("t_accountant_a", self._line_vals(self.school_b, "technical")),
            ("t_accountant_a", self._line_vals(self.school_a, "technical", fund=self.fund_2)),
            ("t_accountant_a", self._line_vals(self.school_a, "guards", fund=self.fund)),
            ("t_accountant_a", self._line_vals(self.school_a, "technical", safety_res_model="safety.budget",
                                               safety_res_id=self.budget_a.id)),
            ("t_finance", self._line_vals(self.school_c, "technical")),
            ("t_finance", self._line_vals(self.school_b, "technical", fund=self.fund)),
            ("t_finance_2", self._line_vals(self.school_c, "technical", fund=self.fund)),
        ]
        for login, vals in attacks:
            self.assertRefused(login, "account.analytic.line", "create", [vals])
        self.assertEqual(Line.search_count([]), count)
        # through the names the views use as well
        self.assertRefused("t_accountant_a", "account.analytic.line", "create", [{
            "name": "attack", "company_id": self.school_a.id, "safety_category_id": self.cat["guards"].id,
            "safety_fund_id": self.fund.id, "safety_spent": 100,
        }])
        line = self._spend(self.school_a, "technical", 100, fund=self.fund)
        snapshot = line.read(["amount", "company_id", self.category_column, self.fund_column])
        self.assertRefused("t_accountant_a", "account.analytic.line", "write", [line.ids, {
            "company_id": self.school_b.id,
        }])
        self.assertRefused("t_accountant_a", "account.analytic.line", "write", [line.ids, {
            self.category_column: self.cat["guards"].id,
        }])
        self.assertRefused("t_officer_a", "account.analytic.line", "write", [line.ids, {"amount": -1}])
        self.assertUnchanged(line, snapshot)
        self.assertAllowed("t_accountant_a", "account.analytic.line", "write", [line.ids, {"amount": -150}])

    def test_revisions_cannot_be_forged(self):
        """A revision changes the approved budget only once finance then the manager approved
        it, whoever calls what with which context."""
        budget = self.approved
        guards = budget.line_ids.filtered(lambda row: row.category_id == self.cat["guards"])
        budget_snapshot = budget.sudo().read(BUDGET_FIELDS)
        lines_snapshot = budget.line_ids.sudo().read(LINE_FIELDS)
        # finance prepares it (the bureau manager holds finance's rights too), nobody else
        for login in ("t_principal_b", "t_finance_2", "t_officer_a", "t_inspector"):
            self.assertRefused(login, "safety.budget", "action_revise", [budget.ids])
        action = self.assertAllowed("t_finance", "safety.budget", "action_revise", [budget.ids])
        revision = self.env["safety.budget.revision"].browse(action["res_id"])
        change = revision.line_ids.filtered(lambda row: row.category_id == self.cat["guards"])
        self.assertEqual((change.amount_before, change.amount_after), (5000, 5000))
        # only finance prepares it, and never its server fields
        self.assertRefused("t_principal_b", "safety.budget.revision", "write", [revision.ids, {"reason": "x"}])
        self.assertRefused("t_finance_2", "safety.budget.revision", "write", [revision.ids, {"reason": "x"}])
        for values in ({"state": "approved"}, {"applied_date": "2020-01-01 00:00:00"},
                       {"budget_id": self.budget_a.id}):
            self.assertRefused("t_finance", "safety.budget.revision", "write", [revision.ids, values])
        self.assertRefused("t_finance", "safety.budget.revision.line", "write", [change.ids, {"amount_before": 1}])
        self.assertRefused("t_finance", "safety.budget.revision.line", "write", [change.ids, {"amount_after": -1}])
        self.assertAllowed("t_finance", "safety.budget.revision", "write", [revision.ids, {
            "reason": "Two more guards at the gate",
            "line_ids": [Command.update(change.id, {"amount_after": 8000})],
        }])
        self.assertRefused("t_principal_b", "safety.budget.revision", "action_submit", [revision.ids])
        self.assertAllowed("t_finance", "safety.budget.revision", "action_submit", [revision.ids])
        self.assertEqual(revision.state, "submitted")
        revision_snapshot = revision.sudo().read(["state", "reason", "applied_date"])
        self.assertRefused("t_finance", "safety.budget.revision.line", "write", [change.ids, {"amount_after": 9000}])
        self.assertRefused("t_finance", "safety.budget.revision", "unlink", [revision.ids])
        for login in ("t_finance", "t_manager"):
            self.assertRefused(login, "safety.budget.revision", "_safety_approve", [revision.ids])
            self.assertRefused(login, "safety.budget.revision", "_validate_tier", [revision.ids])
            self.assertRefused(login, "safety.budget.revision", "write", [revision.ids, {"state": "approved"}])
            self.assertRefused(login, "tier.review", "write", [revision.sudo().review_ids.ids, {"status": "approved"}])
        # only the bureau's finance then its manager decide
        for login in ("t_principal_b", "t_finance_2", "t_inspector"):
            self.assertRefused(login, "safety.budget.revision", "validate_tier", [revision.ids])
            self.assertRefused(login, "safety.budget.revision", "reject_tier", [revision.ids])
        self.assertUnchanged(revision, revision_snapshot)
        self.assertUnchanged(budget, budget_snapshot)
        self.assertUnchanged(budget.line_ids, lines_snapshot)
        self.assertAllowed("t_finance", "safety.budget.revision", "validate_tier", [revision.ids])
        self.assertEqual(guards.amount, 5000, "applied only once fully approved")
        # one person decides one tier: the manager's is not finance's
        self.assertRefused("t_finance", "safety.budget.revision", "validate_tier", [revision.ids])
        self.assertEqual(revision.state, "submitted")
        self.assertAllowed("t_manager", "safety.budget.revision", "validate_tier", [revision.ids])
        self.assertEqual((revision.state, guards.amount), ("approved", 8000))
        # applied, it is the budget's history
        self.assertRefused("t_finance", "safety.budget.revision.line", "write", [change.ids, {"amount_after": 1}])
        self.assertRefused("t_manager", "safety.budget.revision", "unlink", [revision.ids])
        self.assertEqual((change.amount_before, change.amount_after), (5000, 8000))

    def test_each_role_reads_its_own_figures(self):
        """Over RPC, with the companies the client claims: a school's people read their school's
        execution (the officer nothing but it), another bureau's finance none of this bureau's,
        staff nothing at all."""
        self._spend(self.school_a, "technical", 700, fund=self.fund)
        self._spend(self.school_b, "guards", 300)
        claimed = dict(allowed_company_ids=[self.school_a.id, self.school_b.id, self.bureau.id, self.school_c.id])
        measures = ["budget:sum", "actual:sum", "remaining:sum"]

        # a user's claim beyond their companies is refused outright, or narrowed to them
        for login, school in (("t_principal_a", self.school_a), ("t_officer_a", self.school_a),
                              ("t_principal_b", self.school_b)):
            body = self.call_kw(login, "safety.investment.execution", "read_group", [], {
                "domain": [], "fields": measures, "groupby": ["company_id"], "lazy": False,
            }, context=claimed)
            if "error" not in body:
                self.assertEqual({group["company_id"][0] for group in body["result"]}, {school.id}, login)
            body = self.call_kw(login, "safety.investment.execution", "read_group", [], {
                "domain": [], "fields": measures, "groupby": ["company_id"], "lazy": False,
            })
            self.assertEqual({group["company_id"][0] for group in body["result"]}, {school.id}, login)
        groups = self.assertAllowed("t_finance", "safety.investment.execution", "read_group", [], {
            "domain": [], "fields": measures, "groupby": ["company_id"], "lazy": False,
        }, context=dict(allowed_company_ids=[self.bureau.id, self.school_a.id, self.school_b.id]))
        self.assertEqual({group["company_id"][0] for group in groups}, {self.school_a.id, self.school_b.id})
        self.assertFalse(self.assertAllowed("t_finance_2", "safety.investment.execution", "search_read", [], {
            "domain": [("company_id", "in", [self.school_a.id, self.school_b.id])], "fields": ["actual"],
        }))
        for login in ("t_staff_a", "t_guard_a", "t_inspector"):
            self.assertRefused(login, "safety.investment.execution", "read_group", [], {
                "domain": [], "fields": measures, "groupby": ["company_id"],
            })
        # the budget itself: its school's principal reads it, the officer and another school do not
        self.assertAllowed("t_principal_b", "safety.budget", "read", [self.approved.ids, ["amount_total"]])
        for login in ("t_officer_a", "t_principal_a", "t_staff_a", "t_finance_2"):
            self.assertRefused(login, "safety.budget", "read", [self.approved.ids, ["amount_total", "actual"]])
            self.assertRefused(login, "safety.budget.line", "read", [self.approved.line_ids.ids, ["amount"]])
        # nor through the school form's figures
        for login in ("t_staff_a", "t_inspector"):
            self.assertRefused(login, "res.company", "read", [self.school_a.ids, ["safety_budget_amount"]])

    def test_excel_file_per_role(self):
        """The Excel file of a budget is given to whoever reads the budget, never of another
        school or bureau."""
        url = f"/report/xlsx/school_safety.safety_investment_execution_xlsx/{self.approved.id}"
        for login, allowed in (("t_finance", True), ("t_principal_b", True), ("t_manager", True),
                               ("t_principal_a", False), ("t_officer_a", False), ("t_finance_2", False),
                               ("t_staff_a", False)):
            self.authenticate(login, login)
            self._rpc_login = login
            response = self.url_open(url)
            is_file = response.status_code == 200 and response.content[:2] == b"PK"
            self.assertEqual(is_file, allowed, f"{login}: {response.status_code} {response.content[:200]!r}")
