from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError


class SafetyInvestmentYearClose(models.TransientModel):
    """The bureau's finance closes a year of safety investment (年度决算) once it has ended: its
    approved budgets are closed, and no budget, fund, allocation or spending line of that year
    (or before) changes any more, whoever posts it."""

    _name = "safety.investment.year.close"
    _description = "Close a Year of Safety Investment"

    bureau_id = fields.Many2one(
        "res.company", required=True, domain="[('safety_is_bureau', '=', True)]",
        default=lambda self: self.env.company.safety_bureau_id or self.env.company,
    )
    year = fields.Integer(required=True, default=lambda self: fields.Date.context_today(self).year - 1)
    closed_year = fields.Integer(related="bureau_id.safety_investment_closed_year", string="Closed Up To")
    budget_count = fields.Integer(compute="_compute_budget_count", string="Budgets to Close")

    @api.depends("bureau_id", "year")
    def _compute_budget_count(self):
        for wizard in self:
            wizard.budget_count = len(wizard._safety_budgets())

    def _safety_budgets(self):
        self.ensure_one()
        return self.env["safety.budget"].sudo().search(
            [("company_id.safety_bureau_id", "=", self.bureau_id.id), ("year", "=", self.year)]
        )

    def action_close(self):
        self.ensure_one()
        user = self.env.user
        bureau = self.bureau_id.sudo()
        if not user.has_group("school_safety.group_bureau_finance") or bureau not in user.company_ids:
            raise AccessError(self.env._("Only the finance staff of %(bureau)s close its years.", bureau=bureau.name))
        if not bureau.safety_is_bureau:
            raise UserError(self.env._("%(company)s is not an education bureau.", company=bureau.name))
        if self.year >= fields.Date.context_today(self).year:
            raise UserError(self.env._("%(year)s has not ended yet: it cannot be closed.", year=self.year))
        if self.year <= bureau.safety_investment_closed_year:
            raise UserError(
                self.env._("%(bureau)s already closed %(year)s.", bureau=bureau.name, year=self.year)
            )
        budgets = self._safety_budgets()
        waiting = budgets.filtered(lambda b: b.state == "submitted") | budgets.revision_ids.filtered(
            lambda r: r.state in ("draft", "submitted")
        ).budget_id
        if waiting:
            raise UserError(
                self.env._(
                    "These budgets of %(year)s still wait for an approval or a revision: %(budgets)s.",
                    year=self.year, budgets=", ".join(waiting.mapped("display_name")),
                )
            )
        approved = budgets.filtered(lambda b: b.state == "approved").with_env(self.env)
        approved._safety_transition("closed")
        for budget in approved:
            budget.message_post(body=self.env._("%(year)s closed by %(user)s.", year=self.year, user=user.name))
        bureau.write({"safety_investment_closed_year": self.year})
        return {"type": "ir.actions.act_window_close"}
