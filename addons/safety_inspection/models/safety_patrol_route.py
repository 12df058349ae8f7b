from odoo import api, fields, models
from odoo.exceptions import ValidationError


class SafetyPatrolRoute(models.Model):
    """An ordered list of checkpoints a guard walks in one round."""

    _name = "safety.patrol.route"
    _description = "Patrol Route"
    _inherit = ["safety.school.record", "mail.thread"]
    _order = "company_id, name, id"

    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True)
    line_ids = fields.One2many("safety.patrol.route.line", "route_id", string="Stops", copy=True)
    checkpoint_count = fields.Integer(compute="_compute_checkpoint_count")
    schedule_ids = fields.One2many("safety.patrol.schedule", "route_id", string="Schedules")

    @api.depends("line_ids")
    def _compute_checkpoint_count(self):
        for route in self:
            route.checkpoint_count = len(route.line_ids)

    @api.constrains("line_ids")
    def _check_line_ids(self):
        for route in self:
            checkpoints = route.line_ids.checkpoint_id
            if len(checkpoints) != len(route.line_ids):
                raise ValidationError(self.env._(
                    "Route %(route)s lists a checkpoint twice.", route=route.name))
