"""Training compliance of a large bureau, the way the report computes it, against one raw SQL
query giving the same answer.

    bin/bench tests/benchmarks/bench_training_compliance.py [--schools 200] [--staff 150] [--years 5]

Builds with SQL a bureau of N schools with M staff each, six courses required of all staff
(the shipped requirements switched off) and five years of history: one session a year per
school and course, every employee of the school on its attendance list (present, absent or
excused), a certificate for each attendee present: about a million attendance rows. Then
times, in the same run and alternately, three times each:

- **report**: the pivot of *Training Compliance* (``safety.training.compliance``, grouped by
  school and state) read through the ORM as a bureau inspector, record rules included;
- **raw SQL**: one hand-written query counting the same (school, state) pairs.

Both answers are compared; the medians and their ratio are printed.
"""
import argparse
import os
import statistics
import sys
from datetime import date

sys.path.insert(0, os.path.dirname(__file__))

from harness import Timer, environment, peak_rss_mb, report  # noqa: E402

COURSES = ("fire_safety", "evacuation_guiding", "first_aid", "food_safety", "traffic", "anti_bullying")
POSITIONS = ["class_teacher", "teacher", "teacher", "logistics", "middle_manager", "guard"]
RUNS = 3


def build(env, schools, staff, years, today):
    cr = env.cr
    Company = env["res.company"]
    bureau = Company.create({"name": "Bench Bureau", "safety_is_bureau": True})
    companies = Company.create([
        {"name": f"Bench School {i:03d}", "parent_id": bureau.id, "safety_school_type": "primary"}
        for i in range(schools)
    ])
    env["safety.training.requirement"].search([("active", "=", True)]).active = False
    courses = [env.ref(f"safety_training.course_{key}") for key in COURSES]
    env["safety.training.requirement"].create([{"course_id": course.id, "safety_role": "all"} for course in courses])
    env.flush_all()
    # staff
    cr.execute(
        """WITH s AS (SELECT c, g FROM unnest(%(schools)s::int4[]) AS c, generate_series(1, %(staff)s) AS g),
                r AS (INSERT INTO resource_resource (name, company_id, resource_type, time_efficiency, tz, active)
                      SELECT 'Staff ' || c || '-' || g, c, 'user', 100, 'UTC', true FROM s
                      RETURNING id, company_id, name)
           INSERT INTO hr_employee (resource_id, company_id, name, active, safety_position, employee_type,
                                    distance_home_work_unit, marital)
           SELECT r.id, r.company_id, r.name, true,
                  (%(positions)s::varchar[])[1 + mod(r.id, %(npos)s)], 'employee', 'kilometers', 'single'
             FROM r""",
        {"schools": companies.ids, "staff": staff, "positions": POSITIONS, "npos": len(POSITIONS)},
    )
    # one session a year per school and course, at a day of the year of its own
    cr.execute(
        """INSERT INTO safety_training (name, company_id, bureau_id, is_bureau_wide, course_id, date, date_end,
                                        hours, trainer_type, pass_mark, external_count, state,
                                        create_uid, create_date, write_uid, write_date)
           SELECT 'Bench session ' || c || '-' || co.id || '-' || y, c, %(bureau)s, false, co.id, d, d, 2,
                  'external', 0, 0, 'done', 1, now() AT TIME ZONE 'UTC', 1, now() AT TIME ZONE 'UTC'
             FROM unnest(%(schools)s::int4[]) AS c
            CROSS JOIN safety_training_course co
            CROSS JOIN generate_series(0, %(years)s - 1) AS y
            CROSS JOIN LATERAL (SELECT %(today)s::date - (y * 365 + mod(c * 37 + co.id * 53, 365) + 1) AS d) dd
            WHERE co.id = ANY(%(courses)s)""",
        {"schools": companies.ids, "bureau": bureau.id, "years": years, "today": today,
         "courses": [c.id for c in courses]},
    )
    cr.execute(
        """INSERT INTO safety_training_attendance (training_id, employee_id, company_id, course_id, date, status,
                                                   score, passed, create_uid, create_date, write_uid, write_date)
           SELECT t.id, e.id, e.company_id, t.course_id, t.date,
                  CASE WHEN mod(e.id * 7 + t.id, 100) < 5 THEN 'absent'
                       WHEN mod(e.id * 7 + t.id, 100) < 7 THEN 'excused' ELSE 'present' END,
                  0, mod(e.id * 7 + t.id, 100) >= 7, 1, now() AT TIME ZONE 'UTC', 1, now() AT TIME ZONE 'UTC'
             FROM safety_training t
             JOIN hr_employee e ON e.company_id = t.company_id
            WHERE t.company_id = ANY(%(schools)s)""",
        {"schools": companies.ids},
    )
    cr.execute(
        """INSERT INTO safety_training_certificate (name, employee_id, company_id, course_id, source, attendance_id,
                                                    training_id, issue_date, expiry_date, issuer,
                                                    create_uid, create_date, write_uid, write_date)
           SELECT 'PXB-' || a.id, a.employee_id, a.company_id, a.course_id, 'training', a.id, a.training_id,
                  a.date, (a.date + make_interval(months => co.validity_months))::date, 'Bench',
                  1, now() AT TIME ZONE 'UTC', 1, now() AT TIME ZONE 'UTC'
             FROM safety_training_attendance a
             JOIN safety_training_course co ON co.id = a.course_id
            WHERE a.passed AND a.company_id = ANY(%(schools)s)""",
        {"schools": companies.ids},
    )
    for table in ("hr_employee", "safety_training", "safety_training_attendance", "safety_training_certificate"):
        cr.execute(f"ANALYZE {table}")
    env.invalidate_all()
    return bureau, companies, courses


