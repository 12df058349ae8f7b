from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.school_safety.models.safety_school_scorecard import COLORS, ScorecardPart, pct


class SafetySchoolScorecard(models.Model):
    """The scorecard's drills and trainings (this addon's part).

    Two parts, so that each can be replaced on its own:

    * ``safety_training_drills``: drill compliance from ``safety.drill.compliance``;
    * ``safety_training_staff``: training compliance, over the pairs (employee, course) that
      today's staff must hold (``safety.training.compliance``): +1 when a certificate of the
      pair starts to be held, -1 when it no longer is, summed up to each month's end (or today).
    """

    _inherit = "safety.school.scorecard"
    _depends = {
        "safety.drill.compliance": ["company_id", "period_end", "required_count", "done_count"],
        "safety.drill": ["company_id", "state", "date_actual"],
        "hr.employee": ["company_id", "active", "job_id", "safety_position", "safety_canteen"],
        "safety.training.requirement": ["course_id", "bureau_id", "safety_role", "job_id", "school_type",
                                        "active"],
        "safety.training.course": ["active"],
        "safety.training.certificate": ["employee_id", "course_id", "issue_date", "expiry_date"],
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
    training_required = fields.Integer(
        string="Trainings Required", readonly=True,
        help="Courses today's staff must hold, one per employee and course their post requires.",
    )
    training_valid = fields.Integer(
        string="Trainings Held", readonly=True,
        help="Of those, the ones held with a valid certificate at the end of the period (or today).",
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
                         WHERE (dc.period_end < s.today OR dc.done_count >= dc.required_count)
                           AND dc.period_end >= s.first_month AND dc.period_end < s.last_month + interval '1 month'
                         GROUP BY 1, 2
                    ), drill AS (
                        SELECT d.company_id,
                               date_trunc('month', d.date_actual AT TIME ZONE 'UTC' AT TIME ZONE s.tz)::date AS month,
                               COUNT(*)::int AS done
                          FROM safety_drill d
                          JOIN span s ON s.company_id = d.company_id
                         WHERE d.state = 'done' AND d.date_actual >= s.first_utc AND d.date_actual < s.end_utc
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
                    WITH required AS (
                        -- today's staff and what their posts require (the compliance report's pairs)
                        SELECT q.company_id, q.employee_id, q.course_id
                          FROM (%(required)s) q
                          JOIN school s ON s.company_id = q.company_id
                    ), certificate AS (
                        -- those expired before the grid's first month or issued after its last
                        -- change no month of it: the union of the others is the same over the grid
                        SELECT r.company_id, r.employee_id, r.course_id, c.issue_date AS day,
                               COALESCE(c.expiry_date, 'infinity'::date) AS expiry
                          FROM required r
                          JOIN school s ON s.company_id = r.company_id
                          JOIN safety_training_certificate c
                            ON c.employee_id = r.employee_id AND c.course_id = r.course_id
                         WHERE COALESCE(c.expiry_date, 'infinity'::date) >= s.first_month
                           AND c.issue_date < s.last_month + interval '1 month'
                    ), covered AS (
                        -- held from a certificate's issue until the next one takes over, or until the
                        -- latest expiry of those issued so far has passed (merged, never counted twice)
                        SELECT company_id, day,
                               LEAST(LEAD(day) OVER holder,
                                     MAX(expiry) OVER (holder ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) + 1)
                                   AS until
                          FROM certificate
                        WINDOW holder AS (PARTITION BY employee_id, course_id ORDER BY day, expiry)
                    ), event AS (
                        SELECT c.company_id, GREATEST(date_trunc('month', e.day)::date, s.first_month) AS month,
                               SUM(e.delta) AS delta
                          FROM covered c
                          JOIN school s ON s.company_id = c.company_id
                         CROSS JOIN LATERAL (VALUES (c.day, 1), (c.until, -1)) e(day, delta)
                         WHERE e.day <= s.today
                         GROUP BY 1, 2
                    ), pairs AS (
                        SELECT company_id, COUNT(*)::int AS total FROM required GROUP BY 1
                    )
                    SELECT g.company_id, g.month, COALESCE(p.total, 0) AS training_required,
                           (SUM(COALESCE(ev.delta, 0)) OVER (PARTITION BY g.company_id ORDER BY g.month))::int
                               AS training_valid
                      FROM grid g
                      LEFT JOIN pairs p ON p.company_id = g.company_id
                      LEFT JOIN event ev ON ev.company_id = g.company_id AND ev.month = g.month
                    """,
                    required=self.env["safety.training.compliance"]._safety_compliance_query(fields.Date.today(), 0),
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
            "safety.training.certificate",
            [("company_id", "=", self.company_id.id), ("issue_date", "<=", self.as_of),
             "|", ("expiry_date", "=", False), ("expiry_date", ">=", self.as_of)],
            self.env._("Valid Certificates"),
        )
