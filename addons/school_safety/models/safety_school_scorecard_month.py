import logging
from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL

from .safety_school_scorecard import ScorecardScope

_logger = logging.getLogger(__name__)

# schools computed per statement of the refresh job
REFRESH_BATCH = 200
# a refresh asked from the scorecard is not repeated within this many seconds
REFRESH_COOLDOWN = 60


class SafetySchoolScorecardMonth(models.Model):
    """The scorecard's months as the refresh job computed them: one row per school and month,
    its monthly columns (every installed part's, as JSON) and when they were computed.

    The scorecard reads a school's stored months when they run without a gap from its first
    month, and computes only the months after them from the records. The job stores the current
    month (every half hour: its row is provisional, as of its day) and, once a month is over,
    the month as of its last day (final). Each night it recomputes the months of this year and
    last year, so that a record entered late for a closed month (an incident reported after the
    fact, a scan synced days later, a certificate of a past session) counts there by the next
    morning; older months are final. Nobody writes these rows but the job, and only the system
    administrator reads them: the scorecard's record rules apply to what is read through it."""

    _name = "safety.school.scorecard.month"
    _description = "School Scorecard: Stored Month"
    _order = "company_id, month"
    _log_access = False

    company_id = fields.Many2one("res.company", string="School", required=True, index=True, ondelete="cascade",
                                 readonly=True)
    month = fields.Date(required=True, readonly=True, help="The first day of the month.")
    as_of = fields.Date(string="Figures As Of", required=True, readonly=True,
                        help="The month's last day once it is over, else the day it was computed.")
    stored_at = fields.Datetime(required=True, readonly=True)
    figures = fields.Json(readonly=True, help="The scorecard's monthly columns of every installed part.")

    _sql_constraints = [
        ("company_month_unique", "unique(company_id, month)", "A school's month is stored once."),
    ]

    @api.model
    def _cron_refresh(self, nightly=False):
        """The job: the current month of every school (and a month just over, as final); at
        night also this year's and last year's months."""
        today = fields.Date.context_today(self)
        since = date(today.year - 1, 1, 1) if nightly else None
        return self._safety_refresh(since=since, cron=True)

    @api.model
    def _safety_refresh(self, companies=None, since=None, now=None, cron=False):
        """Compute and store the months of ``companies`` (default: every active school), for
        each from its first month not stored as final (or missing) up to its current month;
        from ``since`` at the latest when given. Returns the number of months stored.

        One statement per batch of schools starting from the same month: the scorecard's own
        query of their months (``monthly_only``, not reading the store), upserted."""
        now = now or fields.Datetime.now()
        Card = self.env["safety.school.scorecard"].sudo()
        Card.env.flush_all()
        schools = companies if companies is not None else self.env["res.company"].sudo().search(
            [("safety_school_type", "!=", False)])
        starts = self._safety_refresh_starts(schools.ids, since)
        batches = []
        for first in sorted(set(starts.values())):
            ids = sorted(company for company, start in starts.items() if start == first)
            batches.extend((first, ids[i:i + REFRESH_BATCH]) for i in range(0, len(ids), REFRESH_BATCH))
        columns = [name for _part, name, _rollup in Card._safety_scorecard_columns()]
        # as for the scorecard's reads (``_safety_table_sql``): no JIT for the composed query
        self.env.cr.execute(SQL("SET LOCAL jit = off"))
        stored, done = 0, 0
        for first, ids in batches:
            monthly = Card._safety_scorecard_query(
                now=now, scope=ScorecardScope(first_month=first, company_ids=tuple(ids)),
                stored=False, monthly_only=True,
            )
            self.env.cr.execute(SQL(
                """
                INSERT INTO safety_school_scorecard_month (company_id, month, as_of, stored_at, figures)
                SELECT m.company_id, m.month, m.asof, m.computed_at,
                       (SELECT to_jsonb(f) FROM (SELECT %(columns)s) f)
                  FROM (%(monthly)s) m
                ON CONFLICT (company_id, month) DO UPDATE
                   SET as_of = EXCLUDED.as_of, stored_at = EXCLUDED.stored_at, figures = EXCLUDED.figures
                """,
                columns=SQL(", ").join(SQL("m.%s", SQL.identifier(name)) for name in columns),
                monthly=monthly,
            ))
            stored += self.env.cr.rowcount
            done += len(ids)
            if cron:
                self.env["ir.cron"]._notify_progress(done=done, remaining=len(schools) - done)
        self.invalidate_model()
        _logger.info("scorecard refresh: %d months of %d schools stored in %d batches", stored, len(schools),
                     len(batches))
        return stored

    @api.model
    def _safety_after_stored_sql(self, final=False):
        """SQL of ``(company_id, after)`` per school with stored months: the month after them
        when they run without a gap from the school's first month, else NULL (none of them may
        be used). ``final``: the months stored as final only. The scorecard's reads and the
        job's starts both ask it."""
        return SQL(
            """
            SELECT st.company_id,
                   CASE WHEN MIN(st.month) <= date_trunc('month', COALESCE(c.safety_start_date, c.create_date::date))
                             AND COUNT(*) = EXTRACT(YEAR FROM age(MAX(st.month), MIN(st.month))) * 12
                                            + EXTRACT(MONTH FROM age(MAX(st.month), MIN(st.month))) + 1
                        THEN (MAX(st.month) + interval '1 month')::date END AS after
              FROM safety_school_scorecard_month st
              JOIN res_company c ON c.id = st.company_id
             WHERE %s
             GROUP BY st.company_id, c.safety_start_date, c.create_date
            """,
            SQL("st.as_of >= (st.month + interval '1 month')::date - 1") if final else SQL("TRUE"),
        )

    @api.model
    def _safety_refresh_starts(self, company_ids, since=None):
        """``{school id: first month to compute}``: the month after the school's final months
        when they run without a gap from its first month, else its first month; ``since`` at
        the latest."""
        if not company_ids:
            return {}
        self.env.cr.execute(SQL(
            """
            SELECT c.id, date_trunc('month', COALESCE(c.safety_start_date, c.create_date::date))::date, st.after
              FROM res_company c
              LEFT JOIN (%s) st ON st.company_id = c.id
             WHERE c.id IN %s
            """,
            self._safety_after_stored_sql(final=True), tuple(company_ids),
        ))
        starts = {}
        for company_id, first, after in self.env.cr.fetchall():
            start = after or first
            if since:
                start = max(first, min(start, since.replace(day=1)))
            starts[company_id] = start
        return starts

    @api.model
    def _safety_refresh_recent(self, companies):
        """The schools of ``companies`` whose current month was not stored in the last
        ``REFRESH_COOLDOWN`` seconds."""
        if not companies:
            return companies
        self.env.cr.execute(SQL(
            """
            SELECT company_id FROM safety_school_scorecard_month
             WHERE company_id IN %s AND stored_at >= %s
             GROUP BY company_id
            """,
            tuple(companies.ids), fields.Datetime.now() - relativedelta(seconds=REFRESH_COOLDOWN),
        ))
        recent = {row[0] for row in self.env.cr.fetchall()}
        return companies.filtered(lambda company: company.id not in recent)
