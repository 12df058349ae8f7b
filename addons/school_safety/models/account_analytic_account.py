from odoo import api, fields, models
from odoo.exceptions import AccessError


class AccountAnalyticAccount(models.Model):
    """Categories of safety investment are analytic accounts of the "Safety Investment" plan;
    each special fund has its account in the "Safety Special Funds" plan.

    Bureau managers keep the categories (Configuration): without Odoo's analytic accounting
    rights, that is all they may create or change.
    """

    _inherit = "account.analytic.account"

    safety_fund_ids = fields.One2many("safety.fund", "analytic_account_id", string="Special Fund")

    @api.model_create_multi
    def create(self, vals_list):
        accounts = super().create(vals_list)
        accounts._safety_check_category_keeper()
        return accounts

    def write(self, vals):
        self._safety_check_category_keeper()
        res = super().write(vals)
        self._safety_check_category_keeper()
        return res

    def _safety_check_category_keeper(self):
        if self.env.su or self.env.user.has_group("analytic.group_analytic_accounting"):
            return
        plan = self.env["account.analytic.plan"]._safety_investment_plan()
        if any(account.sudo().root_plan_id != plan for account in self):
            raise AccessError(
                self.env._("Without analytic accounting rights, only categories of safety investment are kept here.")
            )
