"""Filling the bench database with a large hazard ledger, by SQL, for the hazard benchmarks."""
from odoo.tools import SQL


def fill_hazards(env, count, open_only=False):
    """``count`` hazards over four schools and one year, with owners, deadlines and
    text in every ledger column. Returns the school companies."""
    Company = env["res.company"]
    bureau = env.ref("base.main_company")
    bureau.safety_is_bureau = True
    schools = Company.search([("name", "like", "Bench Hazard School %")], limit=4)
    if not schools:
        schools = Company.create([
            {"name": f"Bench Hazard School {i}", "parent_id": bureau.id, "safety_school_type": "primary"}
            for i in range(4)
        ])
    users = env["res.users"].search([("login", "like", "bench_user_%")])
    if not users:
        users = env["res.users"].create([
            {"name": f"Bench User {i}", "login": f"bench_user_{i}", "email": f"bench{i}@example.com",
             "company_id": schools[i % 4].id, "company_ids": [(6, 0, schools.ids)]}
            for i in range(8)
        ])
    env.flush_all()
    env.cr.execute(SQL(
        """INSERT INTO safety_hazard (
               name, company_id, bureau_id, location, category, level, source, description,
               found_date, found_by_id, measure, funding_estimated, funding_actual, owner_id,
               deadline, rechecker_id, state, closed_date, is_overdue, escalation_level,
               principal_user_id, inspector_id,
               create_uid, create_date, write_uid, write_date)
           SELECT 'YHB-' || lpad(g::text, 7, '0'),
                  (%(schools)s::int[])[1 + mod(g, 4)], %(bureau)s,
                  'Building ' || (mod(g, 9)) || ', room ' || (mod(g, 300)),
                  (ARRAY['fire','electricity','gas','chemicals','canteen','building','traffic',
                         'gate','surveillance','dormitory','surroundings','drowning','epidemic'])[1 + mod(g, 13)],
                  CASE WHEN mod(g, 17) = 0 THEN 'major' ELSE 'general' END,
                  (ARRAY['inspection','patrol','drill','staff_report'])[1 + mod(g, 4)],
                  'Hazard number ' || g || ': extinguisher without pressure near the stairs',
                  DATE '2025-12-01' + (mod(g, 365)),
                  (%(users)s::int[])[1 + mod(g, 8)],
                  'Replace and record the monthly check', 100 + mod(g, 5000), 0,
                  (%(users)s::int[])[1 + mod(g + 1, 8)],
                  CURRENT_DATE - 30 + (mod(g, 60)),
                  (%(users)s::int[])[1 + mod(g + 2, 8)],
                  CASE WHEN %(open_only)s THEN 'rectifying'
                       ELSE (ARRAY['registered','notified','rectifying','submitted','closed'])[1 + mod(g, 5)] END,
                  NULL, FALSE, 0,
                  (%(users)s::int[])[1 + mod(g, 4)], (%(users)s::int[])[8],
                  1, NOW() AT TIME ZONE 'UTC', 1, NOW() AT TIME ZONE 'UTC'
             FROM generate_series(1, %(count)s) AS g""",
        schools=schools.ids, bureau=bureau.id, users=users.ids, count=count, open_only=open_only,
    ))
    env.cr.execute(SQL("ANALYZE safety_hazard"))
    return schools
