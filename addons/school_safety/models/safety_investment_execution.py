from odoo import api, fields, models
from odoo.tools import SQL

SOURCES = [
    ("budget", "Budget"),
    ("allocation", "Fund Allocation"),
    ("commitment", "Commitment"),
    ("spending", "Spending"),
]
# what every part of the table selects, in this order (see _safety_execution_parts)
PART_COLUMNS = (
    "id", "company_id", "year", "date", "category_id", "fund_id", "source",
    "budget", "allocated", "committed", "committed_fund", "actual", "actual_fund",
)
# the measures summed by _safety_figures
MEASURES = (
    "budget", "allocated", "committed", "committed_fund", "actual", "actual_fund", "actual_own",
    "remaining", "fund_remaining",
)
# part numbers: the id of a row is its source record's id * PARTS + its part number
PARTS = 8


class SafetyInvestmentExecution(models.Model):
    """Budget execution of safety investment: per school, year, month, category and fund, the
    approved budget, the fund allocations, the committed costs (open rectifications' estimates,
    added by safety_inspection) and the actual spending.

    Actual spending is every analytic line charged to a category of the "Safety Investment"
    plan, grouped by its company (the school), its category and its fund (the "Safety Special
    Funds" plan; none: own money), whatever posted it. The plans' columns are asked from the
    plans (``_column_name()``) each time the table is read, never written here.

    Per row: remaining = budget - committed - actual; fund remaining = allocated - committed
    and spent on special funds. The execution rates (actual / budget, fund spending / allocated)
    are ratios of sums: ``read_group`` computes them per group.
    """

    _name = "safety.investment.execution"
    _description = "Safety Budget Execution"
    _auto = False
    _order = "year desc, company_id, category_id"
    _depends = {
        "safety.budget": ["company_id", "year", "state"],
        "safety.budget.line": ["budget_id", "category_id", "amount"],
        "safety.fund": ["year", "analytic_account_id"],
        "safety.fund.allocation": ["fund_id", "company_id", "amount"],
        "account.analytic.line": ["company_id", "date", "amount"],
    }

    company_id = fields.Many2one("res.company", string="School", readonly=True)
    bureau_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    year = fields.Integer(readonly=True, aggregator=None)
    date = fields.Date(string="Month", readonly=True)
    category_id = fields.Many2one("account.analytic.account", readonly=True)
    fund_id = fields.Many2one("safety.fund", string="Special Fund", readonly=True)
    source = fields.Selection(SOURCES, readonly=True)
    budget = fields.Monetary(readonly=True)
    allocated = fields.Monetary(string="Fund Allocated", readonly=True)
    committed = fields.Monetary(readonly=True)
    committed_fund = fields.Monetary(string="Committed on Special Funds", readonly=True)
    actual = fields.Monetary(string="Spent", readonly=True)
    actual_fund = fields.Monetary(string="Spent from Special Funds", readonly=True)
    actual_own = fields.Monetary(string="Spent from Own Money", readonly=True)
    remaining = fields.Monetary(readonly=True)
    fund_remaining = fields.Monetary(readonly=True)
    execution_rate = fields.Float(string="Execution (%)", readonly=True, aggregator="avg")
    fund_execution_rate = fields.Float(string="Fund Execution (%)", readonly=True, aggregator="avg")

    # ------------------------------------------------------------ the table

    @api.model
    def _safety_execution_parts(self):
        """The SELECTs of the table, each giving PART_COLUMNS (addons add theirs)."""
        parts = [
            SQL(
                """SELECT bl.id * %(parts)s + 1, b.company_id, b.year, make_date(b.year, 1, 1), bl.category_id,
                          NULL::integer, 'budget', bl.amount, 0, 0, 0, 0, 0
                     FROM safety_budget_line bl
                     JOIN safety_budget b ON b.id = bl.budget_id
                    WHERE b.state IN ('approved', 'closed')""",
                parts=PARTS,
            ),
            SQL(
                """SELECT a.id * %(parts)s + 2, a.company_id, f.year, make_date(f.year, 1, 1), NULL::integer,
                          f.id, 'allocation', 0, a.amount, 0, 0, 0, 0
                     FROM safety_fund_allocation a
                     JOIN safety_fund f ON f.id = a.fund_id""",
                parts=PARTS,
            ),
        ]
        category_column, fund_column = self.env["account.analytic.plan"]._safety_columns()
        if category_column:
            fund_account = SQL.identifier("l", fund_column) if fund_column else SQL("NULL::integer")
            # lines summed per school, month, category and fund account first: the join to the
            # funds and the outer grouping then work on these sums
            parts.append(SQL(
                """SELECT s.first_id * %(parts)s + 3, s.company_id, EXTRACT(YEAR FROM s.month)::integer, s.month,
                          s.category_id, f.id, 'spending', 0, 0, 0, 0, s.actual,
                          CASE WHEN f.id IS NULL THEN 0 ELSE s.actual END
                     FROM (SELECT MIN(l.id) AS first_id, l.company_id, date_trunc('month', l.date)::date AS month,
                                  %(category)s AS category_id, %(fund)s AS fund_account_id, -SUM(l.amount) AS actual
                             FROM account_analytic_line l
                            WHERE %(category)s IS NOT NULL
                         GROUP BY l.company_id, date_trunc('month', l.date)::date, %(category)s, %(fund)s) s
                LEFT JOIN safety_fund f ON f.analytic_account_id = s.fund_account_id""",
                parts=PARTS, category=SQL.identifier("l", category_column), fund=fund_account,
            ))
        return parts

    @property
    def _table_query(self):
        category_column, fund_column = self.env["account.analytic.plan"]._safety_columns()
        self.env["account.analytic.line"].flush_model([name for name in (category_column, fund_column) if name])
        columns = SQL(", ").join(SQL.identifier(name) for name in PART_COLUMNS)
        union = SQL(" UNION ALL ").join(SQL("(%s)", part) for part in self._safety_execution_parts())
        return SQL(
            """SELECT p.id, p.company_id, c.safety_bureau_id AS bureau_id, c.currency_id, p.year, p.date,
                      p.category_id, p.fund_id, p.source, p.budget, p.allocated, p.committed, p.committed_fund,
                      p.actual, p.actual_fund, p.actual - p.actual_fund AS actual_own,
                      p.budget - p.committed - p.actual AS remaining,
                      p.allocated - p.committed_fund - p.actual_fund AS fund_remaining,
                      NULL::float AS execution_rate, NULL::float AS fund_execution_rate
                 FROM (%(union)s) AS p (%(columns)s)
                 JOIN res_company c ON c.id = p.company_id""",
            union=union, columns=columns,
        )

    # ------------------------------------------------------------ reading

    @api.model
    def read_group(self, domain, fields, groupby, offset=0, limit=None, orderby=False, lazy=True):
        """The execution rates of each group: ratios of its sums, not averages of rows."""
        names = {spec.split(":")[0].strip() for spec in fields}
        rates = {"execution_rate": ("actual", "budget"), "fund_execution_rate": ("actual_fund", "allocated")}
        wanted = {name: pair for name, pair in rates.items() if name in names}
        extra = [
            f"{measure}:sum" for pair in wanted.values() for measure in pair if measure not in names
        ]
        groups = super().read_group(
            domain, list(fields) + sorted(set(extra)), groupby, offset=offset, limit=limit, orderby=orderby,
            lazy=lazy,
        )
        for group in groups:
            for name, (numerator, denominator) in wanted.items():
                total = group.get(denominator) or 0.0
                group[name] = 100.0 * (group.get(numerator) or 0.0) / total if total else 0.0
        return groups

    @api.model
    def _safety_figures(self, domain, groupby):
        """{(groupby values): {measure: sum}} over ``domain`` as the server reads it (the
        callers show the figures of records their user may read)."""
        rows = self.sudo()._read_group(domain, list(groupby), [f"{name}:sum" for name in MEASURES])
        return {
            tuple(row[: len(groupby)]): dict(zip(MEASURES, row[len(groupby):], strict=True))
            for row in rows
        }

