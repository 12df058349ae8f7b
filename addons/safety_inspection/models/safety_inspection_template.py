from odoo import api, fields, models
from odoo.exceptions import ValidationError


class SafetyInspectionTemplate(models.Model):
    """A checklist: the items an inspector walks through, grouped by area."""

    _name = "safety.inspection.template"
    _description = "Inspection Checklist Template"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)
    item_ids = fields.One2many("safety.inspection.template.item", "template_id", string="Items", copy=True)
    item_count = fields.Integer(compute="_compute_item_count", string="Items Count")
    pass_score = fields.Float(
        string="Passing Score", default=80.0,
        help="Weighted score (0-100) an inspection needs to pass; a failed critical item "
        "fails it whatever the score.",
    )
    inspection_types = fields.Selection(
        [("all", "All Inspections"), ("bureau", "Bureau Inspections"), ("self", "Self-Inspections")],
        string="Used For", default="all", required=True,
        help="Which planned inspections the scheduler fills with this checklist.",
    )

    _sql_constraints = [
        ("pass_score_range", "CHECK(pass_score >= 0 AND pass_score <= 100)",
         "The passing score lies between 0 and 100."),
    ]

    @api.depends("item_ids")
    def _compute_item_count(self):
        counts = dict(
            self.env["safety.inspection.template.item"]._read_group(
                [("template_id", "in", self.ids)], ["template_id"], ["__count"]
            )
        )
        for template in self:
            template.item_count = counts.get(template, 0)

    @api.constrains("pass_score")
    def _check_pass_score(self):
        for template in self:
            if not 0 <= template.pass_score <= 100:
                raise ValidationError(
                    self.env._("The passing score of %(template)s must lie between 0 and 100.",
                               template=template.name)
                )
