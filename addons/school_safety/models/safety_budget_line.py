from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .safety_investment_checks import refuse_duplicates, refuse_negative


class SafetyBudgetLine(models.Model):
    """What a school's budget gives one category of safety investment, and how it is spent."""

    _name = "safety.budget.line"
    _description = "Safety Budget Line"
    _inherit = ["safety.school.record"]
    _order = "budget_id, category_code, id"
    _safety_create_fields = frozenset({"budget_id"})
    # approved budgets change through their revisions, which the server applies
    _safety_locked_server_fields = frozenset({"amount"})

    budget_id = fields.Many2one(
        "safety.budget", string="Safety Budget", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="budget_id.company_id", store=True, index=True, precompute=True, default=None)
    year = fields.Integer(related="budget_id.year", store=True, aggregator=None)
    state = fields.Selection(related="budget_id.state")
    currency_id = fields.Many2one(related="budget_id.currency_id")
    category_id = fields.Many2one(
        "account.analytic.account", required=True, ondelete="restrict", check_company=True,
        domain=lambda self: self.env["account.analytic.plan"]._safety_category_domain(),
    )
    category_code = fields.Char(related="category_id.code", store=True, string="Code")
    amount = fields.Monetary(string="Budget")
    note = fields.Char()
    committed = fields.Monetary(compute="_compute_execution")
    actual = fields.Monetary(compute="_compute_execution", string="Spent")
    actual_fund = fields.Monetary(compute="_compute_execution", string="Spent from Special Funds")
    remaining = fields.Monetary(compute="_compute_execution")
    execution_rate = fields.Float(compute="_compute_execution", string="Execution (%)")

    _sql_constraints = [
        ("category_unique", "unique(budget_id, category_id)", "A budget has one line per category."),
        ("amount_positive", "CHECK(amount >= 0)", "A budget line cannot be negative."),
    ]

    @api.depends("amount", "category_id", "budget_id")
    def _compute_execution(self):
        figures = self.env["safety.investment.execution"]._safety_figures(
            [
                ("company_id", "in", self.company_id.ids),
                ("year", "in", list(set(self.mapped("year")))),
                ("category_id", "in", self.category_id.ids),
            ],
            ["company_id", "year", "category_id"],
        )
        for line in self:
            row = figures.get((line.company_id._origin, line.year, line.category_id._origin), {})
            line.committed = row.get("committed", 0.0)
            line.actual = row.get("actual", 0.0)
            line.actual_fund = row.get("actual_fund", 0.0)
            line.remaining = line.amount - line.committed - line.actual
            line.execution_rate = 100.0 * line.actual / line.amount if line.amount else 0.0

    @api.constrains("amount", "category_id")
    def _check_line(self):
        plan = self.env["account.analytic.plan"]._safety_investment_plan()
        for line in self:
            if line.amount < 0:
                raise ValidationError(
                    self.env._("%(budget)s: the budget of %(category)s cannot be negative.",
                               budget=line.budget_id.display_name, category=line.category_id.display_name)
                )
            if line.category_id.sudo().root_plan_id != plan:
                raise ValidationError(
                    self.env._("%(account)s is not a category of safety investment.",
                               account=line.category_id.display_name)
                )
            same = line.budget_id.line_ids.filtered(lambda other, line=line: other.category_id == line.category_id)
            if len(same) > 1:
                raise ValidationError(self._safety_duplicate_message((line.budget_id.id, line.category_id.id)))

    def _safety_duplicate_message(self, values):
        budget, category = values
        return self.env._(
            "%(budget)s has one line per category: %(category)s is there already.",
            budget=self.env["safety.budget"].sudo().browse(budget).display_name,
            category=self.env["account.analytic.account"].sudo().browse(category).display_name,
        )

    @api.model
    def _safety_check_client_create(self, vals_list):
        budgets = self.env["safety.budget"].browse({vals.get("budget_id") for vals in vals_list} - {None, False})
        for budget in budgets:
            if budget._safety_is_locked():
                raise UserError(budget._safety_locked_message())

    @api.model_create_multi
    def create(self, vals_list):
        refuse_negative(self, vals_list, ["amount"])
        refuse_duplicates(self, vals_list, ("budget_id", "category_id"), self._safety_duplicate_message)
        lines = super().create(vals_list)
        lines._safety_check_open_year()
        return lines

    def write(self, vals):
        self._safety_check_open_year()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_closed_year(self):
        self._safety_check_open_year()

    def _safety_check_open_year(self):
        self.env["safety.budget"]._safety_check_years({(line.company_id, line.year) for line in self.sudo()})

    def _safety_is_locked(self):
        self.ensure_one()
        return self.budget_id._safety_is_locked()

    def _safety_locked_message(self):
        self.ensure_one()
        return self.budget_id._safety_locked_message()

    def _safety_undeletable_message(self):
        self.ensure_one()
        return self.budget_id._safety_locked_message()
