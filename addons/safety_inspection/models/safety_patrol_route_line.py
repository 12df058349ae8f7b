from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class SafetyPatrolRouteLine(models.Model):
    """One stop of a route, with its order rule and time window from the round's start."""

    _name = "safety.patrol.route.line"
    _description = "Patrol Route Stop"
    _inherit = ["safety.school.record"]
    _order = "route_id, sequence, id"
    _safety_create_fields = frozenset({"route_id"})

    route_id = fields.Many2one("safety.patrol.route", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(
        related="route_id.company_id", store=True, index=True, precompute=True, default=None
    )
    sequence = fields.Integer(default=10)
    checkpoint_id = fields.Many2one(
        "safety.patrol.checkpoint", required=True, ondelete="restrict", index=True,
        check_company=True,
    )
    order_mode = fields.Selection(
        [("required", "In Order"), ("free", "Any Order")], string="Order",
        required=True, default="free",
        help="In Order: every earlier in-order stop must be scanned before this one.",
    )
    min_minutes = fields.Integer(
        string="Earliest (min)", help="Minutes after the round's start; 0 for no limit."
    )
    max_minutes = fields.Integer(
        string="Latest (min)", help="Minutes after the round's start; 0 for no limit."
    )

    _sql_constraints = [
        ("minutes_positive", "CHECK(min_minutes >= 0 AND max_minutes >= 0)",
         "Route stop times cannot be negative."),
        ("checkpoint_unique", "UNIQUE(route_id, checkpoint_id)",
         "A checkpoint is only once on a route."),
    ]

    @api.constrains("min_minutes", "max_minutes")
    def _check_minutes(self):
        for line in self:
            if line.max_minutes and line.min_minutes > line.max_minutes:
                raise ValidationError(self.env._(
                    "Stop %(stop)s: the earliest time (%(min)s min) is after the latest "
                    "(%(max)s min).",
                    stop=line.checkpoint_id.name, min=line.min_minutes, max=line.max_minutes,
                ))

    # A walked route is part of the patrol record: its rounds count their checkpoints from
    # these stops, so the stops of a route with rounds walked (or missed) no longer change.

    def _safety_walked_routes(self, routes):
        walked = self.env["safety.patrol.round"].sudo()._read_group(
            [("route_id", "in", routes.ids), ("state", "!=", "planned")], ["route_id"]
        )
        return {route.id for (route,) in walked}

    def _safety_is_locked(self):
        self.ensure_one()
        return self.route_id.id in self._safety_walked_routes(self.route_id)

    def _safety_walked_message(self, route):
        return self.env._(
            "The route %(route)s has been walked: its stops are part of the patrol record. "
            "Archive it and plan a new route.",
            route=route.name,
        )

    def _safety_locked_message(self):
        return self._safety_walked_message(self.route_id)

    def _safety_undeletable_message(self):
        return self._safety_walked_message(self.route_id)

    @api.model_create_multi
    def create(self, vals_list):
        routes = self.env["safety.patrol.route"].browse(
            {vals["route_id"] for vals in vals_list if vals.get("route_id")}
        )
        walked = self._safety_walked_routes(routes)
        if walked:
            raise UserError(self._safety_walked_message(routes.filtered(lambda r: r.id in walked)[0]))
        return super().create(vals_list)