def raw_sql(cr, schools, courses, today, soon):
    cr.execute(
        """WITH best AS (
               SELECT employee_id, course_id, max(expiry_date) AS expiry
                 FROM safety_training_certificate
                WHERE issue_date <= %(today)s AND course_id = ANY(%(courses)s)
                GROUP BY employee_id, course_id
           )
           SELECT e.company_id,
                  CASE WHEN b.employee_id IS NULL THEN 'missing'
                       WHEN b.expiry < %(today)s THEN 'expired'
                       WHEN b.expiry <= %(soon)s THEN 'expiring'
                       ELSE 'valid' END AS state,
                  count(*)
             FROM hr_employee e
            CROSS JOIN unnest(%(courses)s::int4[]) AS r(course_id)
             LEFT JOIN best b ON b.employee_id = e.id AND b.course_id = r.course_id
            WHERE e.active AND e.company_id = ANY(%(schools)s)
            GROUP BY 1, 2""",
        {"today": today, "soon": soon, "courses": courses, "schools": schools},
    )
    return {(company_id, state): count for company_id, state, count in cr.fetchall()}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--schools", type=int, default=200)
    parser.add_argument("--staff", type=int, default=150)
    parser.add_argument("--years", type=int, default=5)
    args = parser.parse_args()
    today = date.today()
    with environment() as env:
        with Timer() as built:
            bureau, companies, courses = build(env, args.schools, args.staff, args.years, today)
        cr = env.cr
        cr.execute("SELECT count(*) FROM safety_training_attendance WHERE company_id = ANY(%s)", [companies.ids])
        attendance = cr.fetchone()[0]
        cr.execute("SELECT count(*) FROM safety_training_certificate WHERE company_id = ANY(%s)", [companies.ids])
        certificates = cr.fetchone()[0]
        print(f"built {args.schools} schools x {args.staff} staff, {attendance} attendance rows, "
              f"{certificates} certificates in {built.seconds:.1f} s")
        inspector = env["res.users"].create({
            "name": "Bench Inspector", "login": "bench_training_inspector",
            "groups_id": [(6, 0, [env.ref("school_safety.group_bureau_inspector").id])],
            "company_id": bureau.id, "company_ids": [(6, 0, [bureau.id, *companies.ids])],
        })
        env.flush_all()
        Compliance = env["safety.training.compliance"].with_user(inspector).with_context(
            allowed_company_ids=[bureau.id, *companies.ids])
        warning = env["safety.training.certificate"]._safety_warning_days()
        from dateutil.relativedelta import relativedelta
        soon = today + relativedelta(days=warning)
        course_ids = [course.id for course in courses]
        ours_times, raw_times = [], []
        for _run in range(RUNS):
            env.invalidate_all()
            with Timer() as ours:
                groups = Compliance._read_group([], ["company_id", "state"], ["__count"])
            ours_times.append(ours.seconds)
            with Timer() as raw:
                expected = raw_sql(cr, companies.ids, course_ids, today, soon)
            raw_times.append(raw.seconds)
        answer = {(company.id, state): count for company, state, count in groups}
        same = answer == expected
        totals = {}
        for (_company, state), count in answer.items():
            totals[state] = totals.get(state, 0) + count
        ours_s, raw_s = statistics.median(ours_times), statistics.median(raw_times)
        report(
            f"Training compliance: {args.schools} schools x {args.staff} staff x {len(courses)} required courses, "
            f"{attendance} attendance rows",
            "report (ORM read_group, inspector)", ours_s, "raw SQL", raw_s,
            extra=(
                f"runs: report {', '.join(f'{t:.3f}' for t in ours_times)} s; "
                f"raw SQL {', '.join(f'{t:.3f}' for t in raw_times)} s (medians above)\n"
                f"rows: {sum(answer.values())} (employee, course) pairs: "
                + ", ".join(f"{state} {count}" for state, count in sorted(totals.items())) + "\n"
                f"same answer: {'yes' if same else 'NO'}\n"
                f"targets: under 2 s {'met' if ours_s < 2 else 'NOT met'}, within 3x of raw SQL "
                f"{'met' if ours_s <= 3 * raw_s else 'NOT met'}\n"
                f"peak RSS: {peak_rss_mb():.0f} MB"
            ),
        )
        if not same:
            diff = {k: (answer.get(k), expected.get(k)) for k in set(answer) | set(expected)
                    if answer.get(k) != expected.get(k)}
            print(f"differences (report, raw): {list(diff.items())[:10]}")


if __name__ == "__main__":
    main()
