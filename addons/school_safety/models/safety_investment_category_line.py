from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .safety_investment_checks import refuse_duplicates, refuse_negative


class SafetyInvestmentCategoryLine(models.AbstractModel):
    """One category of safety investment in a parent record (a budget's line, a revision's
    line), with what both repeat: the category and its code, one line per category of the
    parent's ``line_ids``, an amount never negative, lines created only while the parent is
    open, and the parent's lock for the line.

    A model that inherits it names its parent field (``_safety_parent_field``, a many2one to
    a ``safety.evidence.mixin`` model) and its amount (``_safety_amount_field``), and brings
    those fields, its related ``company_id``, its SQL constraints and
    ``_safety_duplicate_message((parent id, category id))``.
    """

    _name = "safety.investment.category.line"
    _description = "Safety Investment Category Line"
    _inherit = ["safety.school.record"]
    _safety_parent_field = None
    _safety_amount_field = None

    category_id = fields.Many2one(
        "account.analytic.account", required=True, ondelete="restrict", check_company=True,
        domain=lambda self: self.env["account.analytic.plan"]._safety_category_domain(),
    )
    category_code = fields.Char(related="category_id.code", store=True, string="Code")

    def _safety_parent(self):
        return self[self._safety_parent_field]

    def _safety_duplicate_message(self, values):
        raise NotImplementedError

    @api.constrains(lambda self: (self._safety_amount_field, "category_id"))
    def _check_line(self):
        plan = self.env["account.analytic.plan"]._safety_investment_plan()
        for line in self:
            parent = line._safety_parent()
            if line[self._safety_amount_field] < 0:
                raise ValidationError(
                    self.env._("%(record)s: the budget of %(category)s cannot be negative.",
                               record=parent.display_name, category=line.category_id.display_name)
                )
            if line.category_id.sudo().root_plan_id != plan:
                raise ValidationError(
                    self.env._("%(account)s is not a category of safety investment.",
                               account=line.category_id.display_name)
                )
            same = parent.line_ids.filtered(lambda other, line=line: other.category_id == line.category_id)
            if len(same) > 1:
                raise ValidationError(self._safety_duplicate_message((parent.id, line.category_id.id)))

    @api.model_create_multi
    def create(self, vals_list):
        refuse_negative(self, vals_list, [self._safety_amount_field])
        refuse_duplicates(
            self, vals_list, (self._safety_parent_field, "category_id"), self._safety_duplicate_message
        )
        return super().create(vals_list)

    @api.model
    def _safety_check_client_create(self, vals_list):
        parent_model = self._fields[self._safety_parent_field].comodel_name
        parents = self.env[parent_model].browse(
            {vals.get(self._safety_parent_field) for vals in vals_list} - {None, False}
        )
        for parent in parents:
            if parent._safety_is_locked():
                raise UserError(parent._safety_locked_message())

    def _safety_is_locked(self):
        self.ensure_one()
        return self._safety_parent()._safety_is_locked()

    def _safety_locked_message(self):
        self.ensure_one()
        return self._safety_parent()._safety_locked_message()

    def _safety_undeletable_message(self):
        self.ensure_one()
        return self._safety_parent()._safety_locked_message()
