from odoo import api, fields, models


class SafetyBudgetRevisionLine(models.Model):
    """One category of a revision: its amount before (taken from the budget) and after."""

    _name = "safety.budget.revision.line"
    _description = "Safety Budget Revision Line"
    _inherit = ["safety.investment.category.line"]
    _order = "revision_id, category_code, id"
    _safety_parent_field = "revision_id"
    _safety_amount_field = "amount_after"
    _safety_create_fields = frozenset({"revision_id"})
    # taken from the budget by the server when the revision is submitted
    _safety_locked_server_fields = frozenset({"amount_before"})

    revision_id = fields.Many2one(
        "safety.budget.revision", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="revision_id.company_id", store=True, index=True, precompute=True,
                                 default=None)
    currency_id = fields.Many2one(related="revision_id.currency_id")
    amount_before = fields.Monetary(
        string="Before", compute="_compute_amount_before", store=True, readonly=True, precompute=True
    )
    amount_after = fields.Monetary(string="After")
    difference = fields.Monetary(compute="_compute_difference")

    _sql_constraints = [
        ("category_unique", "unique(revision_id, category_id)", "A revision changes each category once."),
        ("amount_positive", "CHECK(amount_after >= 0)", "A budget line cannot be negative."),
    ]

    @api.depends("category_id", "revision_id")
    def _compute_amount_before(self):
        for line in self:
            line.amount_before = line._safety_current_amount()

    @api.depends("amount_before", "amount_after")
    def _compute_difference(self):
        for line in self:
            line.difference = line.amount_after - line.amount_before

    def _safety_current_amount(self):
        budget_lines = self.revision_id.budget_id.sudo().line_ids
        return sum(budget_lines.filtered(lambda line: line.category_id == self.category_id).mapped("amount"))

    def _safety_take_current_amounts(self):
        for line in self:
            line.amount_before = line._safety_current_amount()

    def _safety_duplicate_message(self, values):
        revision, category = values
        return self.env._(
            "%(revision)s changes each category once: %(category)s is there already.",
            revision=self.env["safety.budget.revision"].sudo().browse(revision).display_name,
            category=self.env["account.analytic.account"].sudo().browse(category).display_name,
        )
