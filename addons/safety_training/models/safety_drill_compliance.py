from odoo import fields, models, tools
from odoo.tools import SQL

from odoo.addons.school_safety.models.res_company import SCHOOL_TYPES


class SafetyDrillCompliance(models.Model):
    """Drills held against the required frequency: one row per school and period.

    Periods run from the first whole period after the school started keeping its records
    in the suite (``safety_start_date``, else its creation), or from its first drill's if
    earlier, to the current period: months before it used the suite are no shortfall. Only
    done drills count (tabletop exercises too, unless the requirement counts real drills
    only), by the day they were held in the school's time zone (its partner's, else
    Asia/Shanghai).
    """

    _name = "safety.drill.compliance"
    _description = "Drill Compliance"
    _auto = False
    _order = "period_start desc, company_id"
    _depends = {
        "safety.drill": ["company_id", "state", "date_actual", "mode"],
        "safety.drill.requirement": ["bureau_id", "school_type", "boarding_only", "period",
                                     "min_count", "active", "drill_modes"],
        "res.company": ["safety_school_type", "safety_bureau_id", "safety_is_boarding", "partner_id",
                        "safety_start_date"],
        "res.partner": ["tz"],
    }

    company_id = fields.Many2one("res.company", string="School", readonly=True)
    bureau_id = fields.Many2one("res.company", readonly=True)
    school_type = fields.Selection(SCHOOL_TYPES, readonly=True)
    is_boarding = fields.Boolean(string="Boarding School", readonly=True)
    requirement_id = fields.Many2one("safety.drill.requirement", readonly=True)
    period = fields.Selection([("month", "Month"), ("quarter", "Quarter")], readonly=True)
    period_start = fields.Date(readonly=True)
    period_end = fields.Date(readonly=True)
    required_count = fields.Integer(string="Required", readonly=True, aggregator="sum")
    done_count = fields.Integer(string="Done", readonly=True, aggregator="sum")
    shortfall = fields.Integer(readonly=True, aggregator="sum")
    compliant = fields.Boolean(readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(SQL(
            """
            CREATE OR REPLACE VIEW %s AS (
            WITH drill AS (
                SELECT d.company_id, d.mode,
                       (d.date_actual AT TIME ZONE 'UTC'
                                      AT TIME ZONE COALESCE(NULLIF(p.tz, ''), 'Asia/Shanghai'))::date AS day
                  FROM safety_drill d
                  JOIN res_company c ON c.id = d.company_id
                  LEFT JOIN res_partner p ON p.id = c.partner_id
                 WHERE d.state = 'done' AND d.date_actual IS NOT NULL
            ),
            school AS (
                SELECT c.id AS company_id,
                       c.safety_bureau_id AS bureau_id,
                       c.safety_school_type AS school_type,
                       COALESCE(c.safety_is_boarding, FALSE) AS is_boarding,
                       r.id AS requirement_id,
                       r.period,
                       r.min_count,
                       r.drill_modes,
                       LEAST(
                           -- the first whole period from the day it started
                           (date_trunc(r.unit, start.day)
                            + CASE WHEN date_trunc(r.unit, start.day)::date < start.day
                                   THEN r.step ELSE interval '0' END)::date,
                           date_trunc(r.unit, (SELECT min(d.day) FROM drill d WHERE d.company_id = c.id))::date
                       ) AS first_day,
                       GREATEST(CURRENT_DATE,
                           (SELECT max(d.day) FROM drill d WHERE d.company_id = c.id)) AS last_day
                  FROM res_company c
                  CROSS JOIN LATERAL (SELECT COALESCE(c.safety_start_date, c.create_date::date) AS day) start
                  CROSS JOIN LATERAL (
                      SELECT req.id, req.period, req.min_count, COALESCE(req.drill_modes, 'all') AS drill_modes,
                             CASE WHEN req.period = 'quarter' THEN 'quarter' ELSE 'month' END AS unit,
                             CASE WHEN req.period = 'quarter' THEN interval '3 months'
                                  ELSE interval '1 month' END AS step
                        FROM safety_drill_requirement req
                       WHERE COALESCE(req.active, FALSE)
                         AND req.school_type = c.safety_school_type
                         AND (req.bureau_id = c.safety_bureau_id OR req.bureau_id IS NULL)
                         AND (NOT COALESCE(req.boarding_only, FALSE) OR COALESCE(c.safety_is_boarding, FALSE))
                       ORDER BY COALESCE(req.boarding_only, FALSE) DESC, (req.bureau_id IS NULL), req.id
                       LIMIT 1
                  ) r
                 WHERE c.safety_school_type IS NOT NULL
            ),
            period AS (
                SELECT s.*, p::date AS period_start,
                       (p + CASE WHEN s.period = 'quarter' THEN interval '3 months'
                                 ELSE interval '1 month' END)::date AS next_start
                  FROM school s
                  CROSS JOIN LATERAL generate_series(
                      s.first_day::timestamp, s.last_day::timestamp,
                      CASE WHEN s.period = 'quarter' THEN interval '3 months' ELSE interval '1 month' END
                  ) p
            )
            SELECT p.company_id::bigint * 1000000
                       + EXTRACT(YEAR FROM p.period_start)::bigint * 100
                       + EXTRACT(MONTH FROM p.period_start)::bigint AS id,
                   p.company_id, p.bureau_id, p.school_type, p.is_boarding, p.requirement_id,
                   p.period, p.period_start, (p.next_start - 1) AS period_end,
                   p.min_count AS required_count,
                   count(d.day)::integer AS done_count,
                   GREATEST(p.min_count - count(d.day), 0)::integer AS shortfall,
                   count(d.day) >= p.min_count AS compliant
              FROM period p
              LEFT JOIN drill d
                ON d.company_id = p.company_id AND d.day >= p.period_start AND d.day < p.next_start
               AND (p.drill_modes = 'all' OR d.mode = 'real')
             GROUP BY p.company_id, p.bureau_id, p.school_type, p.is_boarding, p.requirement_id,
                      p.period, p.period_start, p.next_start, p.min_count
            )
            """,
            SQL.identifier(self._table),
        ))
