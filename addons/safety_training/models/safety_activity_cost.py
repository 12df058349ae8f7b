from odoo import api, fields, models

from odoo.addons.school_safety.models.safety_investment_checks import refuse_negative


class SafetyActivityCost(models.AbstractModel):
    """What a drill or a training cost (``safety_cost``, never negative), charged to "training
    and drills" unless said otherwise, posted to safety investment once, when it is done.

    The models inheriting it are school records: they make ``currency_id`` their school's
    (a related field of ``company_id``, which this mixin does not have), give ``safety_cost``
    its help and, in ``action_done``, the date and the label of their posting
    (``_safety_post_cost``).
    """

    _name = "safety.activity.cost.mixin"
    _inherit = ["safety.investment.charge.mixin"]
    _description = "Safety Activity Cost"
    _safety_investment_default = "school_safety.safety_investment_category_training"

    currency_id = fields.Many2one("res.currency")
    safety_cost = fields.Monetary(string="Cost")

    @api.constrains("safety_cost")
    def _check_safety_cost(self):
        refuse_negative(self, [{"safety_cost": record.safety_cost} for record in self], ["safety_cost"])

    def _safety_post_cost(self, day, label):
        """Post the cost of the records of ``self`` not posted yet, on ``day(record)``, described
        by ``label(record)`` (the record in its school's language)."""
        return self._safety_post_investment([
            (record, day(record), record.safety_cost,
             label(record.with_context(lang=record.company_id._safety_lang())))
            for record in self if not record.sudo().safety_analytic_line_ids
        ])
