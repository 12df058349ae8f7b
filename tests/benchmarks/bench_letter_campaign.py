"""Yearly letter campaign at the size of a large bureau, against a raw SQL insert.

    bin/bench tests/benchmarks/bench_letter_campaign.py [--schools 200] [--staff 150] [--guardians 1600]

Builds a bureau of N schools (staff in a principal / deputies / middle managers / staff
hierarchy, 40 class teachers each with their students' guardians) with SQL, then times in
one run: the campaign generating the whole chain, the re-run on the complete chain, a raw
SQL INSERT of the very same rows, and issuing (freezing the text of) every letter.
With --compare-reads, also the campaign's reads of every school (raw SQL) against the same
reads through the ORM.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))

from harness import Timer, environment, peak_rss_mb, report  # noqa: E402


def build(env, schools, staff, guardians):
    cr = env.cr
    Company = env["res.company"]
    bureau = Company.create({"name": "Bench Bureau", "safety_is_bureau": True})
    companies = Company.create([
        {"name": f"Bench School {i:03d}", "parent_id": bureau.id, "safety_school_type": "primary"}
        for i in range(schools)
    ])
    signatory = env["hr.employee"].create(
        {"name": "Bench Bureau Head", "company_id": bureau.id, "safety_position": "bureau"}
    )
    env.flush_all()
    class_teachers = 40
    per_class = guardians // class_teachers
    deputies, managers = 3, 8

    def insert_employees(rows):
        """rows: (company_id, name, position, parent_id) -> ids, in order."""
        cr.execute(
            """INSERT INTO resource_resource (name, company_id, resource_type, time_efficiency, tz, active)
               SELECT n, c, 'user', 100, 'UTC', true FROM unnest(%s::varchar[], %s::int4[]) AS t(n, c)
               RETURNING id""",
            [[r[1] for r in rows], [r[0] for r in rows]],
        )
        resources = [row[0] for row in cr.fetchall()]
        cr.execute(
            """INSERT INTO hr_employee (resource_id, company_id, name, active, safety_position, parent_id,
                                        employee_type, distance_home_work_unit, marital)
               SELECT r, c, n, true, p, m, 'employee', 'kilometers', 'single'
                 FROM unnest(%s::int4[], %s::int4[], %s::varchar[], %s::varchar[], %s::int4[])
                   AS t(r, c, n, p, m)
               RETURNING id""",
            [resources, [r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows], [r[3] for r in rows]],
        )
        return [row[0] for row in cr.fetchall()]

    ids = insert_employees([(c.id, f"Principal {c.id}", "principal", None) for c in companies])
    principal = dict(zip(companies.ids, ids, strict=True))
    for company_id, employee_id in principal.items():
        cr.execute("UPDATE res_company SET safety_principal_id = %s WHERE id = %s", [employee_id, company_id])
    rows = [(c, f"Deputy {c}-{i}", "deputy", principal[c]) for c in companies.ids for i in range(deputies)]
    deputy_ids = insert_employees(rows)
    deputy_of = {}
    for row, emp in zip(rows, deputy_ids, strict=True):
        deputy_of.setdefault(row[0], []).append(emp)
    rows = [
        (c, f"Manager {c}-{i}", "middle_manager", deputy_of[c][i % deputies])
        for c in companies.ids for i in range(managers)
    ]
    manager_ids = insert_employees(rows)
    manager_of = {}
    for row, emp in zip(rows, manager_ids, strict=True):
        manager_of.setdefault(row[0], []).append(emp)
    others = staff - 1 - deputies - managers
    positions = ["class_teacher"] * class_teachers + ["teacher", "logistics", "guard"] * others
    rows = [
        (c, f"Staff {c}-{i}", positions[i], manager_of[c][i % managers])
        for c in companies.ids for i in range(others)
    ]
    staff_ids = insert_employees(rows)
    teachers = [emp for row, emp in zip(rows, staff_ids, strict=True) if row[2] == "class_teacher"]
    teacher_company = {emp: row[0] for row, emp in zip(rows, staff_ids, strict=True) if row[2] == "class_teacher"}
    names = [f"Guardian {t}-{k}" for t in teachers for k in range(per_class)]
    cr.execute(
        """INSERT INTO res_partner (name, complete_name, active, type)
           SELECT n, n, true, 'contact' FROM unnest(%s::varchar[]) AS t(n) RETURNING id""",
        [names],
    )
    partner_ids = [row[0] for row in cr.fetchall()]
    cr.execute(
        """INSERT INTO safety_student (name, company_id, class_name, class_teacher_id, guardian_id, active)
           SELECT n, c, 'Class', t, g, true
             FROM unnest(%s::varchar[], %s::int4[], %s::int4[], %s::int4[]) AS x(n, c, t, g)""",
        [
            [f"Student {t}-{k}" for t in teachers for k in range(per_class)],
            [teacher_company[t] for t in teachers for k in range(per_class)],
            [t for t in teachers for k in range(per_class)],
            partner_ids,
        ],
    )
    env.invalidate_all()
    return bureau, signatory


def compare_reads(env, campaign):
    """The campaign's reads of every school (what the planner needs), raw SQL then ORM."""
    schools = env["res.company"].search([("safety_bureau_id", "=", campaign.bureau_id.id)])
    Employee, Student, Letter = env["hr.employee"], env["safety.student"], env["safety.letter"]
    env.invalidate_all()
    with Timer() as t_sql:
        for school in schools:
            campaign._safety_read_school(school)
    env.invalidate_all()
    with Timer() as t_orm:
        for school in schools:
            employees = Employee.search_fetch(
                [("company_id", "=", school.id), ("safety_position", "not in", [False, "bureau"])],
                ["name", "parent_id", "safety_position", "work_contact_id"], order="id",
            )
            rows = [(e.id, e.name, e.parent_id.id, e.safety_position, e.work_contact_id.id) for e in employees]
            students = Student.search_fetch(
                [("company_id", "=", school.id)], ["name", "class_name", "class_teacher_id", "guardian_id"], order="id"
            )
            students.guardian_id.fetch(["name"])
            rows += [
                (s.id, s.name, s.class_name, s.class_teacher_id.id, s.guardian_id.id, s.guardian_id.name)
                for s in students
            ]
            letters = Letter.search_fetch(
                [("campaign_id", "=", campaign.id), ("company_id", "=", school.id)], ["level", "party_key"]
            )
            rows += [((letter.level, letter.party_key), letter.id) for letter in letters]
            env.invalidate_all()  # one school at a time, as the campaign does
    return (
        f"reading every school for the planner: {t_sql.seconds:.3f} s with SQL, "
        f"{t_orm.seconds:.3f} s through the ORM\n"
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--schools", type=int, default=200)
    parser.add_argument("--staff", type=int, default=150)
    parser.add_argument("--guardians", type=int, default=1600)
    parser.add_argument("--no-issue", action="store_true", help="skip timing the issue of every letter")
    parser.add_argument("--compare-reads", action="store_true",
                        help="also time the reads of every school through the ORM instead of SQL")
    args = parser.parse_args()
    with environment(commit=False) as env:
        cr = env.cr
        if not env["res.company"].search([("name", "=", "Bench Bureau")], limit=1):
            with Timer() as t_build:
                build(env, args.schools, args.staff, args.guardians)
            cr.commit()  # the organisation stays; everything timed below is rolled back
            print(f"built {args.schools} schools in {t_build.seconds:.1f} s", flush=True)
        bureau = env["res.company"].search([("name", "=", "Bench Bureau")], limit=1)
        signatory = env["hr.employee"].search([("name", "=", "Bench Bureau Head")], limit=1)
        campaign = env["safety.letter.campaign"].create({
            "name": "Bench campaign",
            "bureau_id": bureau.id,
            "bureau_signatory_id": signatory.id,
            "auto_issue": False,
        })
        env.flush_all()
        with Timer() as t_campaign:
            campaign._safety_generate(sync=True)
            env.flush_all()
        cr.execute("SELECT count(*) FROM safety_letter WHERE campaign_id = %s", [campaign.id])
        letters = cr.fetchone()[0]
        with Timer() as t_rerun:
            campaign._safety_generate(sync=True)
            env.flush_all()
        cr.execute("SELECT count(*) FROM safety_letter WHERE campaign_id = %s", [campaign.id])
        assert cr.fetchone()[0] == letters, "the re-run created letters"
        reads = compare_reads(env, campaign) if args.compare_reads else ""
        # the same rows, inserted by hand in one statement
        columns = (
            "id, campaign_id, company_id, year, level, template_id, parent_id, party_key, party_a_employee_id, "
            "party_a_name, party_b_employee_id, party_b_partner_id, party_b_name, student_id, name, "
            "verification_uuid, state, progress, create_uid, write_uid, create_date, write_date"
        )
        cr.execute(f"CREATE TEMP TABLE bench_letters AS SELECT {columns} FROM safety_letter WHERE campaign_id = %s",
                   [campaign.id])
        cr.execute("DELETE FROM safety_letter WHERE campaign_id = %s", [campaign.id])
        with Timer() as t_raw:
            cr.execute(f"INSERT INTO safety_letter ({columns}) SELECT {columns} FROM bench_letters")
        env.invalidate_all()
        with Timer() as t_issue:
            if not args.no_issue:
                campaign.action_issue_all()
                env.flush_all()
        report(
            f"letter campaign: {args.schools} schools, {letters} letters",
            "campaign", t_campaign.seconds,
            "raw SQL insert", t_raw.seconds,
            extra=(
                f"re-run on the complete chain: {t_rerun.seconds:.3f} s\n"
                + reads
                + ("" if args.no_issue else f"issuing every letter (text frozen, links): {t_issue.seconds:.3f} s\n")
                + f"peak RSS: {peak_rss_mb():.0f} MB"
            ),
        )


if __name__ == "__main__":
    main()
