from odoo import api, fields, models

from odoo.addons.school_safety.models.safety_investment_checks import refuse_negative


class SafetyDrill(models.Model):
    """What a drill cost (supplies, smoke machines, an outside trainer...), charged to
    "training and drills" unless said otherwise, posted as an analytic line of the school when the
    drill is done."""

    _inherit = ["safety.drill", "safety.investment.charge.mixin"]
    _name = "safety.drill"
    _safety_investment_default = "school_safety.safety_investment_category_training"

    currency_id = fields.Many2one(related="company_id.currency_id")
    safety_cost = fields.Monetary(string="Cost", help="What the drill cost, posted to safety investment when done.")

    @api.constrains("safety_cost")
    def _check_safety_cost(self):
        refuse_negative(self, [{"safety_cost": drill.safety_cost} for drill in self], ["safety_cost"])

    def action_done(self):
        res = super().action_done()
        self._safety_post_investment([
            (drill, drill.date_actual.date(), drill.safety_cost,
             drill.with_context(lang=drill.company_id._safety_lang()).env._("Drill %(drill)s", drill=drill.name))
            for drill in self if not drill.sudo().safety_analytic_line_ids
        ])
        return res
