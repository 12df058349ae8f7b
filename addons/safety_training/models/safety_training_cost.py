from odoo import fields, models


class SafetyTraining(models.Model):
    """What a training cost (trainer, materials), charged to "training and drills" unless said
    otherwise, posted as an analytic line of the school when the training is done."""

    _inherit = ["safety.training", "safety.activity.cost.mixin"]
    _name = "safety.training"

    currency_id = fields.Many2one(related="company_id.currency_id")
    safety_cost = fields.Monetary(help="What the training cost, posted to safety investment when done.")

    def action_done(self):
        res = super().action_done()
        self._safety_post_cost(
            lambda training: training.date,
            lambda training: training.env._("Training %(training)s", training=training.name),
        )
        return res
