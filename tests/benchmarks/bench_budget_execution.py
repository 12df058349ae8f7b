"""Budget execution of a bureau of 200 schools x 8 categories x 3 special funds over 1,000,000
analytic lines, read as the views read it, against one raw SQL aggregate of the same figures.

    SAFETY_VENV=/work/main/.venv bin/bench tests/benchmarks/bench_budget_execution.py [lines]

Builds with SQL (in one transaction, rolled back at the end): 200 approved budgets of 8 lines,
3 special funds permitting every category and allocated to every school, the analytic lines
(each charged to a school, a category and a fund, over the twelve months of the year) and
20,000 open rectifications committing their estimates. Then times, in the same run:

- the grouped read of ``safety.investment.execution`` that the pivot and the figures of the
  forms use (``_read_group`` per school, category and fund: budget, allocated, committed,
  actual, remaining), and ``read_group`` as the pivot calls it (with the execution rates);
- one hand-written SQL aggregate computing the same figures from the tables.

Each path runs three times; the best time of each is compared (the first, cold run is printed
too), and the figures of both must be equal.
"""
import os
import sys
from collections import defaultdict

sys.path.insert(0, os.path.dirname(__file__))

from harness import Timer, environment, report  # noqa: E402

from odoo.tools import SQL  # noqa: E402

LINES = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
SCHOOLS = 200
FUNDS = 3
HAZARDS = 20_000
RUNS = 3
MEASURES = ("budget", "allocated", "committed", "actual", "remaining")


def build(env, year):
    ref = env.ref
    categories = [ref(f"school_safety.safety_investment_category_{key}") for key in (
        "guards", "physical", "technical", "fire", "repairs", "training", "insurance", "other")]
    Company = env["res.company"]
    bureau = Company.create({"name": "Bench Bureau", "safety_is_bureau": True})
    schools = Company.create([
        {"name": f"Bench School {i:03d}", "parent_id": bureau.id, "safety_school_type": "primary"}
        for i in range(SCHOOLS)
    ])
    funds = env["safety.fund"].create([
        {"name": f"Bench Fund {i}", "company_id": bureau.id, "year": year, "amount": 10_000_000,
         "category_ids": [(6, 0, [c.id for c in categories])]}
        for i in range(FUNDS)
    ])
    env.flush_all()
    cr = env.cr
    category_column, fund_column = env["account.analytic.plan"]._safety_columns()
    cr.execute(SQL(
        """INSERT INTO safety_fund_allocation (fund_id, company_id, amount, date, create_uid, create_date,
                                               write_uid, write_date)
           SELECT f, s, 40000, make_date(%(year)s, 1, 10), 1, NOW(), 1, NOW()
             FROM unnest(%(funds)s::int[]) AS f, unnest(%(schools)s::int[]) AS s""",
        year=year, funds=funds.ids, schools=schools.ids,
    ))
    cr.execute(SQL(
        """INSERT INTO safety_budget (company_id, year, name, state, validation_status, approved_date,
                                      create_uid, create_date, write_uid, write_date)
           SELECT s, %(year)s, %(year)s || ' school ' || s, 'approved', 'validated', NOW(), 1, NOW(), 1, NOW()
             FROM unnest(%(schools)s::int[]) AS s""",
        year=year, schools=schools.ids,
    ))
    cr.execute(SQL(
        """INSERT INTO safety_budget_line (budget_id, company_id, year, category_id, amount,
                                           create_uid, create_date, write_uid, write_date)
           SELECT b.id, b.company_id, b.year, c, 100000 + 1000 * mod(b.id, 50), 1, NOW(), 1, NOW()
             FROM safety_budget b, unnest(%(categories)s::int[]) AS c
            WHERE b.company_id = ANY(%(schools)s)""",
        categories=[c.id for c in categories], schools=schools.ids,
    ))
    currency = bureau.currency_id.id
    # line g: school g mod 200, category (g / 200) mod 8, fund (g / 1600) mod 3, month g mod 12
    cr.execute(SQL(
        """INSERT INTO account_analytic_line (name, date, amount, company_id, currency_id, category, %(cat)s,
                                              %(fund)s, user_id, create_uid, create_date, write_uid, write_date)
           SELECT 'bench line ' || g, make_date(%(year)s, 1 + mod(g, 12), 1 + mod(g, 28)), -(10 + mod(g, 990)),
                  (%(schools)s::int[])[1 + mod(g, %(n_schools)s)], %(currency)s, 'other',
                  (%(categories)s::int[])[1 + mod(g / %(n_schools)s, 8)],
                  (%(fund_accounts)s::int[])[1 + mod(g / (%(n_schools)s * 8), %(n_funds)s)],
                  1, 1, NOW(), 1, NOW()
             FROM generate_series(0, %(count)s - 1) AS g""",
        cat=SQL.identifier(category_column), fund=SQL.identifier(fund_column), year=year, schools=schools.ids,
        n_schools=SCHOOLS, currency=currency, categories=[c.id for c in categories],
        fund_accounts=funds.analytic_account_id.ids, n_funds=FUNDS, count=LINES,
    ))
    cr.execute(SQL(
        """INSERT INTO safety_hazard (name, company_id, bureau_id, location, category, level, source, description,
                                      found_date, notice_date, funding_estimated, state, escalation_level,
                                      safety_investment_account_id, safety_fund_id,
                                      create_uid, create_date, write_uid, write_date)
           SELECT 'YHB-' || g, (%(schools)s::int[])[1 + mod(g, %(n_schools)s)], %(bureau)s, 'Room ' || g, 'building',
                  'general', 'staff_report', 'Bench hazard', make_date(%(year)s, 1 + mod(g, 12), 2),
                  make_date(%(year)s, 1 + mod(g, 12), 3), 100 + mod(g, 900), 'rectifying', 0,
                  %(repairs)s, CASE WHEN mod(g, 2) = 0 THEN (%(funds)s::int[])[1 + mod(g, %(n_funds)s)] END,
                  1, NOW(), 1, NOW()
             FROM generate_series(0, %(count)s - 1) AS g""",
        schools=schools.ids, n_schools=SCHOOLS, bureau=bureau.id, year=year,
        repairs=ref("school_safety.safety_investment_category_repairs").id, funds=funds.ids, n_funds=FUNDS,
        count=HAZARDS,
    ))
    # the schools too: created in this transaction, the planner would take the bureau for one
    # school and loop over the whole execution once per school
    for table in ("account_analytic_line", "safety_hazard", "safety_budget", "safety_budget_line",
                  "safety_fund_allocation", "safety_fund", "res_company"):
        cr.execute(SQL("ANALYZE %s", SQL.identifier(table)))
    env.invalidate_all()
    return bureau, schools, funds


