from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.school_safety.models.res_company import SCHOOL_TYPES


class SafetyDrillRequirement(models.Model):
    """How many drills a school of a type must hold per month or quarter.

    Rows without a bureau are the defaults of the 2014 drill guide; a bureau may add
    its own rows, which take precedence for its schools. A boarding-only row applies
    to boarding schools and takes precedence over the row for all schools.
    """

    _name = "safety.drill.requirement"
    _description = "Drill Frequency Requirement"
    _order = "bureau_id, school_type, boarding_only"

    bureau_id = fields.Many2one(
        "res.company", index=True, ondelete="cascade",
        domain="[('safety_is_bureau', '=', True)]",
        help="Leave empty for the default that applies to every bureau.",
    )
    school_type = fields.Selection(SCHOOL_TYPES, required=True)
    boarding_only = fields.Boolean(string="Boarding Schools Only", default=False)
    period = fields.Selection([("month", "Month"), ("quarter", "Quarter")], required=True, default="month")
    min_count = fields.Integer(string="Minimum Drills", required=True, default=1)
    drill_modes = fields.Selection(
        [("all", "Real and Tabletop"), ("real", "Real Drills Only")],
        string="Drills Counted", required=True, default="all",
        help="Whether tabletop exercises count towards the minimum, or only real evacuations.",
    )
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("min_count_positive", "CHECK(min_count > 0)", "The minimum number of drills must be positive."),
    ]

    @api.depends("school_type", "boarding_only", "period", "min_count", "drill_modes")
    def _compute_display_name(self):
        types = dict(self._fields["school_type"]._description_selection(self.env))
        periods = dict(self._fields["period"]._description_selection(self.env))
        for req in self:
            name = self.env._(
                "%(type)s: %(count)s per %(period)s",
                type=types.get(req.school_type, ""), count=req.min_count, period=periods.get(req.period, ""),
            )
            if req.boarding_only:
                name = self.env._("%(requirement)s (boarding)", requirement=name)
            if req.drill_modes == "real":
                name = self.env._("%(requirement)s, real drills only", requirement=name)
            req.display_name = name

    @api.constrains("bureau_id", "school_type", "boarding_only", "active")
    def _check_unique(self):
        active = self.filtered("active")
        if not active:
            return
        # the active rows of each (bureau, school type, boarding) these are of, counted at once
        counts = dict(
            ((bureau, school_type, boarding), count)
            for bureau, school_type, boarding, count in self._read_group(
                [("bureau_id", "in", active.bureau_id.ids + [False]),
                 ("school_type", "in", list(set(active.mapped("school_type"))))],
                ["bureau_id", "school_type", "boarding_only"], ["__count"],
            )
        )
        for req in active:
            if counts.get((req.bureau_id, req.school_type, req.boarding_only), 0) > 1:
                raise ValidationError(
                    self.env._(
                        "There is already a requirement for this bureau, school type and "
                        "boarding status: %(requirement)s.",
                        requirement=req.display_name,
                    )
                )

    @api.model
    def _for_school(self, school):
        """The requirement that applies to ``school``: boarding rows first for a boarding
        school, then the bureau's own rows before the defaults. Read from the compliance
        report, whose SQL is the one place that picks it."""
        row = self.env["safety.drill.compliance"].sudo().search(
            [("company_id", "=", school.id)], limit=1)
        return self.browse(row.requirement_id.id)
