from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .safety_investment_checks import refuse_duplicates, refuse_negative


class SafetyBudgetRevisionLine(models.Model):
    """One category of a revision: its amount before (taken from the budget) and after."""

    _name = "safety.budget.revision.line"
    _description = "Safety Budget Revision Line"
    _inherit = ["safety.school.record"]
    _order = "revision_id, category_code, id"
    _safety_create_fields = frozenset({"revision_id"})
    # taken from the budget by the server when the revision is submitted
    _safety_locked_server_fields = frozenset({"amount_before"})

    revision_id = fields.Many2one(
        "safety.budget.revision", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="revision_id.company_id", store=True, index=True, precompute=True,
                                 default=None)
    currency_id = fields.Many2one(related="revision_id.currency_id")
    category_id = fields.Many2one(
        "account.analytic.account", required=True, ondelete="restrict", check_company=True,
        domain=lambda self: self.env["account.analytic.plan"]._safety_category_domain(),
    )
    category_code = fields.Char(related="category_id.code", store=True, string="Code")
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

    @api.constrains("amount_after", "category_id")
    def _check_line(self):
        plan = self.env["account.analytic.plan"]._safety_investment_plan()
        for line in self:
            if line.amount_after < 0:
                raise ValidationError(
                    self.env._("%(revision)s: the budget of %(category)s cannot be negative.",
                               revision=line.revision_id.display_name, category=line.category_id.display_name)
                )
            if line.category_id.sudo().root_plan_id != plan:
                raise ValidationError(
                    self.env._("%(account)s is not a category of safety investment.",
                               account=line.category_id.display_name)
                )
            same = line.revision_id.line_ids.filtered(lambda other, line=line: other.category_id == line.category_id)
            if len(same) > 1:
                raise ValidationError(self._safety_duplicate_message((line.revision_id.id, line.category_id.id)))

    def _safety_duplicate_message(self, values):
        revision, category = values
        return self.env._(
            "%(revision)s changes each category once: %(category)s is there already.",
            revision=self.env["safety.budget.revision"].sudo().browse(revision).display_name,
            category=self.env["account.analytic.account"].sudo().browse(category).display_name,
        )

    @api.model_create_multi
    def create(self, vals_list):
        refuse_negative(self, vals_list, ["amount_after"])
        refuse_duplicates(self, vals_list, ("revision_id", "category_id"), self._safety_duplicate_message)
        return super().create(vals_list)

    @api.model
    def _safety_check_client_create(self, vals_list):
        revisions = self.env["safety.budget.revision"].browse(
            {vals.get("revision_id") for vals in vals_list} - {None, False}
        )
        for revision in revisions:
            if revision._safety_is_locked():
                raise UserError(revision._safety_locked_message())

    def _safety_is_locked(self):
        self.ensure_one()
        return self.revision_id._safety_is_locked()

    def _safety_locked_message(self):
        self.ensure_one()
        return self.revision_id._safety_locked_message()

    def _safety_undeletable_message(self):
        self.ensure_one()
        return self.revision_id._safety_locked_message()
