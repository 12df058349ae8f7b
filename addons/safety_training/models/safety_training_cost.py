from odoo import api, fields, models

from odoo.addons.school_safety.models.safety_investment_checks import refuse_negative


class SafetyTraining(models.Model):
    """What a training cost (trainer, materials), charged to "training and drills" unless said
    otherwise, posted as an analytic line of the school when the training is done."""

    _inherit = ["safety.training", "safety.investment.charge.mixin"]
    _name = "safety.training"
    _safety_investment_default = "school_safety.safety_investment_category_training"

    currency_id = fields.Many2one(related="company_id.currency_id")
    safety_cost = fields.Monetary(string="Cost", help="What the training cost, posted to safety investment when done.")

    @api.constrains("safety_cost")
    def _check_safety_cost(self):
        refuse_negative(self, [{"safety_cost": training.safety_cost} for training in self], ["safety_cost"])

    def action_done(self):
        res = super().action_done()
        self._safety_post_investment([
            (training, training.date, training.safety_cost,
             training.with_context(lang=training.company_id._safety_lang()).env._(
                 "Training %(training)s", training=training.name))
            for training in self if not training.sudo().safety_analytic_line_ids
        ])
        return res
