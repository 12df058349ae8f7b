from datetime import date

import pytz
from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.osv import expression
from odoo.tools import SQL, Query

# the reads a scope is taken from: periods bounded on either side, by a day inside a month,
# conditions under OR and NOT (which narrow nothing), schools, and none at all
SCOPE_DOMAINS = [
    [],
    [("period_type", "=", "year")],
    [("period_type", "=", "year"), ("period_start", "=", date(2026, 1, 1))],
    [("period_type", "=", "month"), ("period_start", ">=", date(2025, 6, 15))],
    [("period_type", "in", ["quarter", "year"]), ("period_start", ">", "2025-03-31")],
    [("period_start", "<", date(2025, 11, 1))],
    [("period_start", "<=", date(2025, 8, 20)), ("period_type", "!=", "month")],
    [("period_end", ">=", date(2026, 2, 14))],
    [("period_end", "<=", date(2026, 3, 31)), ("period_end", ">", date(2025, 12, 31))],
    [("period_end", "<", date(2026, 4, 10))],
    [("period_start", "in", [date(2025, 10, 1), date(2026, 4, 1)])],
    ["|", ("period_type", "=", "month"), ("period_start", "=", date(2026, 1, 1))],
    ["!", ("period_start", ">=", date(2026, 1, 1))],
    [("is_current", "=", True)],
    [("period_type", "=", "quarter"), ("period_type", "=", "year")],
]


def _rows(case, query, drop=()):
    """{id: row} of the scorecard rows ``query`` selects, every column but ``drop``."""
    case.env.cr.execute(query.select(SQL("%s.*", SQL.identifier(case.env["safety.school.scorecard"]._table))))
    result = {row["id"]: row for row in case.env.cr.dictfetchall()}
    for row in result.values():
        for name in drop:
            row.pop(name)
    return result


def _assert_reads_as(case, schools, whole, domains, drop=()):
    """Each domain (on ``schools``), read as the scorecard reads it and by the ids of its rows,
    selects the rows the query ``whole`` (SQL of every row) selects with it. Returns how many
    domains selected rows."""
    Card = case.env["safety.school.scorecard"]
    selected = 0
    for domain in SCOPE_DOMAINS if domains is None else domains:
        domain = expression.AND([domain, [("company_id", "in", schools.ids)]])
        expected = _rows(case, expression.expression(domain, Card, query=Query(case.env, Card._table, whole)).query,
                         drop)
        selected += bool(expected)
        with case.subTest(domain=domain):
            case.assertEqual(_rows(case, Card._where_calc(domain), drop), expected)
            case.assertEqual(_rows(case, Card.browse(sorted(expected))._as_query(), drop), expected)
    return selected


def assert_scoped_as_whole(case, schools, domains=None):
    """Every row the scorecard builds for a read's scope (``ScorecardScope``), from its domain or
    its ids, equals the row of the whole query (every month, quarter and year of every school)
    that the same domain selects, on every column."""
    Card = case.env["safety.school.scorecard"]
    Card.env.flush_all()
    selected = _assert_reads_as(case, schools, Card._table_sql, domains)
    case.assertGreaterEqual(selected, len(SCOPE_DOMAINS if domains is None else domains) - 1,
                            "the domains select rows")


def assert_stored_as_live(case, schools, domains=None):
    """After the refresh job stored the months of ``schools``, every read (each of the scope
    domains, and by ids) answers on every column what the scorecard computed from the records
    alone answers, ``computed_at`` aside; the job stored one row per school and month from its
    first month, the closed ones final (as of their last day), the current one as of today.
    Returns the rows stored."""
    Card = case.env["safety.school.scorecard"]
    Month = case.env["safety.school.scorecard.month"]
    stored = Month._safety_refresh(companies=schools)
    case.assertGreater(stored, 0)
    Card.env.flush_all()
    live = SQL("(%s)", Card._safety_scorecard_query(stored=False))
    months = Month.search([("company_id", "in", schools.ids)])
    for school in schools:
        mine = months.filtered(lambda m, school=school: m.company_id == school)
        live_months = _rows(case, expression.expression(
            [("company_id", "=", school.id), ("period_type", "=", "month")], Card,
            query=Query(case.env, Card._table, live),
        ).query)
        case.assertEqual(sorted(mine.mapped("month")), sorted(row["period_start"] for row in live_months.values()))
        for month in mine:
            current = month.month == max(mine.mapped("month"))
            end = (month.month + relativedelta(months=1)) - relativedelta(days=1)
            case.assertEqual(month.as_of, min(end, live_today(case, school)) if current else end)
    case.assertTrue(_assert_reads_as(case, schools, live, domains, drop=("computed_at",)), "the domains select rows")
    return months


def live_today(case, school):
    """Today in the school's time zone (the scorecard's current month and as-of day)."""
    tz = pytz.timezone(school.sudo()._safety_tz())
    return pytz.utc.localize(fields.Datetime.now()).astimezone(tz).date()
