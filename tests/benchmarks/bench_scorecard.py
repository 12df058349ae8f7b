"""The bureau's scorecard and its dashboard's queries for a large bureau, against raw SQL
aggregates of the same figures, the refresh job that stores the scorecard's months, and the
monthly report job.

    bin/bench tests/benchmarks/bench_scorecard.py [--schools 200] [--staff 150] [--years 5]
                                                  [--letters 350000] [--hazards 100000]
                                                  [--scans 1000000] [--lines 1000000] [--render 10]

Builds, mostly with SQL, a bureau of N schools keeping their records for five years: the
staff, sessions, attendance and certificates of bench_training_compliance.py (six courses
required of everyone); responsibility letters (issued, signed, some superseded), hazards
(open, overdue, major, closed), one patrol round a day per school with its scans (1 % flagged
and waiting), a few incidents, an approved budget a year per school and the analytic lines of
its spending. Letters, rounds and scans are inserted without the parents the scorecard never
reads (campaigns, templates, routes, checkpoints): their foreign keys are dropped in the
throwaway bench database. Then, in the same run and alternately, three times each, through
the ORM, record rules included:

- **scorecard**: the list of this year's rows of every school (``search_read``), every figure
  the bureau's inspector reads, and the same list as finance with the budget figures;
- **dashboard**: the dashboard's queries as the inspector, ``_read_group`` over the scorecard:
  the last twelve months by month (averages and totals), and this year's ranking by school;
- **raw SQL**: one hand-written query of the same figures of this year per school.

First with nothing stored (every month computed from the records), then after the refresh job
stored every school's months (``safety.school.scorecard.month``: its first run, its half-hourly
run and its nightly run are timed). The scorecard's figures are compared with the raw SQL's
both times. Then the monthly report job for the N schools (figures only, ``render`` of them
with their PDF and Excel files): time and peak memory.
"""
import argparse
import os
import statistics
import sys
from datetime import date, timedelta

sys.path.insert(0, os.path.dirname(__file__))

from bench_training_compliance import build as build_training  # noqa: E402
from harness import Timer, environment, peak_rss_mb, report  # noqa: E402

RUNS = 3
TZ = "Asia/Shanghai"
# the figures of this year's row compared with the raw SQL
COMPARED = ("letters_total", "letters_signed", "hazards_found", "hazards_closed", "hazards_open",
            "hazards_overdue", "hazards_major_open", "patrol_rounds_due", "patrol_rounds_completed",
            "scans_flagged_waiting", "incident_count", "training_required", "training_valid",
            "budget_total", "budget_spent")
CATEGORIES = ("guards", "physical", "technical", "fire", "repairs", "training", "insurance", "other")


def drop_parent_keys(cr, table, keep=("company_id", "round_id")):
    cr.execute(
        """SELECT c.conname FROM pg_constraint c JOIN pg_attribute a
                    ON a.attrelid = c.conrelid AND a.attnum = ANY(c.conkey)
            WHERE c.conrelid = %s::regclass AND c.contype = 'f' AND a.attname != ALL(%s)""",
        [table, list(keep)],
    )
    for (name,) in cr.fetchall():
        cr.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')


def filler(cr, table, given):
    """``(columns, expressions)`` for an INSERT into ``table``: ``given`` plus a neutral value for
    every other NOT NULL column without a default."""
    cr.execute(
        """SELECT column_name, data_type FROM information_schema.columns
            WHERE table_name = %s AND is_nullable = 'NO' AND column_default IS NULL""",
        [table],
    )
    neutral = {"integer": "1", "bigint": "1", "character varying": "'bench'", "text": "'bench'",
               "date": "CURRENT_DATE", "timestamp without time zone": "now() AT TIME ZONE 'UTC'",
               "boolean": "false", "numeric": "0", "double precision": "0", "jsonb": "'{}'::jsonb"}
    columns = dict(given)
    for name, kind in cr.fetchall():
        columns.setdefault(name, neutral[kind])
    return ", ".join(columns), ", ".join(columns.values())


