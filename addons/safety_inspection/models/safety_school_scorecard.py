from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.school_safety.models.safety_school_scorecard import COLORS, ScorecardPart, pct, ratio

PATROL_CLOSED_STATES = ("completed", "incomplete", "missed")


class SafetySchoolScorecard(models.Model):
    """The scorecard's hazards, inspections and patrols (this addon's part)."""

    _inherit = "safety.school.scorecard"
    _depends = {
        "safety.hazard": ["company_id", "found_date", "closed_date", "deadline", "state", "level"],
        "safety.inspection": ["company_id", "state", "date_done", "score"],
        "safety.patrol.round": ["company_id", "state", "planned_start"],
        "safety.patrol.scan": ["company_id", "review_state", "device_time"],
    }

    hazards_found = fields.Integer(readonly=True)
    hazards_closed = fields.Integer(readonly=True)
    hazards_open = fields.Integer(
        string="Open Hazards", readonly=True, help="Found and not closed at the end of the period (or today)."
    )
    hazards_open_color = fields.Selection(COLORS, string="Open Hazards Colour", readonly=True)
    hazards_overdue = fields.Integer(
        string="Overdue Hazards", readonly=True, help="Open past their deadline at the end of the period (or today)."
    )
    hazards_overdue_color = fields.Selection(COLORS, string="Overdue Hazards Colour", readonly=True)
    hazards_major_open = fields.Integer(string="Major Hazards Open", readonly=True)
    hazards_major_open_color = fields.Selection(COLORS, string="Major Hazards Colour", readonly=True)
    hazards_avg_close_days = fields.Float(
        string="Average Days to Close", digits=(6, 1), aggregator="avg", readonly=True,
        help="From the day found to the day closed, of the hazards closed in the period.",
    )
    hazards_avg_close_days_color = fields.Selection(COLORS, string="Days to Close Colour", readonly=True)
    inspections_done = fields.Integer(string="Inspections Carried Out", readonly=True)
    inspection_score_last = fields.Float(
        string="Last Inspection Score", digits=(5, 1), aggregator="avg", readonly=True,
        help="Score of the school's last inspection carried out by the end of the period.",
    )
    inspection_score_last_color = fields.Selection(COLORS, string="Inspection Score Colour", readonly=True)
    patrol_rounds_due = fields.Integer(readonly=True,
                                       help="Rounds of the period whose window is over.")
    patrol_rounds_completed = fields.Integer(readonly=True)
    patrol_completed_pct = fields.Float(
        string="Patrol Rounds Completed (%)", digits=(5, 1), aggregator="avg", readonly=True
    )
    patrol_completed_pct_color = fields.Selection(COLORS, string="Patrol Colour", readonly=True)
    scans_flagged_waiting = fields.Integer(
        string="Flagged Scans Waiting", readonly=True, help="Flagged scans of the period still to review."
    )
    scans_flagged_waiting_color = fields.Selection(COLORS, string="Flagged Scans Colour", readonly=True)

    @api.model
    def _safety_scorecard_parts(self):
        return super()._safety_scorecard_parts() + [ScorecardPart(
            name="safety_inspection",
            monthly=SQL(
                """
                WITH event AS (
                    -- open: +1 found, -1 closed; overdue: +1 the day after the deadline, -1 closed
                    -- after it; flows: found, closed, days to close
                    SELECT h.company_id, e.day, e.d_open, e.d_overdue, e.d_major, e.found, e.closed, e.close_days
                      FROM safety_hazard h
                      JOIN school s ON s.company_id = h.company_id
                     CROSS JOIN LATERAL (VALUES
                           (h.found_date, 1, 0, (h.level = 'major')::int, 1, 0, 0),
                           (CASE WHEN h.state = 'closed' THEN h.closed_date END, -1, 0,
                            -(h.level = 'major')::int, 0, 1, h.closed_date - h.found_date),
                           (CASE WHEN h.deadline IS NOT NULL
                                      AND (h.state != 'closed' OR h.closed_date > h.deadline)
                                 THEN h.deadline + 1 END, 0, 1, 0, 0, 0, 0),
                           (CASE WHEN h.state = 'closed' AND h.closed_date > h.deadline
                                 THEN h.closed_date END, 0, -1, 0, 0, 0, 0)
                     ) e(day, d_open, d_overdue, d_major, found, closed, close_days)
                     WHERE e.day IS NOT NULL AND e.day <= s.today
                ), bucket AS (
                    SELECT company_id, date_trunc('month', day)::date AS month,
                           SUM(d_open) AS d_open, SUM(d_overdue) AS d_overdue, SUM(d_major) AS d_major,
                           SUM(found)::int AS found, SUM(closed)::int AS closed, SUM(close_days)::int AS close_days
                      FROM event GROUP BY 1, 2
                ), stock AS (
                    -- what happened before the school's first month counts in its first month
                    SELECT b.company_id, GREATEST(b.month, s.first_month) AS month,
                           SUM(b.d_open) AS d_open, SUM(b.d_overdue) AS d_overdue, SUM(b.d_major) AS d_major
                      FROM bucket b JOIN school s ON s.company_id = b.company_id
                     GROUP BY 1, 2
                ), inspection AS (
                    SELECT i.company_id, GREATEST(date_trunc('month', i.date_done)::date, s.first_month) AS month,
                           (array_agg(i.score ORDER BY i.date_done DESC, i.id DESC))[1] AS score,
                           COUNT(*) FILTER (WHERE i.date_done >= s.first_month)::int AS done
                      FROM safety_inspection i
                      JOIN school s ON s.company_id = i.company_id
                     WHERE i.state = 'done' AND i.date_done IS NOT NULL AND i.date_done <= s.today
                     GROUP BY 1, 2
                ), patrol AS (
                    SELECT r.company_id,
                           date_trunc('month', r.planned_start AT TIME ZONE 'UTC' AT TIME ZONE s.tz)::date AS month,
                           COUNT(*)::int AS due, COUNT(*) FILTER (WHERE r.state = 'completed')::int AS completed
                      FROM safety_patrol_round r
                      JOIN span s ON s.company_id = r.company_id
                     WHERE r.state IN %(closed)s
                       AND r.planned_start >= s.first_utc AND r.planned_start < s.end_utc
                     GROUP BY 1, 2
                ), scan AS (
                    SELECT p.company_id,
                           date_trunc('month', p.device_time AT TIME ZONE 'UTC' AT TIME ZONE s.tz)::date AS month,
                           COUNT(*)::int AS waiting
                      FROM safety_patrol_scan p
                      JOIN span s ON s.company_id = p.company_id
                     WHERE p.review_state = 'pending'
                       AND p.device_time >= s.first_utc AND p.device_time < s.end_utc
                     GROUP BY 1, 2
                ), carried AS (
                    SELECT g.company_id, g.month, i.score, i.done,
                           COUNT(i.score) OVER (PARTITION BY g.company_id ORDER BY g.month) AS score_group,
                           SUM(COALESCE(st.d_open, 0)) OVER w AS open,
                           SUM(COALESCE(st.d_overdue, 0)) OVER w AS overdue,
                           SUM(COALESCE(st.d_major, 0)) OVER w AS major
                      FROM grid g
                      LEFT JOIN stock st ON st.company_id = g.company_id AND st.month = g.month
                      LEFT JOIN inspection i ON i.company_id = g.company_id AND i.month = g.month
                    WINDOW w AS (PARTITION BY g.company_id ORDER BY g.month)
                )
                SELECT c.company_id, c.month,
                       b.found AS hazards_found, b.closed AS hazards_closed, b.close_days AS hazard_close_days,
                       c.open::int AS hazards_open, c.overdue::int AS hazards_overdue,
                       c.major::int AS hazards_major_open,
                       c.done AS inspections_done,
                       -- the last score so far: carried over the months without an inspection
                       MAX(c.score) OVER (PARTITION BY c.company_id, c.score_group) AS inspection_score_last,
                       p.due AS patrol_rounds_due, p.completed AS patrol_rounds_completed,
                       sc.waiting AS scans_flagged_waiting
                  FROM carried c
                  LEFT JOIN bucket b ON b.company_id = c.company_id AND b.month = c.month
                  LEFT JOIN patrol p ON p.company_id = c.company_id AND p.month = c.month
                  LEFT JOIN scan sc ON sc.company_id = c.company_id AND sc.month = c.month
                """,
                closed=PATROL_CLOSED_STATES,
            ),
            columns={
                "hazards_found": "sum",
                "hazards_closed": "sum",
                "hazard_close_days": "sum",
                "hazards_open": "last",
                "hazards_overdue": "last",
                "hazards_major_open": "last",
                "inspections_done": "sum",
                "inspection_score_last": "last",
                "patrol_rounds_due": "sum",
                "patrol_rounds_completed": "sum",
                "scans_flagged_waiting": "sum",
            },
            figures={
                "hazards_avg_close_days": ratio("hazard_close_days", "hazards_closed"),
                "patrol_completed_pct": pct("patrol_rounds_completed", "patrol_rounds_due"),
            },
            measures={
                "hazards_open": "lower",
                "hazards_overdue": "lower",
                "hazards_major_open": "lower",
                "hazards_avg_close_days": "lower",
                "inspection_score_last": "higher",
                "patrol_completed_pct": "higher",
                "scans_flagged_waiting": "lower",
            },
        )]

    # ------------------------------------------------------------ the records behind a figure

    def _safety_hazards_open_domain(self):
        self.ensure_one()
        return [
            ("company_id", "=", self.company_id.id), ("found_date", "<=", self.as_of),
            "|", ("state", "!=", "closed"), ("closed_date", ">", self.as_of),
        ]

    def action_open_hazards_open(self):
        return self._safety_open("safety.hazard", self._safety_hazards_open_domain(), self.env._("Open Hazards"))

    def action_open_hazards_overdue(self):
        return self._safety_open(
            "safety.hazard", self._safety_hazards_open_domain() + [("deadline", "<", self.as_of)],
            self.env._("Overdue Hazards"),
        )

    def action_open_hazards_major(self):
        return self._safety_open(
            "safety.hazard", self._safety_hazards_open_domain() + [("level", "=", "major")],
            self.env._("Major Hazards Open"),
        )

    def action_open_hazards_closed(self):
        self.ensure_one()
        return self._safety_open(
            "safety.hazard",
            [("company_id", "=", self.company_id.id), ("state", "=", "closed"),
             ("closed_date", ">=", self.period_start), ("closed_date", "<=", self.as_of)],
            self.env._("Hazards Closed"),
        )

    def action_open_inspections(self):
        self.ensure_one()
        return self._safety_open(
            "safety.inspection",
            [("company_id", "=", self.company_id.id), ("state", "=", "done"), ("date_done", "<=", self.as_of)],
            self.env._("Inspections"),
        )

    def action_open_patrol_rounds(self):
        self.ensure_one()
        _start, _end, utc_start, utc_end = self._safety_local_bounds()
        return self._safety_open(
            "safety.patrol.round",
            [("company_id", "=", self.company_id.id), ("state", "in", PATROL_CLOSED_STATES),
             ("planned_start", ">=", utc_start), ("planned_start", "<", utc_end)],
            self.env._("Patrol Rounds"),
        )

    def action_open_scans_waiting(self):
        self.ensure_one()
        _start, _end, utc_start, utc_end = self._safety_local_bounds()
        return self._safety_open(
            "safety.patrol.scan",
            [("company_id", "=", self.company_id.id), ("review_state", "=", "pending"),
             ("device_time", ">=", utc_start), ("device_time", "<", utc_end)],
            self.env._("Flagged Scans Waiting"),
        )
