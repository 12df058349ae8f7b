from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .safety_school_scorecard import PERIOD_TYPES

DIRECTIONS = [("higher", "Higher Is Better"), ("lower", "Lower Is Better")]


class SafetyScorecardThreshold(models.Model):
    """Where a scorecard figure turns amber and red.

    Rows without a bureau are the defaults shipped by the addons (one per measure); a bureau
    sets its own, which take precedence for its schools, and a row for one kind of period
    (month, quarter, year) takes precedence over a row for all. Whether a higher or a lower value
    is better belongs to the measure, not to the row.

    Higher is better: green from the green limit, amber from the amber limit, red below it.
    Lower is better: green up to the green limit, amber up to the amber limit, red above it.
    """

    _name = "safety.scorecard.threshold"
    _description = "Scorecard Threshold"
    _order = "bureau_id, measure, period_type"

    bureau_id = fields.Many2one(
        "res.company", index=True, ondelete="cascade", domain="[('safety_is_bureau', '=', True)]",
        help="Leave empty for the default of every bureau.",
    )
    measure = fields.Selection(selection="_selection_measure", required=True)
    period_type = fields.Selection(PERIOD_TYPES, help="Leave empty for every kind of period.")
    direction = fields.Selection(DIRECTIONS, compute="_compute_direction")
    green_limit = fields.Float(required=True, digits=(10, 1))
    amber_limit = fields.Float(required=True, digits=(10, 1))
    active = fields.Boolean(default=True)

    @api.model
    def _selection_measure(self):
        scorecard = self.env["safety.school.scorecard"]
        return [
            (name, scorecard._fields[name]._description_string(self.env))
            for name in scorecard._safety_scorecard_measures()
            if name in scorecard._fields
        ]

    @api.depends("measure")
    def _compute_direction(self):
        measures = self.env["safety.school.scorecard"]._safety_scorecard_measures()
        for threshold in self:
            threshold.direction = measures.get(threshold.measure)

    @api.depends("measure", "period_type", "bureau_id")
    def _compute_display_name(self):
        measures = dict(self._fields["measure"]._description_selection(self.env))
        periods = dict(self._fields["period_type"]._description_selection(self.env))
        for threshold in self:
            threshold.display_name = self.env._(
                "%(measure)s (%(period)s, %(bureau)s)",
                measure=measures.get(threshold.measure, threshold.measure or ""),
                period=periods.get(threshold.period_type) or self.env._("every period"),
                bureau=threshold.bureau_id.name or self.env._("default"),
            )

    @api.constrains("measure", "green_limit", "amber_limit")
    def _check_limits(self):
        for threshold in self:
            if threshold.green_limit < 0 or threshold.amber_limit < 0:
                raise ValidationError(
                    self.env._("%(threshold)s: limits cannot be negative.", threshold=threshold.display_name)
                )
            higher = threshold.direction == "higher"
            if (higher and threshold.amber_limit > threshold.green_limit) or (
                not higher and threshold.amber_limit < threshold.green_limit
            ):
                raise ValidationError(
                    self.env._(
                        "%(threshold)s: a higher value is better, so the amber limit (%(amber)s) "
                        "cannot be above the green limit (%(green)s).",
                        threshold=threshold.display_name, amber=threshold.amber_limit,
                        green=threshold.green_limit,
                    )
                    if higher else
                    self.env._(
                        "%(threshold)s: a lower value is better, so the amber limit (%(amber)s) "
                        "cannot be below the green limit (%(green)s).",
                        threshold=threshold.display_name, amber=threshold.amber_limit,
                        green=threshold.green_limit,
                    )
                )

    @api.constrains("bureau_id", "measure", "period_type", "active")
    def _check_unique(self):
        for threshold in self.filtered("active"):
            if self.sudo().search_count([
                ("id", "!=", threshold.id),
                ("bureau_id", "=", threshold.bureau_id.id),
                ("measure", "=", threshold.measure),
                ("period_type", "=", threshold.period_type),
            ]):
                raise ValidationError(
                    self.env._(
                        "There is already a threshold for %(threshold)s.", threshold=threshold.display_name
                    )
                )

    @api.constrains("bureau_id")
    def _check_bureau(self):
        for threshold in self:
            if threshold.bureau_id and not threshold.bureau_id.safety_is_bureau:
                raise ValidationError(
                    self.env._("%(company)s is not an education bureau.", company=threshold.bureau_id.name)
                )
