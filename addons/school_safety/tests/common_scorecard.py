from datetime import date

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


def assert_scoped_as_whole(case, schools, domains=None):
    """Every row the scorecard builds for a read's scope (``ScorecardScope``), from its domain or
    its ids, equals the row of the whole query (every month, quarter and year of every school)
    that the same domain selects, on every column."""
    Card = case.env["safety.school.scorecard"]
    Card.env.flush_all()
    alias = SQL.identifier(Card._table)

    def rows(query):
        case.env.cr.execute(query.select(SQL("%s.*", alias)))
        return {row["id"]: row for row in case.env.cr.dictfetchall()}

    domains = SCOPE_DOMAINS if domains is None else domains
    selected = 0
    for domain in domains:
        domain = expression.AND([domain, [("company_id", "in", schools.ids)]])
        whole = Query(case.env, Card._table, Card._table_sql)
        expected = rows(expression.expression(domain, Card, query=whole).query)
        selected += bool(expected)
        with case.subTest(domain=domain):
            case.assertEqual(rows(Card._where_calc(domain)), expected)
            case.assertEqual(rows(Card.browse(sorted(expected))._as_query()), expected)
    case.assertGreaterEqual(selected, len(domains) - 1, "the domains select rows")