def raw_figures(env, bureau, year):
    """The same figures straight from the tables, in one statement."""
    category_column, fund_column = env["account.analytic.plan"]._safety_columns()
    env.cr.execute(SQL(
        """SELECT company_id, category_id, fund_id, SUM(budget), SUM(allocated), SUM(committed), SUM(actual),
                  SUM(budget - committed - actual)
             FROM (SELECT b.company_id, bl.category_id, NULL::int AS fund_id, bl.amount AS budget,
                          0 AS allocated, 0 AS committed, 0 AS actual
                     FROM safety_budget_line bl JOIN safety_budget b ON b.id = bl.budget_id
                    WHERE b.state IN ('approved', 'closed') AND b.year = %(year)s
                   UNION ALL
                   SELECT a.company_id, NULL, a.fund_id, 0, a.amount, 0, 0
                     FROM safety_fund_allocation a JOIN safety_fund f ON f.id = a.fund_id
                    WHERE f.year = %(year)s
                   UNION ALL
                   SELECT h.company_id, h.safety_investment_account_id, h.safety_fund_id, 0, 0,
                          h.funding_estimated, 0
                     FROM safety_hazard h
                    WHERE h.state IN ('notified', 'rectifying', 'submitted') AND h.funding_estimated > 0
                      AND h.safety_investment_account_id IS NOT NULL
                      AND h.notice_date >= make_date(%(year)s, 1, 1) AND h.notice_date < make_date(%(year)s + 1, 1, 1)
                   UNION ALL
                   SELECT l.company_id, l.%(cat)s, f.id, 0, 0, 0, -l.amount
                     FROM account_analytic_line l LEFT JOIN safety_fund f ON f.analytic_account_id = l.%(fund)s
                    WHERE l.%(cat)s IS NOT NULL
                      AND l.date >= make_date(%(year)s, 1, 1) AND l.date < make_date(%(year)s + 1, 1, 1)
                  ) AS figures
            WHERE company_id IN (SELECT id FROM res_company WHERE safety_bureau_id = %(bureau)s)
         GROUP BY company_id, category_id, fund_id""",
        year=year, bureau=bureau.id, cat=SQL.identifier(category_column), fund=SQL.identifier(fund_column),
    ))
    return {tuple(row[:3]): tuple(float(value) for value in row[3:]) for row in env.cr.fetchall()}


def main():
    with environment() as env:
        year = __import__("odoo").fields.Date.today().year
        with Timer() as built:
            bureau, schools, funds = build(env, year)
        print(f"built {SCHOOLS} schools, {FUNDS} funds, {LINES} analytic lines, {HAZARDS} open rectifications "
              f"in {built.seconds:.1f} s")
        Execution = env["safety.investment.execution"]
        domain = [("year", "=", year), ("bureau_id", "=", bureau.id)]
        groupby = ["company_id", "category_id", "fund_id"]
        times = defaultdict(list)
        for _run in range(RUNS):
            env.invalidate_all()
            with Timer() as ours:
                rows = Execution._read_group(domain, groupby, [f"{name}:sum" for name in MEASURES])
            times["ours"].append(ours.seconds)
            with Timer() as pivot:
                groups = Execution.read_group(
                    domain, [f"{name}:sum" for name in MEASURES] + ["execution_rate:avg"], groupby, lazy=False
                )
            times["pivot"].append(pivot.seconds)
            with Timer() as raw:
                expected = raw_figures(env, bureau, year)
            times["raw"].append(raw.seconds)
        got = {
            (company.id or None, category.id or None, fund.id or None): tuple(float(v) for v in values)
            for company, category, fund, *values in rows
        }
        assert got == expected, "the view and the raw aggregate disagree"
        assert len(groups) == len(rows) == len(expected)
        best = {key: min(values) for key, values in times.items()}
        report(
            f"Budget execution: {SCHOOLS} schools x 8 categories x {FUNDS} funds, {LINES} analytic lines, "
            f"{len(rows)} groups",
            "_read_group of safety.investment.execution", best["ours"],
            "raw SQL aggregate", best["raw"],
            extra=(
                f"read_group as the pivot calls it (with execution rates): {best['pivot']:.3f} s\n"
                f"first (cold) runs: _read_group {times['ours'][0]:.3f} s, read_group {times['pivot'][0]:.3f} s, "
                f"raw SQL {times['raw'][0]:.3f} s\n"
                f"figures equal: yes ({len(expected)} groups, total actual "
                f"{sum(v[3] for v in expected.values()):,.0f})\n"
                f"targets: under 1 s {'met' if max(best['ours'], best['pivot']) < 1 else 'NOT met'}; "
                f"within 3x of raw SQL {'met' if best['pivot'] <= 3 * best['raw'] else 'NOT met'}"
            ),
        )


if __name__ == "__main__":
    main()