def build(env, args, today):
    bureau, schools, courses = build_training(env, args.schools, args.staff, args.years, today)
    cr = env.cr
    start = date(today.year - args.years + 1, 1, 1)
    schools.write({"safety_start_date": start})
    (bureau | schools).partner_id.write({"tz": TZ})
    env.flush_all()
    for table in ("safety_letter", "safety_patrol_round", "safety_patrol_scan"):
        drop_parent_keys(cr, table)
    days = (today - start).days  # the records fall before today
    ids = schools.ids
    # letters: every year the same number per school, issued over the year's first months
    columns, values = filler(cr, "safety_letter", {
        "company_id": "(%(schools)s::int4[])[1 + mod(g, %(n)s)]",
        "year": "y",
        "name": "'BENCH-' || g",
        "party_key": "'bench-' || g",
        "verification_uuid": "'bench-' || g",
        "state": "CASE WHEN mod(g, 20) = 0 THEN 'superseded' WHEN mod(g, 5) = 0 THEN 'issued' ELSE 'signed' END",
        "progress": "CASE WHEN mod(g, 20) = 0 THEN 'superseded' WHEN mod(g, 5) = 0 THEN 'pending' ELSE 'signed' END",
        "issue_date": "issued",
        "signed_date": "CASE WHEN mod(g, 5) != 0 OR mod(g, 20) = 0 THEN issued + interval '3 days' END",
        "superseded_date": "CASE WHEN mod(g, 20) = 0 THEN issued + interval '20 days' END",
    })
    cr.execute(
        f"""INSERT INTO safety_letter ({columns})
            SELECT {values} FROM generate_series(1, %(count)s) AS g
             CROSS JOIN LATERAL (SELECT %(first)s + mod(g, %(years)s) AS y) yy
             CROSS JOIN LATERAL (SELECT (make_date(y, 1, 1) + mod(g * 7, 100))::timestamp
                                        + interval '2 hours' AS issued) ii
             WHERE make_date(y, 1, 1) + mod(g * 7, 100) + 21 < %(today)s""",
        {"schools": ids, "n": len(ids), "count": args.letters, "first": start.year, "years": args.years,
         "today": today},
    )
    # hazards: found over the five years, most closed within days, one in 17 major
    columns, values = filler(cr, "safety_hazard", {
        "company_id": "(%(schools)s::int4[])[1 + mod(g, %(n)s)]",
        "bureau_id": "%(bureau)s",
        "name": "'BENCH-YH-' || g",
        "location": "'Building ' || mod(g, 9)",
        "category": "'fire'",
        "level": "CASE WHEN mod(g, 17) = 0 THEN 'major' ELSE 'general' END",
        "source": "'inspection'",
        "description": "'Extinguisher without pressure'",
        "found_date": "found",
        "deadline": "found + 30",
        "state": "CASE WHEN closed <= %(today)s AND mod(g, 10) != 0 THEN 'closed' ELSE 'rectifying' END",
        "closed_date": "CASE WHEN closed <= %(today)s AND mod(g, 10) != 0 THEN closed END",
        "is_overdue": "false",
        "escalation_level": "0",
    })
    cr.execute(
        f"""INSERT INTO safety_hazard ({columns})
            SELECT {values} FROM generate_series(1, %(count)s) AS g
             CROSS JOIN LATERAL (SELECT %(start)s::date + mod(g * 13, %(days)s) AS found) ff
             CROSS JOIN LATERAL (SELECT found + mod(g, 45) AS closed) cc""",
        {"schools": ids, "n": len(ids), "count": args.hazards, "bureau": bureau.id, "start": start,
         "days": days, "today": today},
    )
    # one round a day per school (a few missed or incomplete), its scans; 1 % flagged and waiting
    columns, values = filler(cr, "safety_patrol_round", {
        "company_id": "c",
        "name": "'BENCH-R-' || c || '-' || d",
        "planned_start": "(d + time '20:00') AT TIME ZONE %(tz)s AT TIME ZONE 'UTC'",
        "planned_end": "(d + time '21:00') AT TIME ZONE %(tz)s AT TIME ZONE 'UTC'",
        "state": "CASE WHEN mod(c + (d - %(start)s::date), 23) = 0 THEN 'missed' "
                 "WHEN mod(c + (d - %(start)s::date), 31) = 0 THEN 'incomplete' ELSE 'completed' END",
    })
    cr.execute(
        f"""INSERT INTO safety_patrol_round ({columns})
            SELECT {values} FROM unnest(%(schools)s::int4[]) AS c
             CROSS JOIN generate_series(%(start)s::date, %(today)s::date - 1, interval '1 day') AS dd
             CROSS JOIN LATERAL (SELECT dd::date AS d) x""",
        {"schools": ids, "start": start, "today": today, "tz": TZ},
    )
    cr.execute("SELECT count(*) FROM safety_patrol_round WHERE company_id = ANY(%s)", [ids])
    rounds = cr.fetchone()[0]
    columns, values = filler(cr, "safety_patrol_scan", {
        "company_id": "r.company_id",
        "round_id": "r.id",
        "guard_id": "1",
        "client_id": "'bench-' || r.id || '-' || k",
        "device_time": "r.planned_start + k * interval '5 minutes'",
        "review_state": "CASE WHEN mod(r.id + k, 100) = 0 THEN 'pending' ELSE 'ok' END",
        "flagged": "mod(r.id + k, 100) = 0",
    })
    per_round = max(1, -(-args.scans // max(rounds, 1)))  # rounded up
    cr.execute(
        f"""INSERT INTO safety_patrol_scan ({columns})
            SELECT {values} FROM safety_patrol_round r CROSS JOIN generate_series(1, %(per)s) AS k
             WHERE r.company_id = ANY(%(schools)s)""",
        {"schools": ids, "per": per_round},
    )
    # incidents: two a year per school
    columns, values = filler(cr, "safety_incident", {
        "company_id": "(%(schools)s::int4[])[1 + mod(g, %(n)s)]",
        "name": "'BENCH-SG-' || g",
        "occurred_at": "(%(start)s::date + mod(g * 37, %(days)s))::timestamp + interval '3 hours'",
        "location": "'Playground'",
        "category": "'accident'",
        "bureau_id": "%(bureau)s",
        "state": "'acknowledged'",
        "injured_count": "mod(g, 3)",
        "death_count": "0",
    })
    cr.execute(
        f"INSERT INTO safety_incident ({columns}) SELECT {values} FROM generate_series(1, %(count)s) AS g",
        {"schools": ids, "n": len(ids), "count": 2 * args.years * len(ids), "start": start, "days": days,
         "bureau": bureau.id},
    )
    # safety investment: an approved budget a year per school (a line per category) and the
    # spending of the five years, analytic lines charged to the schools' categories
    categories = [env.ref(f"school_safety.safety_investment_category_{key}").id for key in CATEGORIES]
    category_column, _fund_column = env["account.analytic.plan"]._safety_columns()
    cr.execute(
        """INSERT INTO safety_budget (company_id, year, name, state, validation_status, approved_date,
                                      create_uid, create_date, write_uid, write_date)
           SELECT s, y, y || ' school ' || s, 'approved', 'validated', NOW(), 1, NOW(), 1, NOW()
             FROM unnest(%(schools)s::int4[]) AS s CROSS JOIN generate_series(%(first)s, %(last)s) AS y""",
        {"schools": ids, "first": start.year, "last": today.year},
    )
    cr.execute(
        """INSERT INTO safety_budget_line (budget_id, company_id, year, category_id, amount,
                                           create_uid, create_date, write_uid, write_date)
           SELECT b.id, b.company_id, b.year, c, 100000 + 1000 * mod(b.id, 50), 1, NOW(), 1, NOW()
             FROM safety_budget b CROSS JOIN unnest(%(categories)s::int4[]) AS c
            WHERE b.company_id = ANY(%(schools)s)""",
        {"categories": categories, "schools": ids},
    )
    cr.execute(
        f"""INSERT INTO account_analytic_line (name, date, amount, company_id, currency_id, category,
                                               "{category_column}", user_id, create_uid, create_date, write_uid,
                                               write_date)
            SELECT 'bench line ' || g, %(start)s::date + mod(g * 7, %(days)s), -(10 + mod(g, 990)),
                   (%(schools)s::int4[])[1 + mod(g, %(n)s)], %(currency)s, 'other',
                   (%(categories)s::int4[])[1 + mod(g / %(n)s, %(n_categories)s)], 1, 1, NOW(), 1, NOW()
              FROM generate_series(0, %(count)s - 1) AS g""",
        {"start": start, "days": days, "schools": ids, "n": len(ids), "currency": bureau.currency_id.id,
         "categories": categories, "n_categories": len(categories), "count": args.lines},
    )
    for table in ("safety_letter", "safety_hazard", "safety_patrol_round", "safety_patrol_scan", "safety_incident",
                  "safety_budget", "safety_budget_line", "account_analytic_line", "res_company"):
        cr.execute(f"ANALYZE {table}")
    env.invalidate_all()
    return bureau, schools, courses


def raw_sql(cr, schools, courses, today, category_column):
    """This year's figures per school, written by hand: {school: {figure: value}}."""
    year_start = date(today.year, 1, 1)
    cr.execute(
        """WITH letters AS (
               SELECT company_id,
                      count(*) FILTER (WHERE (issue_date AT TIME ZONE 'UTC' AT TIME ZONE %(tz)s)::date <= %(today)s
                                         AND NOT COALESCE((superseded_date AT TIME ZONE 'UTC' AT TIME ZONE %(tz)s)::date
                                                          <= %(today)s, false)) AS total,
                      count(*) FILTER (WHERE (signed_date AT TIME ZONE 'UTC' AT TIME ZONE %(tz)s)::date <= %(today)s
                                         AND NOT COALESCE(signed_date <= superseded_date
                                                          AND (superseded_date AT TIME ZONE 'UTC'
                                                               AT TIME ZONE %(tz)s)::date <= %(today)s, false))
                          AS signed
                 FROM safety_letter
                WHERE company_id = ANY(%(schools)s) AND year = %(year)s AND state != 'draft'
                GROUP BY 1
           ), hazards AS (
               SELECT company_id,
                      count(*) FILTER (WHERE found_date >= %(year_start)s) AS found,
                      count(*) FILTER (WHERE state = 'closed' AND closed_date >= %(year_start)s) AS closed,
                      count(*) FILTER (WHERE state != 'closed') AS open,
                      count(*) FILTER (WHERE state != 'closed' AND deadline < %(today)s) AS overdue,
                      count(*) FILTER (WHERE state != 'closed' AND level = 'major') AS major
                 FROM safety_hazard WHERE company_id = ANY(%(schools)s)
                GROUP BY 1
           ), rounds AS (
               SELECT company_id, count(*) AS due, count(*) FILTER (WHERE state = 'completed') AS completed
                 FROM safety_patrol_round
                WHERE company_id = ANY(%(schools)s) AND state IN ('completed', 'incomplete', 'missed')
                  AND planned_start >= %(year_start)s::timestamp AT TIME ZONE %(tz)s AT TIME ZONE 'UTC'
                GROUP BY 1
           ), scans AS (
               SELECT company_id, count(*) AS waiting FROM safety_patrol_scan
                WHERE company_id = ANY(%(schools)s) AND review_state = 'pending'
                  AND device_time >= %(year_start)s::timestamp AT TIME ZONE %(tz)s AT TIME ZONE 'UTC'
                GROUP BY 1
           ), incidents AS (
               SELECT company_id, count(*) AS n FROM safety_incident
                WHERE company_id = ANY(%(schools)s)
                  AND occurred_at >= %(year_start)s::timestamp AT TIME ZONE %(tz)s AT TIME ZONE 'UTC'
                GROUP BY 1
           ), held AS (
               SELECT e.company_id, count(*) AS required,
                      count(*) FILTER (WHERE EXISTS (
                          SELECT 1 FROM safety_training_certificate c
                           WHERE c.employee_id = e.id AND c.course_id = r.course_id AND c.issue_date <= %(today)s
                             AND (c.expiry_date IS NULL OR c.expiry_date >= %(today)s))) AS valid
                 FROM hr_employee e CROSS JOIN unnest(%(courses)s::int4[]) AS r(course_id)
                WHERE e.active AND e.company_id = ANY(%(schools)s)
                GROUP BY 1
           ), budget AS (
               SELECT b.company_id, SUM(bl.amount) AS total
                 FROM safety_budget b JOIN safety_budget_line bl ON bl.budget_id = b.id
                WHERE b.company_id = ANY(%(schools)s) AND b.year = %(year)s AND b.state IN ('approved', 'closed')
                GROUP BY 1
           ), spent AS (
               SELECT company_id, -SUM(amount) AS spent FROM account_analytic_line
                WHERE company_id = ANY(%(schools)s) AND {category} IS NOT NULL
                  AND date >= %(year_start)s AND date <= %(today)s
                GROUP BY 1
           )
           SELECT s.id, COALESCE(l.total, 0), COALESCE(l.signed, 0), COALESCE(h.found, 0), COALESCE(h.closed, 0),
                  COALESCE(h.open, 0), COALESCE(h.overdue, 0), COALESCE(h.major, 0), COALESCE(r.due, 0),
                  COALESCE(r.completed, 0), COALESCE(sc.waiting, 0), COALESCE(i.n, 0), COALESCE(t.required, 0),
                  COALESCE(t.valid, 0), COALESCE(bu.total, 0), COALESCE(sp.spent, 0)
             FROM unnest(%(schools)s::int4[]) AS s(id)
             LEFT JOIN letters l ON l.company_id = s.id
             LEFT JOIN hazards h ON h.company_id = s.id
             LEFT JOIN rounds r ON r.company_id = s.id
             LEFT JOIN scans sc ON sc.company_id = s.id
             LEFT JOIN incidents i ON i.company_id = s.id
             LEFT JOIN held t ON t.company_id = s.id
             LEFT JOIN budget bu ON bu.company_id = s.id
             LEFT JOIN spent sp ON sp.company_id = s.id""".format(category=f'"{category_column}"'),
        {"schools": schools, "courses": courses, "today": today, "year": today.year, "year_start": year_start,
         "tz": TZ},
    )
    return {row[0]: dict(zip(COMPARED, row[1:], strict=True)) for row in cr.fetchall()}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--schools", type=int, default=200)
    parser.add_argument("--staff", type=int, default=150)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--letters", type=int, default=350_000)
    parser.add_argument("--hazards", type=int, default=100_000)
    parser.add_argument("--scans", type=int, default=1_000_000)
    parser.add_argument("--lines", type=int, default=1_000_000, help="analytic lines of safety investment")
    parser.add_argument("--render", type=int, default=10, help="schools whose report is also rendered")
    args = parser.parse_args()
    today = date.today()
    with environment() as env:
        with Timer() as built:
            bureau, schools, courses = build(env, args, today)
        cr = env.cr
        counts = {}
        for table in ("safety_letter", "safety_hazard", "safety_patrol_round", "safety_patrol_scan",
                      "safety_training_attendance", "safety_training_certificate", "safety_incident",
                      "account_analytic_line"):
            cr.execute(f"SELECT count(*) FROM {table} WHERE company_id = ANY(%s)", [schools.ids])
            counts[table] = cr.fetchone()[0]
        print(f"built {args.schools} schools over {args.years} years in {built.seconds:.1f} s: "
              + ", ".join(f"{table.removeprefix('safety_')} {count}" for table, count in counts.items()))
        users = env["res.users"].create([{
            "name": f"Bench Scorecard {role.title()}", "login": f"bench_scorecard_{role}",
            "groups_id": [(6, 0, [env.ref(f"school_safety.group_bureau_{role}").id])],
            "company_id": bureau.id, "company_ids": [(6, 0, [bureau.id, *schools.ids])],
        } for role in ("inspector", "finance")])
        env.flush_all()
        context = {"allowed_company_ids": [bureau.id, *schools.ids]}
        Card = env["safety.school.scorecard"].with_user(users[0]).with_context(context)
        FinanceCard = env["safety.school.scorecard"].with_user(users[1]).with_context(context)
        Month = env["safety.school.scorecard.month"]
        measures = list(Card._safety_scorecard_measures())
        figures = [name for name, field in Card._fields.items()
                   if field.store and field.type not in ("one2many", "many2many") and not name.endswith("_color")
                   and not field.groups]
        year_start = date(today.year, 1, 1)
        this_year = [("period_type", "=", "year"), ("period_start", "=", year_start)]
        twelve_months = (today.replace(day=1) - timedelta(days=335)).replace(day=1)
        course_ids = [course.id for course in courses]
        category_column = env["account.analytic.plan"]._safety_columns()[0]

        def time_reads():
            """Three runs each, alternately: {path: [seconds]}, the finance list's rows, the raw figures."""
            times = {"list": [], "finance": [], "dashboard": [], "raw": []}
            for _run in range(RUNS):
                env.invalidate_all()
                with Timer() as listed:
                    Card.search_read(this_year, figures)
                times["list"].append(listed.seconds)
                env.invalidate_all()
                with Timer() as finance:
                    rows = FinanceCard.search_read(this_year, ["company_id", *COMPARED])
                times["finance"].append(finance.seconds)
                env.invalidate_all()
                with Timer() as dashed:
                    Card._read_group([("period_type", "=", "month"), ("period_start", ">=", twelve_months)],
                                     ["period_start:month"],
                                     [f"{m}:avg" for m in measures] + ["incident_count:sum", "hazards_found:sum"])
                    Card._read_group(this_year, ["company_id"], ["score:avg"], order="score:avg desc")
                times["dashboard"].append(dashed.seconds)
                with Timer() as raw:
                    expected = raw_sql(cr, schools.ids, course_ids, today, category_column)
                times["raw"].append(raw.seconds)
            answer = {row["company_id"][0]: {name: row[name] or 0 for name in COMPARED} for row in rows}
            return times, answer, expected

        def runs(times):
            return ", ".join(f"{t:.3f}" for t in times)

        def same(answer, expected):
            if answer == expected:
                return "yes"
            diff = [(school, name, answer.get(school, {}).get(name), expected[school][name])
                    for school in expected for name in COMPARED
                    if answer.get(school, {}).get(name) != expected[school][name]]
            return f"NO, differences (school, figure, scorecard, raw): {diff[:12]}"

        # 1. computed from the records: nothing stored yet
        live, live_answer, expected = time_reads()
        # 2. the refresh job: every month of every school, then as it runs every half hour and at night
        with Timer() as filled:
            stored_months = Month._safety_refresh()
        with Timer() as half_hourly:
            Month._cron_refresh()
        with Timer() as nightly:
            nightly_months = Month._cron_refresh(nightly=True)
        # 3. the same reads over the stored months
        stored, stored_answer, expected = time_reads()
        list_s, finance_s, dash_s, raw_s = (statistics.median(stored[k]) for k in ("list", "finance", "dashboard",
                                                                                   "raw"))
        worst = max(list_s, finance_s, dash_s)
        live_list, live_dash = statistics.median(live["list"]), statistics.median(live["dashboard"])
        report(
            f"Scorecard: {args.schools} schools, {args.years} years: "
            + ", ".join(f"{count} {table.removeprefix('safety_').removeprefix('account_')}"
                        for table, count in counts.items()),
            "scorecard list (ORM search_read, inspector)", list_s, "raw SQL", raw_s,
            extra=(
                f"scorecard list with the budget (ORM search_read, finance): {finance_s:.3f} s, "
                f"ratio to raw SQL {finance_s / raw_s:.2f}x\n"
                f"dashboard queries (two _read_group, inspector): {dash_s:.3f} s, "
                f"ratio to raw SQL {dash_s / raw_s:.2f}x\n"
                f"runs: list {runs(stored['list'])} s; finance {runs(stored['finance'])} s; "
                f"dashboard {runs(stored['dashboard'])} s; raw SQL {runs(stored['raw'])} s\n"
                f"rows: {len(stored_answer)} schools this year; same answer on {len(COMPARED)} figures: "
                f"{same(stored_answer, expected)}\n"
                f"targets: under 1 s {'met' if worst < 1 else 'NOT met'}, within 3x of raw SQL "
                f"{'met' if worst <= 3 * raw_s else 'NOT met'}\n"
                f"-- the refresh job (safety.school.scorecard.month)\n"
                f"first run, every month of every school: {filled.seconds:.3f} s ({stored_months} months)\n"
                f"every half hour, the current month: {half_hourly.seconds:.3f} s\n"
                f"each night, this year's and last year's months: {nightly.seconds:.3f} s ({nightly_months} months)\n"
                f"-- the same reads with nothing stored (every month computed from the records)\n"
                f"list {live_list:.3f} s ({live_list / raw_s:.2f}x), finance "
                f"{statistics.median(live['finance']):.3f} s, dashboard {live_dash:.3f} s ({live_dash / raw_s:.2f}x); "
                f"runs: list {runs(live['list'])} s; dashboard {runs(live['dashboard'])} s; "
                f"raw SQL {runs(live['raw'])} s; same answer: {same(live_answer, expected)}"
            ),
        )
        # the monthly report job: last month's reports of every school, then the bureau's
        Report = env["safety.monthly.report"]
        month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
        rss_before = peak_rss_mb()
        with Timer() as job:
            made = Report._safety_generate(month, schools[args.render:], render=False)
            made |= Report._safety_generate(month, bureau, render=False)
            env.flush_all()
        with Timer() as rendered:
            made |= Report._safety_generate(month, schools[:args.render], render=True)
            env.flush_all()
        print(f"== Monthly report job, {month:%Y-%m}")
        print(f"figures of {len(made) - args.render} reports ({len(schools) - args.render} schools and the "
              f"bureau's): {job.seconds:.3f} s ({job.seconds / max(len(made) - args.render, 1) * 1000:.0f} ms each)")
        if args.render:
            print(f"{args.render} schools' reports with their PDF and Excel files, posted and sent: "
                  f"{rendered.seconds:.3f} s ({rendered.seconds / args.render:.2f} s each)")
        print(f"peak RSS: {rss_before:.0f} MB before the job, {peak_rss_mb():.0f} MB after")


if __name__ == "__main__":
    main()
