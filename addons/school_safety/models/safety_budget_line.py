from odoo import api, fields, models


class SafetyBudgetLine(models.Model):
    """What a school's budget gives one category of safety investment, and how it is spent."""

    _name = "safety.budget.line"
    _description = "Safety Budget Line"
    _inherit = ["safety.investment.category.line"]
    _order = "budget_id, category_code, id"
    _safety_parent_field = "budget_id"
    _safety_amount_field = "amount"
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

    def _safety_duplicate_message(self, values):
        budget, category = values
        return self.env._(
            "%(budget)s has one line per category: %(category)s is there already.",
            budget=self.env["safety.budget"].sudo().browse(budget).display_name,
            category=self.env["account.analytic.account"].sudo().browse(category).display_name,
        )

    @api.model_create_multi
    def create(self, vals_list):
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
