from dataclasses import dataclass, field
from datetime import date, timedelta

import pytz

from odoo import api, fields, models
from odoo.osv import expression
from odoo.tools import SQL, Query

from .res_company import INVESTMENT_GROUPS

PERIOD_TYPES = [("month", "Month"), ("quarter", "Quarter"), ("year", "Year")]
COLORS = [("green", "Green"), ("amber", "Amber"), ("red", "Red")]
# how a part's monthly column adds up into quarters and years
ROLLUPS = ("sum", "last")
# a row's id: the school's id times ID_SPAN plus the index of its period (months from 2000-01
# below 600, quarters from 600, years from 900): stable, so a row opens again by its id
ID_SPAN = 1000


@dataclass(frozen=True)
class ScorecardScope:
    """The rows a read asks for, pushed into the query so that only they are built.

    * ``first_month`` / ``last_month``: the months of the grid (None: from the school's first
      month, up to today's). The grid always starts on the first day of a period it may return
      whole and ends with a December, a period's last month, or today's month, so that a row
      returned is computed from all its months; a row of a period cut by the bounds is wrong
      but excluded by the domain it was built from;
    * ``period_types``: the kinds of period rolled up (None: all three);
    * ``company_ids``: the schools (None: every school).

    A scope only narrows what is built: the ORM still applies the whole domain and the record
    rules on top of it.
    """

    first_month: date = None
    last_month: date = None
    period_types: frozenset = None
    company_ids: tuple = None

    @classmethod
    def from_domain(cls, domain):
        """The scope of the rows ``domain`` may match: from the conditions on ``period_start``,
        ``period_end``, ``period_type`` and ``company_id`` that every row must meet (the
        top-level conjunction; a condition under an OR or a NOT narrows nothing)."""
        first, last, types, companies = None, None, None, None

        def narrow(current, value, pick):
            return value if current is None else pick(current, value)

        for leaf in cls._conjuncts(expression.normalize_domain(domain or [])):
            name, operator, value = leaf
            if name in ("period_start", "period_end") and operator in ("=", ">", ">=", "<", "<=", "in"):
                values = value if operator == "in" else [value]
                try:
                    days = [fields.Date.to_date(v) for v in values]
                except (TypeError, ValueError):
                    continue
                if not days or not all(isinstance(day, date) for day in days):
                    continue
                low, high = min(days), max(days)
                if name == "period_start":
                    # periods starting on or after a day: their months are all from its month on;
                    # starting on or before it: they end with its year at the latest
                    if operator in ("=", "in", ">", ">="):
                        first = narrow(first, low.replace(day=1), max)
                    if operator in ("=", "in", "<", "<="):
                        last = narrow(last, high.replace(month=12, day=1), min)
                else:
                    # ending on or after a day: they start in its year at the earliest;
                    # ending on or before it: their months are all up to its month
                    if operator in ("=", "in", ">", ">="):
                        first = narrow(first, low.replace(month=1, day=1), max)
                    if operator in ("=", "in", "<", "<="):
                        last = narrow(last, high.replace(day=1), min)
            elif name == "period_type" and operator in ("=", "in"):
                values = frozenset(value if operator == "in" else [value])
                if values <= {key for key, _label in PERIOD_TYPES}:
                    types = narrow(types, values, frozenset.intersection)
            elif name in ("company_id", "company_id.id") and operator in ("=", "in"):
                values = value if operator == "in" else [value]
                if isinstance(values, (list, tuple)) and all(
                    isinstance(v, int) and not isinstance(v, bool) for v in values
                ):
                    ids = frozenset(values)
                    companies = ids if companies is None else companies & ids
        return cls(
            first_month=first, last_month=last, period_types=types,
            company_ids=tuple(sorted(companies)) if companies is not None else None,
        )

    @classmethod
    def from_ids(cls, ids):
        """The scope of rows read by their ids (``ID_SPAN``): their schools, and the years of
        their periods."""
        ids = [i for i in ids if isinstance(i, int)]
        if not ids:
            return cls()
        years = set()
        for row_id in ids:
            index = row_id % ID_SPAN
            if index < 600:
                years.add(2000 + index // 12)
            elif index < 900:
                years.add(2000 + (index - 600) // 4)
            else:
                years.add(2000 + index - 900)
        return cls(
            first_month=date(min(years), 1, 1), last_month=date(max(years), 12, 1),
            company_ids=tuple(sorted({i // ID_SPAN for i in ids})),
        )

    @staticmethod
    def _conjuncts(domain):
        """The leaves of a normalized domain that every record matching it meets."""
        leaves = []

        def walk(position, in_and):
            token = domain[position]
            if token in (expression.AND_OPERATOR, expression.OR_OPERATOR):
                after_left = walk(position + 1, in_and and token == expression.AND_OPERATOR)
                return walk(after_left, in_and and token == expression.AND_OPERATOR)
            if token == expression.NOT_OPERATOR:
                return walk(position + 1, False)
            if in_and and isinstance(token, (list, tuple)) and len(token) == 3:
                leaves.append(tuple(token))
            return position + 1

        if domain:
            walk(0, True)
        return leaves


def pct(numerator, denominator):
    """SQL of a percentage with one decimal of two columns of the rolled-up row ``r``
    (NULL when the denominator is 0: no data, no colour)."""
    return SQL(
        "ROUND(100.0 * r.%s / NULLIF(r.%s, 0), 1)::float",
        SQL.identifier(numerator), SQL.identifier(denominator),
    )


def ratio(numerator, denominator):
    """SQL of an average with one decimal (NULL when the denominator is 0)."""
    return SQL(
        "ROUND(1.0 * r.%s / NULLIF(r.%s, 0), 1)::float",
        SQL.identifier(numerator), SQL.identifier(denominator),
    )


@dataclass(frozen=True)
class ScorecardPart:
    """The columns one addon brings to the scorecard (``_safety_scorecard_parts``).

    * ``name``: the part's alias in the query, unique;
    * ``monthly``: SQL giving at most one row per ``(company_id, month)`` with ``columns``. It may
      read the query's ``school`` (company_id, bureau_id, tz, today, first_month, last_month: the
      grid's first and last months, which a read may narrow to the periods it asks for, see
      ``ScorecardScope``), ``span`` (the same with first_utc and end_utc, the grid's bounds as UTC
      datetimes: a flow of the months only needs the records between them) and ``grid``
      (company_id, bureau_id, tz, month, next_month, asof: one row per school and month, the
      figures of a month being those at its end, or today for the current month);
    * ``columns``: ``{column: "sum" | "last"}``, how the months add up into quarters and years:
      flows (found in the month) are summed, states at the end of the period (open at its end)
      take the last month's value. A missing row counts 0 for a flow and NULL (no data) for a
      state;
    * ``figures``: ``{column: SQL}``, figures derived from the rolled-up columns of the row ``r``
      (``pct()``, ``ratio()``);
    * ``measures``: ``{column: "higher" | "lower"}``, the figures coloured green, amber or red by
      the bureau's thresholds (``safety.scorecard.threshold``) and counted in the score, with
      whether a higher or a lower value is better. Each needs a field ``<column>_color``.

    Every column and figure is a field of ``safety.school.scorecard`` that the addon declares.
    """

    name: str
    monthly: SQL
    columns: dict
    figures: dict = field(default_factory=dict)
    measures: dict = field(default_factory=dict)


class SafetySchoolScorecard(models.Model):
    """The bureau's scorecard: one row per school and period (month, quarter, year).

    A report model (``_table_query``) composed of the parts the
    installed addons bring (``_safety_scorecard_parts``): school_safety brings the periods and
    its own columns (letters, guards, incidents, safety investment), safety_inspection its hazards, inspections and
    patrols, safety_training its drills and trainings. The addons below never name the columns
    of the addons above them. Each measure is coloured by the bureau's thresholds, and the
    ``score`` (the share of green, amber counting half) ranks the schools of a period.

    The months are computed from the records, except those the refresh job keeps
    (``safety.school.scorecard.month``: every month of every school, the current one every half
    hour, the closed ones of this year and last year each night): a read computes only the
    months after them, so the bureau's list and dashboard read stored figures.
    """

    _name = "safety.school.scorecard"
    _description = "School Safety Scorecard"
    _auto = False
    _order = "period_start desc, score desc, company_id"
    _rec_names_search = ["company_id", "name"]
    # what the query reads, flushed before it runs (each addon adds the models of its part)
    _depends = {
        "res.company": ["safety_school_type", "safety_bureau_id", "safety_start_date", "active", "partner_id",
                        "safety_guards_required", "safety_guards_contracted", "safety_is_bureau"],
        "res.partner": ["tz"],
        "hr.employee": ["company_id", "active", "safety_position"],
        "safety.letter": ["company_id", "year", "state", "issue_date", "signed_date", "superseded_date"],
        "safety.incident": ["company_id", "occurred_at", "injured_count", "death_count"],
        "safety.scorecard.threshold": ["bureau_id", "measure", "period_type", "green_limit", "amber_limit",
                                       "active"],
        "safety.budget": ["company_id", "year", "state"],
        "safety.budget.line": ["budget_id", "amount"],
        # and the category column of the safety investment plan (flushed by the budget part)
        "account.analytic.line": ["company_id", "date", "amount"],
        "safety.school.scorecard.month": ["company_id", "month", "as_of", "stored_at", "figures"],
    }

    name = fields.Char(string="Period", readonly=True)
    company_id = fields.Many2one("res.company", string="School", readonly=True)
    bureau_id = fields.Many2one("res.company", readonly=True)
    period_type = fields.Selection(PERIOD_TYPES, readonly=True)
    period_start = fields.Date(readonly=True)
    period_end = fields.Date(readonly=True)
    as_of = fields.Date(string="Figures As Of", readonly=True,
                        help="The end of the period, or today for the current period.")
    is_current = fields.Boolean(string="Current Period", readonly=True)
    computed_at = fields.Datetime(
        string="Figures Computed At", readonly=True,
        help="When the figures were computed from the records: now, or when the refresh job last stored "
             "them (the earliest of the period's months).",
    )
    score = fields.Float(
        digits=(5, 1), aggregator="avg", readonly=True,
        help="Share of the school's coloured figures that are green, an amber one counting half (0-100).",
    )
    green_count = fields.Integer(string="Green Figures", readonly=True)
    amber_count = fields.Integer(string="Amber Figures", readonly=True)
    red_count = fields.Integer(string="Red Figures", readonly=True)
    # ---- school_safety's columns
    letters_total = fields.Integer(
        string="Letters Issued", readonly=True,
        help="Responsibility letters of the period's year issued by the end of the period, not superseded.",
    )
    letters_signed = fields.Integer(readonly=True)
    letters_signed_pct = fields.Float(string="Letters Signed (%)", digits=(5, 1), aggregator="avg", readonly=True)
    letters_signed_pct_color = fields.Selection(COLORS, string="Letters Signed Colour", readonly=True)
    guards_required = fields.Integer(
        readonly=True, help="GB/T 29315-2022, by the bureau's guard rule (today's)."
    )
    guards_employed = fields.Integer(readonly=True, help="Today's guards.")
    guards_pct = fields.Float(
        string="Guards Against Requirement (%)", digits=(5, 1), aggregator="avg", readonly=True
    )
    guards_pct_color = fields.Selection(COLORS, string="Guards Colour", readonly=True)
    incident_count = fields.Integer(string="Incidents", readonly=True)
    incident_count_color = fields.Selection(COLORS, string="Incidents Colour", readonly=True)
    incident_injured = fields.Integer(string="People Injured", readonly=True)
    incident_deaths = fields.Integer(string="Deaths", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    budget_total = fields.Monetary(
        string="Safety Budget", readonly=True, groups=INVESTMENT_GROUPS,
        help="The school's approved safety budget of the period's year (as revised), empty without one.",
    )
    budget_spent = fields.Monetary(
        string="Spent to Date", readonly=True, groups=INVESTMENT_GROUPS,
        help="Safety investment spent in the period's year up to the end of the period (or today): every "
             "analytic line of the school charged to a category of safety investment.",
    )
    budget_execution_pct = fields.Float(
        string="Budget Execution (%)", digits=(5, 1), aggregator="avg", readonly=True, groups=INVESTMENT_GROUPS,
        help="Spent to date against the year's budget; empty without an approved budget.",
    )

    # ------------------------------------------------------------ the parts

    @api.model
    def _safety_scorecard_parts(self):
        """The parts of the scorecard, one per addon (``ScorecardPart``). An addon adds its own:
        ``return super()._safety_scorecard_parts() + [ScorecardPart(...)]``, and declares its
        columns, figures and ``<measure>_color`` fields on this model."""
        return [ScorecardPart(
            name="school_safety",
            monthly=SQL("""
                WITH letter AS (
                    -- +1 to the letters when issued, +1 to the signed when signed, both -1 when
                    -- superseded: the letters of a year as of any day are the sum up to it
                    SELECT l.company_id, l.year, date_trunc('month', e.day)::date AS month,
                           SUM(e.issued)::int AS issued, SUM(e.signed)::int AS signed
                      FROM safety_letter l
                      JOIN school s ON s.company_id = l.company_id
                     CROSS JOIN LATERAL (VALUES
                           ((l.issue_date AT TIME ZONE 'UTC' AT TIME ZONE s.tz)::date, 1, 0),
                           ((l.signed_date AT TIME ZONE 'UTC' AT TIME ZONE s.tz)::date, 0, 1),
                           (CASE WHEN l.issue_date IS NOT NULL
                                 THEN (l.superseded_date AT TIME ZONE 'UTC' AT TIME ZONE s.tz)::date END, -1,
                            CASE WHEN l.signed_date <= l.superseded_date THEN -1 ELSE 0 END)
                     ) e(day, issued, signed)
                     WHERE l.state != 'draft' AND e.day IS NOT NULL AND e.day <= s.today
                       AND l.year BETWEEN EXTRACT(YEAR FROM s.first_month) AND EXTRACT(YEAR FROM s.last_month)
                     GROUP BY 1, 2, 3
                ), letters AS (
                    SELECT g.company_id, g.month, SUM(l.issued)::int AS issued, SUM(l.signed)::int AS signed
                      FROM grid g
                      JOIN letter l ON l.company_id = g.company_id
                                   AND l.year = EXTRACT(YEAR FROM g.month) AND l.month <= g.month
                     GROUP BY 1, 2
                ), guards AS (
                    SELECT s.company_id, c.safety_guards_required AS required,
                           COALESCE(c.safety_guards_contracted, 0) + (
                               SELECT COUNT(*) FROM hr_employee e
                                WHERE e.company_id = s.company_id AND e.active AND e.safety_position = 'guard'
                           )::int AS employed
                      FROM school s JOIN res_company c ON c.id = s.company_id
                ), incident AS (
                    SELECT i.company_id,
                           date_trunc('month', i.occurred_at AT TIME ZONE 'UTC' AT TIME ZONE s.tz)::date AS month,
                           COUNT(*)::int AS n, SUM(i.injured_count)::int AS injured,
                           SUM(i.death_count)::int AS deaths
                      FROM safety_incident i
                      JOIN span s ON s.company_id = i.company_id
                     WHERE i.occurred_at >= s.first_utc AND i.occurred_at < s.end_utc
                     GROUP BY 1, 2
                )
                SELECT g.company_id, g.month,
                       COALESCE(l.issued, 0) AS letters_total, COALESCE(l.signed, 0) AS letters_signed,
                       gu.required AS guards_required, gu.employed AS guards_employed,
                       i.n AS incident_count, i.injured AS incident_injured, i.deaths AS incident_deaths
                  FROM grid g
                  LEFT JOIN letters l ON l.company_id = g.company_id AND l.month = g.month
                  LEFT JOIN guards gu ON gu.company_id = g.company_id
                  LEFT JOIN incident i ON i.company_id = g.company_id AND i.month = g.month
            """),
            columns={
                "letters_total": "last",
                "letters_signed": "last",
                "guards_required": "last",
                "guards_employed": "last",
                "incident_count": "sum",
                "incident_injured": "sum",
                "incident_deaths": "sum",
            },
            figures={
                "letters_signed_pct": pct("letters_signed", "letters_total"),
                "guards_pct": pct("guards_employed", "guards_required"),
            },
            measures={
                "letters_signed_pct": "higher",
                "guards_pct": "higher",
                "incident_count": "lower",
            },
        ), self._safety_scorecard_budget_part()]

    @api.model
    def _safety_scorecard_budget_part(self):
        """The safety investment of the period's year: its approved budget, what was spent from
        the first of January up to the end of the period (or today), and the ratio of the two.
        Spending is what ``safety.investment.execution`` counts: the school's analytic lines
        charged to a category of the "Safety Investment" plan, whose column is asked from the
        plan each time (none yet: nothing spent)."""
        category_column, _fund_column = self.env["account.analytic.plan"]._safety_columns()
        if category_column:
            self.env["account.analytic.line"].flush_model([category_column])
            spent = SQL(
                """
                -- a line of the school's first year dated before its first month counts in it
                SELECT l.company_id, GREATEST(date_trunc('month', l.date)::date, s.first_month) AS month,
                       -SUM(l.amount) AS amount
                  FROM account_analytic_line l
                  JOIN school s ON s.company_id = l.company_id
                 WHERE %(category)s IS NOT NULL
                   AND l.date >= date_trunc('year', s.first_month) AND l.date <= s.today
                   AND l.date < s.last_month + interval '1 month'
                 GROUP BY 1, 2
                """,
                category=SQL.identifier("l", category_column),
            )
        else:
            spent = SQL("SELECT NULL::integer AS company_id, NULL::date AS month, 0::numeric AS amount WHERE FALSE")
        return ScorecardPart(
            name="school_safety_budget",
            monthly=SQL(
                """
                WITH budget AS (
                    SELECT b.company_id, b.year, COALESCE(SUM(bl.amount), 0) AS amount
                      FROM safety_budget b
                      JOIN school s ON s.company_id = b.company_id
                      LEFT JOIN safety_budget_line bl ON bl.budget_id = b.id
                     WHERE b.state IN ('approved', 'closed')
                     GROUP BY 1, 2
                ), spent AS (%(spent)s)
                SELECT g.company_id, g.month, c.currency_id, bu.amount AS budget_total,
                       SUM(COALESCE(sp.amount, 0)) OVER (
                           PARTITION BY g.company_id, date_trunc('year', g.month) ORDER BY g.month
                       ) AS budget_spent
                  FROM grid g
                  JOIN res_company c ON c.id = g.company_id
                  LEFT JOIN budget bu ON bu.company_id = g.company_id AND bu.year = EXTRACT(YEAR FROM g.month)
                  LEFT JOIN spent sp ON sp.company_id = g.company_id AND sp.month = g.month
                """,
                spent=spent,
            ),
            # both are the year's as of the end of each month: a quarter or a year takes its last
            columns={"currency_id": "last", "budget_total": "last", "budget_spent": "last"},
            figures={"budget_execution_pct": pct("budget_spent", "budget_total")},
        )

    @api.model
    def _safety_scorecard_measures(self):
        """``{measure: "higher" | "lower"}`` of every installed part, in their order."""
        measures = {}
        for part in self._safety_scorecard_parts():
            measures.update(part.measures)
        return measures

    # ------------------------------------------------------------ the query

    @property
    def _table_query(self):
        return self._safety_scorecard_query()

    @api.model
    def _safety_table_sql(self, scope):
        """``_table_sql`` of the query built for ``scope`` only, with the same fields to flush.

        The planner's row estimates of the composed query are far off (CTEs over
        ``generate_series``, joined part by part), so its cost sends it to PostgreSQL's JIT
        compiler: 24 s of compiling for 3.6 s of running, measured on the benchmark's bureau.
        JIT is turned off for the rest of the transaction that reads the scorecard (``SET
        LOCAL``: the next transaction has the server's setting again)."""
        self.env.cr.execute(SQL("SET LOCAL jit = off"))
        # as models.BaseModel._table_sql: the fields of _depends and of the models they name
        fields_to_flush = []
        models_to_read = [self]
        while models_to_read:
            current = models_to_read.pop()
            for model_name, field_names in current._depends.items():
                model = self.env[model_name]
                models_to_read.append(model)
                fields_to_flush.extend(model._fields[fname] for fname in field_names)
        return SQL().join([
            SQL("(%s)", self._safety_scorecard_query(scope=scope)),
            *(SQL(to_flush=field) for field in fields_to_flush),
        ])

    @api.model
    def _where_calc(self, domain, active_test=True):
        # the rows the domain may match, pushed into the query: only their periods are built
        # (the model has no active field; the domain and the record rules apply on top)
        query = Query(self.env, self._table, self._safety_table_sql(ScorecardScope.from_domain(domain)))
        if domain:
            return expression.expression(domain, self, query=query).query
        return query

    def _as_query(self, ordered=True):
        # rows read by their ids: their schools and years only
        query = Query(self.env, self._table, self._safety_table_sql(ScorecardScope.from_ids(self._ids)))
        query.set_result_ids(self._ids, ordered)
        return query

    @api.model
    def _safety_scorecard_columns(self):
        """``[(part, column, rollup)]``: the monthly columns of every installed part."""
        return [(part, name, rollup) for part in self._safety_scorecard_parts()
                for name, rollup in part.columns.items()]

    @api.model
    def _safety_column_type(self, name):
        """The SQL type a monthly column is read back as from the stored months' JSON."""
        kind = self._fields[name].type if name in self._fields else None
        return SQL({"integer": "int4", "many2one": "int4", "float": "float8"}.get(kind, "numeric"))

    @api.model
    def _safety_scorecard_query(self, now=None, scope=None, stored=True, monthly_only=False):
        """The scorecard's SQL, composed of the installed parts; ``now`` (UTC) is the moment
        the figures are read at (by default now: tests freeze it); ``scope``
        (``ScorecardScope``) the rows to build (by default all).

        ``stored``: the months kept by the refresh job (``safety.school.scorecard.month``) are
        read from there, and only the months after them are computed from the records: a
        school's stored months are used when they run without a gap from its first month,
        else all its months are computed. ``monthly_only``: the months only (what the refresh
        job stores), not rolled up into periods."""
        parts = self._safety_scorecard_parts()
        now = now or fields.Datetime.now()
        scope = scope or ScorecardScope()
        types = scope.period_types if scope.period_types is not None else frozenset(k for k, _l in PERIOD_TYPES)
        ident = SQL.identifier
        columns = self._safety_scorecard_columns()
        figures = [(name, expression) for part in parts for name, expression in part.figures.items()]
        measures = self._safety_scorecard_measures()
        part_ctes = SQL(", ").join(
            SQL("%s AS (%s)", ident(f"part_{part.name}"), part.monthly) for part in parts
        )
        monthly_columns = SQL(", ").join(
            SQL("COALESCE(%s.%s, 0) AS %s", ident(f"part_{part.name}"), ident(name), ident(name))
            if rollup == "sum" else
            SQL("%s.%s AS %s", ident(f"part_{part.name}"), ident(name), ident(name))
            for part, name, rollup in columns
        )
        part_joins = SQL(" ").join(
            SQL("LEFT JOIN %s ON %s.company_id = g.company_id AND %s.month = g.month",
                ident(f"part_{part.name}"), ident(f"part_{part.name}"), ident(f"part_{part.name}"))
            for part in parts
        )
        month_columns = SQL(", ").join(ident(name) for _part, name, _rollup in columns)
        rolled_columns = SQL(", ").join(
            SQL("SUM(%s) AS %s", ident(name), ident(name)) if rollup == "sum" else
            SQL("(array_agg(%s ORDER BY month DESC))[1] AS %s", ident(name), ident(name))
            for _part, name, rollup in columns
        )
        figure_columns = SQL("").join(
            SQL(", %s AS %s", expression, ident(name)) for name, expression in figures
        )
        color_columns = SQL("").join(
            SQL(", %s AS %s", self._safety_color_sql(name, direction), ident(f"{name}_color"))
            for name, direction in measures.items()
        )

        def color_count(color):
            if not measures:
                return SQL("0")
            return SQL(" + ").join(
                SQL("COALESCE((%s = %s)::int, 0)", ident(f"{name}_color"), color) for name in measures
            )

        stored_columns = SQL(", ").join(
            SQL("(st.figures ->> %s)::%s AS %s", name, self._safety_column_type(name), ident(name))
            for _part, name, _rollup in columns
        )
        if stored:
            stored_rows = SQL(
                """
                UNION ALL
                SELECT s.company_id, s.bureau_id, st.month, (st.month + interval '1 month')::date,
                       st.as_of, st.stored_at, %(stored_columns)s
                  FROM school s
                  JOIN safety_school_scorecard_month st
                    ON st.company_id = s.company_id AND st.month >= s.shown_first
                   AND st.month < s.first_month AND st.month <= s.last_month
                """,
                stored_columns=stored_columns,
            )
            # the months after a school's stored ones, when they run from its first month
            stored_span = SQL(
                "LEFT JOIN (%s) st ON st.company_id = c.id",
                self.env["safety.school.scorecard.month"]._safety_after_stored_sql(),
            )
            live_first = SQL("st.after")
        else:
            stored_rows, stored_span, live_first = SQL(), SQL(), SQL("NULL::date")
        frame = SQL(
            """
            WITH base AS (
                SELECT c.id AS company_id, c.safety_bureau_id AS bureau_id,
                       COALESCE(NULLIF(p.tz, ''), 'Asia/Shanghai') AS tz,
                       (%(now)s::timestamp AT TIME ZONE 'UTC'
                                           AT TIME ZONE COALESCE(NULLIF(p.tz, ''), 'Asia/Shanghai'))::date AS today,
                       GREATEST(
                           date_trunc('month', COALESCE(c.safety_start_date, c.create_date::date))::date,
                           %(scope_first)s::date
                       ) AS shown_first,
                       %(live_first)s AS live_first,
                       LEAST(
                           date_trunc('month', (%(now)s::timestamp AT TIME ZONE 'UTC' AT TIME ZONE
                                                COALESCE(NULLIF(p.tz, ''), 'Asia/Shanghai')))::date,
                           %(scope_last)s::date
                       ) AS last_month
                  FROM res_company c
                  LEFT JOIN res_partner p ON p.id = c.partner_id
                  %(stored_span)s
                 WHERE c.safety_school_type IS NOT NULL AND c.active %(scope_companies)s
            ), school AS (
                -- first_month: the first month computed from the records (the grid's), after the
                -- stored ones; shown_first: the first month of the rows built
                SELECT b.company_id, b.bureau_id, b.tz, b.today, b.shown_first, b.last_month,
                       GREATEST(b.shown_first, b.live_first) AS first_month
                  FROM base b
            ), span AS (
                -- the grid's bounds as UTC moments, for the parts' filters on datetimes
                SELECT s.*, (s.first_month::timestamp AT TIME ZONE s.tz AT TIME ZONE 'UTC') AS first_utc,
                       ((s.last_month + interval '1 month')::timestamp AT TIME ZONE s.tz AT TIME ZONE 'UTC')
                           AS end_utc
                  FROM school s
            ), grid AS (
                SELECT s.company_id, s.bureau_id, s.tz, m::date AS month,
                       (m + interval '1 month')::date AS next_month,
                       LEAST((m + interval '1 month')::date - 1, s.today) AS asof
                  FROM school s
                 CROSS JOIN LATERAL generate_series(
                       s.first_month::timestamp, s.last_month::timestamp, interval '1 month') m
            ), %(part_ctes)s,
            monthly AS (
                SELECT g.company_id, g.bureau_id, g.month, g.next_month, g.asof,
                       %(now)s::timestamp AS computed_at, %(monthly_columns)s
                  FROM grid g %(part_joins)s
                %(stored_rows)s
            )
            """,
            now=now, scope_first=scope.first_month, scope_last=scope.last_month,
            scope_companies=SQL("AND c.id IN %s", scope.company_ids or (0,)) if scope.company_ids is not None
            else SQL(),
            live_first=live_first, stored_span=stored_span, stored_rows=stored_rows,
            part_ctes=part_ctes, monthly_columns=monthly_columns, part_joins=part_joins,
        )
        if monthly_only:
            return SQL(
                "%s SELECT company_id, month, asof, computed_at, %s FROM monthly",
                frame, month_columns,
            )
        return SQL(
            """%(frame)s, rolled AS (
                SELECT company_id, bureau_id, 'month' AS period_type, month AS period_start,
                       next_month - 1 AS period_end, asof, computed_at, %(month_columns)s
                  FROM monthly
                 WHERE %(with_months)s
                UNION ALL
                SELECT company_id, bureau_id, 'quarter', date_trunc('quarter', month)::date,
                       (date_trunc('quarter', month) + interval '3 months')::date - 1, MAX(asof), MIN(computed_at),
                       %(rolled_columns)s
                  FROM monthly
                 WHERE %(with_quarters)s
                 GROUP BY company_id, bureau_id, date_trunc('quarter', month)
                UNION ALL
                SELECT company_id, bureau_id, 'year', date_trunc('year', month)::date,
                       (date_trunc('year', month) + interval '1 year')::date - 1, MAX(asof), MIN(computed_at),
                       %(rolled_columns)s
                  FROM monthly
                 WHERE %(with_years)s
                 GROUP BY company_id, bureau_id, date_trunc('year', month)
            ), threshold AS (
                -- per bureau and kind of period, each measure's [green, amber] limits: the
                -- bureau's own row before the default, a row for the kind of period before one for all
                SELECT b.bureau_id, pt.period_type,
                       jsonb_object_agg(t.measure, jsonb_build_array(t.green_limit, t.amber_limit)) AS limits
                  FROM (SELECT id AS bureau_id FROM res_company WHERE safety_is_bureau
                        UNION ALL SELECT 0) b
                 CROSS JOIN (VALUES ('month'), ('quarter'), ('year')) pt(period_type)
                 CROSS JOIN LATERAL (
                       SELECT DISTINCT ON (x.measure) x.measure, x.green_limit, x.amber_limit
                         FROM safety_scorecard_threshold x
                        WHERE x.active AND (x.bureau_id = b.bureau_id OR x.bureau_id IS NULL)
                          AND (x.period_type = pt.period_type OR x.period_type IS NULL)
                        ORDER BY x.measure, (x.bureau_id IS NULL), (x.period_type IS NULL)
                 ) t
                 GROUP BY b.bureau_id, pt.period_type
            ), figured AS (
                SELECT r.* %(figure_columns)s FROM rolled r
            ), colored AS (
                SELECT f.* %(color_columns)s
                  FROM figured f
                  LEFT JOIN threshold th ON th.bureau_id = COALESCE(f.bureau_id, 0)
                                        AND th.period_type = f.period_type
            )
            SELECT k.company_id * %(span)s + CASE k.period_type
                       WHEN 'month' THEN (EXTRACT(YEAR FROM k.period_start)::int - 2000) * 12
                                         + EXTRACT(MONTH FROM k.period_start)::int - 1
                       WHEN 'quarter' THEN 600 + (EXTRACT(YEAR FROM k.period_start)::int - 2000) * 4
                                           + EXTRACT(QUARTER FROM k.period_start)::int - 1
                       ELSE 900 + EXTRACT(YEAR FROM k.period_start)::int - 2000 END AS id,
                   CASE k.period_type WHEN 'month' THEN to_char(k.period_start, 'YYYY-MM')
                                      WHEN 'quarter' THEN to_char(k.period_start, 'YYYY "Q"Q')
                                      ELSE to_char(k.period_start, 'YYYY') END AS name,
                   k.period_end >= s.today AND k.period_start <= s.today AS is_current,
                   k.asof AS as_of,
                   k.*,
                   ROUND((100.0 * (%(green)s) + 50.0 * (%(amber)s))
                         / NULLIF((%(green)s) + (%(amber)s) + (%(red)s), 0), 1)::float AS score,
                   (%(green)s) AS green_count, (%(amber)s) AS amber_count, (%(red)s) AS red_count
              FROM colored k
              JOIN school s ON s.company_id = k.company_id
            """,
            frame=frame,
            with_months=SQL("TRUE" if "month" in types else "FALSE"),
            with_quarters=SQL("TRUE" if "quarter" in types else "FALSE"),
            with_years=SQL("TRUE" if "year" in types else "FALSE"),
            month_columns=month_columns, rolled_columns=rolled_columns, figure_columns=figure_columns,
            color_columns=color_columns, span=ID_SPAN,
            green=color_count("green"), amber=color_count("amber"), red=color_count("red"),
        )

    @api.model
    def _safety_color_sql(self, measure, direction):
        """SQL of a measure's colour from the threshold row ``th``: higher is better, green from
        the green limit, amber from the amber limit, else red; lower is better, green up to the
        green limit, amber up to the amber limit, else red. No value or no threshold: no colour."""
        limit = SQL("(th.limits -> %s ->> %s)::float", measure, 0)
        amber = SQL("(th.limits -> %s ->> %s)::float", measure, 1)
        value = SQL.identifier(measure)
        compare = SQL(">=") if direction == "higher" else SQL("<=")
        return SQL(
            """CASE WHEN f.%(value)s IS NULL OR th.limits -> %(measure)s IS NULL THEN NULL
                    WHEN f.%(value)s %(compare)s %(green)s THEN 'green'
                    WHEN f.%(value)s %(compare)s %(amber)s THEN 'amber'
                    ELSE 'red' END""",
            value=value, measure=measure, compare=compare, green=limit, amber=amber,
        )

    # ------------------------------------------------------------ refresh

    def action_safety_refresh(self):
        """*Refresh Figures*: the months of the schools the user works in (the allowed
        companies) computed from the records now and stored, the current one included; a school
        refreshed less than a minute ago is not computed again."""
        self.check_access("read")
        Month = self.env["safety.school.scorecard.month"].sudo()
        schools = Month._safety_refresh_recent(self.env.companies.filtered("safety_school_type").sudo())
        if schools:
            Month._safety_refresh(companies=schools)
        return {"type": "ir.actions.client", "tag": "soft_reload"}

    # ------------------------------------------------------------ the records behind a figure

    def _safety_local_bounds(self):
        """(first day, day after the as-of date) of the row, and the same as UTC datetimes at
        midnight in the school's time zone: what the figures of the row count."""
        self.ensure_one()
        tz = pytz.timezone(self.company_id.sudo()._safety_tz())
        start = self.period_start
        end = self.as_of + timedelta(days=1)

        def utc(day):
            return tz.localize(fields.Datetime.to_datetime(day)).astimezone(pytz.utc).replace(tzinfo=None)

        return start, end, utc(start), utc(end)

    def _safety_open(self, model, domain, name, views=("list", "form"), context=None):
        """The window action listing ``model``'s records behind a figure of this row."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("%(figure)s: %(school)s, %(period)s",
                               figure=name, school=self.company_id.name, period=self.name),
            "res_model": model,
            "domain": domain,
            "views": [(False, view) for view in views],
            "context": dict(context or {}, create=False),
            "target": "current",
        }

    def action_open_letters(self):
        self.ensure_one()
        return self._safety_open(
            "safety.letter",
            [("company_id", "=", self.company_id.id), ("year", "=", self.period_start.year),
             ("state", "!=", "draft")],
            self.env._("Responsibility Letters"),
            context={"search_default_group_progress": 1},
        )

    def action_open_school(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.company",
            "res_id": self.company_id.id,
            "views": [(self.env.ref("school_safety.res_company_view_form_school").id, "form")],
            "target": "current",
        }

    def action_open_incidents(self):
        self.ensure_one()
        _start, _end, utc_start, utc_end = self._safety_local_bounds()
        return self._safety_open(
            "safety.incident",
            [("company_id", "=", self.company_id.id), ("occurred_at", ">=", utc_start),
             ("occurred_at", "<", utc_end)],
            self.env._("Incidents"),
        )

    def action_open_budget(self):
        self.ensure_one()
        return self._safety_open(
            "safety.investment.execution",
            [("company_id", "=", self.company_id.id), ("year", "=", self.period_start.year),
             ("date", "<=", self.as_of)],
            self.env._("Budget Execution"),
            views=("pivot", "list"),
        )
