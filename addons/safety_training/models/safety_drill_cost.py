from odoo import fields, models


class SafetyDrill(models.Model):
    """What a drill cost (supplies, smoke machines, an outside trainer...), charged to
    "training and drills" unless said otherwise, posted as an analytic line of the school when the
    drill is done."""

    _inherit = ["safety.drill", "safety.activity.cost.mixin"]
    _name = "safety.drill"

    currency_id = fields.Many2one(related="company_id.currency_id")
    safety_cost = fields.Monetary(help="What the drill cost, posted to safety investment when done.")

    def action_done(self):
        res = super().action_done()
        self._safety_post_cost(
            lambda drill: drill.date_actual.date(),
            lambda drill: drill.env._("Drill %(drill)s", drill=drill.name),
        )
        return res
