from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.school_safety.models.safety_school_scorecard import COLORS, ScorecardPart, pct

from .hr_employee_base import FIRE_TRAINING_MONTHS


class SafetySchoolScorecard(models.Model):
    """The scorecard's drills and trainings (this addon's part).

    Two parts, so that each can be replaced on its own:

    * ``safety_training_drills``: drill compliance from ``safety.drill.compliance``;
    * ``safety_training_staff``: training compliance. For now the staff with a fire-safety
      training done in the last 12 months (as the employees' "Fire-Safety Training Overdue"
      says), against today's staff. The training records of issue 12 (courses, requirements,
      certificates with an expiry) replace this part's ``monthly`` SQL by one over certificates:
      +1 when a required certificate is valid, -1 when it expires, summed up to each month's end,
      for the same two columns ``training_required`` and ``training_valid``.
    """

    _inherit = "safety.school.scorecard"
    _depends = {
        "safety.drill.compliance": ["company_id", "period_end", "required_count", "done_count"],
        "safety.drill": ["company_id", "state", "date_actual"],
        "safety.training": ["state", "topic", "date", "attendee_ids"],
        "hr.employee": ["company_id", "active"],
    }

    drills_done = fields.Integer(string="Drills Held", readonly=True)
    drills_required = fields.Integer(
        readonly=True,
        help="Drills the frequency rules asked for in the requirement periods ended (or already met) in the period.",
    )
    drills_credited = fields.Integer(
        string="Required Drills Held", readonly=True,
        help="Drills held towards those requirements (at most the number required).",
    )
    drill_compliance_pct = fields.Float(
        string="Drill Compliance (%)", digits=(5, 1), aggregator="avg", readonly=True
    )
    drill_compliance_pct_color = fields.Selection(COLORS, string="Drill Compliance Colour", readonly=True)
    training_required = fields.Integer(string="Staff to Train", readonly=True, help="Today's staff of the school.")
    training_valid = fields.Integer(
        string="Staff Trained", readonly=True,
        help="Staff with a fire-safety training done in the 12 months before the end of the period (or today).",
    )
    training_compliance_pct = fields.Float(
        string="Training Compliance (%)", digits=(5, 1), aggregator="avg", readonly=True
    )
    training_compliance_pct_color = fields.Selection(COLORS, string="Training Compliance Colour", readonly=True)

    @api.model
    def _safety_scorecard_parts(self):
        return super()._safety_scorecard_parts() + [
            ScorecardPart(
                name="safety_training_drills",
                monthly=SQL("""
                    WITH requirement AS (
                        -- a requirement period counts once it is over, or as soon as it is met
                        SELECT dc.company_id, date_trunc('month', dc.period_end)::date AS month,
                               SUM(dc.required_count)::int AS required,
                               SUM(LEAST(dc.done_count, dc.required_count))::int AS credited
                          FROM safety_drill_compliance dc
                          JOIN school s ON s.company_id = dc.company_id
                         WHERE dc.period_end < s.today OR dc.done_count >= dc.required_count
                         GROUP BY 1, 2
                    ), drill AS (
                        SELECT d.company_id,
                               date_trunc('month', d.date_actual AT TIME ZONE 'UTC' AT TIME ZONE s.tz)::date AS month,
                               COUNT(*)::int AS done
                          FROM safety_drill d
                          JOIN school s ON s.company_id = d.company_id
                         WHERE d.state = 'done' AND d.date_actual IS NOT NULL
                         GROUP BY 1, 2
                    )
                    SELECT g.company_id, g.month, d.done AS drills_done,
                           r.required AS drills_required, r.credited AS drills_credited
                      FROM grid g
                      LEFT JOIN requirement r ON r.company_id = g.company_id AND r.month = g.month
                      LEFT JOIN drill d ON d.company_id = g.company_id AND d.month = g.month
                """),
                columns={"drills_done": "sum", "drills_required": "sum", "drills_credited": "sum"},
                figures={"drill_compliance_pct": pct("drills_credited", "drills_required")},
                measures={"drill_compliance_pct": "higher"},
            ),
            ScorecardPart(
                name="safety_training_staff",
                monthly=SQL(
                    """
                    WITH attended AS (
                        SELECT DISTINCT e.company_id, e.id AS employee_id, t.date AS day
                          FROM safety_training t
                          JOIN safety_training_hr_employee_rel a ON a.training_id = t.id
                          JOIN hr_employee e ON e.id = a.employee_id AND e.active
                         WHERE t.state = 'done' AND t.topic = 'fire_safety'
                    ), covered AS (
                        -- trained on a day: valid up to 12 months later, or until the next training
                        SELECT company_id, day,
                               LEAST(LEAD(day) OVER (PARTITION BY employee_id ORDER BY day),
                                     (day + %(months)s * interval '1 month')::date + 1) AS until
                          FROM attended
                    ), event AS (
                        SELECT c.company_id, GREATEST(date_trunc('month', e.day)::date, s.first_month) AS month,
                               SUM(e.delta) AS delta
                          FROM covered c
                          JOIN school s ON s.company_id = c.company_id
                         CROSS JOIN LATERAL (VALUES (c.day, 1), (c.until, -1)) e(day, delta)
                         WHERE e.day <= s.today
                         GROUP BY 1, 2
                    ), staff AS (
                        SELECT s.company_id, (
                                   SELECT COUNT(*) FROM hr_employee e WHERE e.company_id = s.company_id AND e.active
                               )::int AS total
                          FROM school s
                    )
                    SELECT g.company_id, g.month, st.total AS training_required,
                           (SUM(COALESCE(ev.delta, 0)) OVER (PARTITION BY g.company_id ORDER BY g.month))::int
                               AS training_valid
                      FROM grid g
                      JOIN staff st ON st.company_id = g.company_id
                      LEFT JOIN event ev ON ev.company_id = g.company_id AND ev.month = g.month
                    """,
                    months=FIRE_TRAINING_MONTHS,
                ),
                columns={"training_required": "last", "training_valid": "last"},
                figures={"training_compliance_pct": pct("training_valid", "training_required")},
                measures={"training_compliance_pct": "higher"},
            ),
        ]

    # ------------------------------------------------------------ the records behind a figure

    def action_open_drills(self):
        self.ensure_one()
        _start, _end, utc_start, utc_end = self._safety_local_bounds()
        return self._safety_open(
            "safety.drill",
            [("company_id", "=", self.company_id.id), ("state", "=", "done"),
             ("date_actual", ">=", utc_start), ("date_actual", "<", utc_end)],
            self.env._("Drills Held"),
        )

    def action_open_drill_compliance(self):
        self.ensure_one()
        return self._safety_open(
            "safety.drill.compliance",
            [("company_id", "=", self.company_id.id), ("period_end", ">=", self.period_start),
             ("period_end", "<=", self.period_end)],
            self.env._("Drill Compliance"),
        )

    def action_open_trainings(self):
        self.ensure_one()
        return self._safety_open(
            "safety.training",
            [("company_id", "=", self.company_id.id), ("state", "=", "done"), ("topic", "=", "fire_safety"),
             ("date", "<=", self.as_of)],
            self.env._("Fire-Safety Trainings"),
        )
