from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .safety_hazard import hazard_categories


class SafetyInspectionTemplateItem(models.Model):
    """One thing to check; the area (category) is its section in the checklist."""

    _name = "safety.inspection.template.item"
    _description = "Inspection Checklist Item"
    _order = "template_id, sequence, id"

    template_id = fields.Many2one(
        "safety.inspection.template", required=True, index=True, ondelete="cascade"
    )
    sequence = fields.Integer(default=10)
    category = fields.Selection(selection=hazard_categories, string="Section", required=True)
    name = fields.Char(string="Check", required=True, translate=True)
    guidance = fields.Text(translate=True, help="How to check it and which rule applies.")
    weight = fields.Float(default=1.0, required=True)
    is_critical = fields.Boolean(
        string="Critical", help="A failed critical item fails the whole inspection."
    )
    photo_required = fields.Boolean(string="Photo Required on Failure")
    severity = fields.Selection(
        [("general", "General"), ("major", "Major")], string="Severity When Failed",
        default="general", required=True,
        help="Level of the hazard created when this item fails.",
    )
    boarding_only = fields.Boolean(
        string="Boarding Schools Only", help="Only checked at schools with boarding students."
    )

    _sql_constraints = [
        ("weight_positive", "CHECK(weight > 0)", "The weight of a checklist item must be positive."),
    ]

    @api.constrains("weight")
    def _check_weight(self):
        for item in self:
            if item.weight <= 0:
                raise ValidationError(
                    self.env._("The weight of %(item)s must be positive.", item=item.name)
                )
