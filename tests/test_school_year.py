"""One school year played end to end on a real Odoo server, through public interfaces only.

The suite is installed without demo data into a throwaway database and served on a free port.
Only the setup (a bureau, one school, the role users and their employees; mid-year a second
school of the bureau with its principal and officer) is made as the administrator, who also
runs the scheduled jobs when they are due; everything else is done as the role that does it in
a school year: JSON-RPC calls of the models' own buttons (/web/dataset/call_kw) after
/web/session/authenticate, the patrol scan endpoint as the guard's phone, the signing link as a
guardian, and the HTTP downloads of the reports. Steps run in the year's order and depend on
each other: one test.
"""
import base64
import io
import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from datetime import UTC, datetime, timedelta
from http.cookiejar import CookieJar
from zoneinfo import ZoneInfo

import pytest

PASSWORD = "year-2026-pass"
# a 1x1 PNG: what the signature widget and a phone's camera send, base64-encoded
PNG = base64.b64encode(bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)).decode()
CALL_TIMEOUT = 120
SCHOOL_TZ = ZoneInfo("Asia/Shanghai")


def odoo_time(moment):
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def iso(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def school_today():
    """Today where the school is: its time zone is its bureau's, by default China's."""
    return datetime.now(SCHOOL_TZ).date()


def first_of_last_month():
    today = school_today()
    return (today.replace(day=1) - timedelta(days=1)).replace(day=1)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RpcError(AssertionError):
    pass


class Session:
    """One logged-in browser: its own cookie jar, JSON-RPC calls as its user."""

    def __init__(self, base, db, login, password):
        self.base, self.login = base, login
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        result = self.jsonrpc("/web/session/authenticate", {"db": db, "login": login, "password": password})
        assert result and result.get("uid"), f"{login} could not log in: {result!r}"
        self.uid = result["uid"]
        self.company_id = result["user_companies"]["current_company"]
        self.company_ids = sorted(int(c) for c in result["user_companies"]["allowed_companies"])

    def request(self, path, data=None, headers=None, timeout=CALL_TIMEOUT):
        req = urllib.request.Request(self.base + path, data=data, headers=headers or {})
        try:
            with self.opener.open(req, timeout=timeout) as resp:
                return resp.status, resp.headers, resp.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()

    def jsonrpc(self, path, params):
        body = json.dumps({"jsonrpc": "2.0", "method": "call", "id": 1, "params": params}).encode()
        status, _headers, raw = self.request(path, body, {"Content-Type": "application/json"})
        assert status == 200, f"{self.login}: {path} answered HTTP {status}: {raw[:500]!r}"
        answer = json.loads(raw)
        if "error" in answer:
            data = answer["error"].get("data", {})
            raise RpcError(f"{self.login}: {path} failed: {data.get('name')}: {data.get('message')}\n"
                           f"{data.get('debug', '')[-3000:]}")
        return answer.get("result")

    def call(self, model, method, *args, context=None, **kwargs):
        ctx = {"allowed_company_ids": self.company_ids, "lang": "en_US", "tz": "Asia/Shanghai"}
        ctx.update(context or {})
        return self.jsonrpc(f"/web/dataset/call_kw/{model}/{method}", {
            "model": model, "method": method, "args": list(args), "kwargs": dict(kwargs, context=ctx),
        })

    def create(self, model, vals, **kw):
        ids = self.call(model, "create", [vals] if isinstance(vals, dict) else vals, **kw)
        return ids[0] if isinstance(vals, dict) else ids

    def read(self, model, ids, fields):
        return self.call(model, "read", ids if isinstance(ids, list) else [ids], fields)

    def read1(self, model, rid, fields):
        return self.read(model, rid, fields)[0]

    def search_read(self, model, domain, fields, **kw):
        return self.call(model, "search_read", domain, fields, **kw)

    def download(self, path):
        status, headers, raw = self.request(path)
        assert status == 200, f"{self.login}: {path} answered HTTP {status}: {raw[:1000]!r}"
        return headers.get("Content-Type", ""), raw


class Server:
    def __init__(self, odoo_env, db, tmp):
        self.env, self.db, self.tmp = odoo_env, db, tmp
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = tmp / "odoo.log"
        self.proc = None

    def args(self):
        args = [
            self.env["python"], f"{self.env['root']}/odoo-bin", "--addons-path", self.env["addons_path"],
            "--data-dir", str(self.tmp / "data"), "-d", self.db, "--db-filter", f"^{self.db}$",
        ]
        if self.env["pghost"]:
            args += ["--db_host", self.env["pghost"], "--db_port", self.env["pgport"],
                     "--db_user", self.env["pguser"]]
        return args

    def install(self):
        result = subprocess.run(
            self.args() + ["-i", ",".join(self.env["suite_addons"]), "--without-demo=all",
                           "--stop-after-init", "--log-level=warn", "--max-cron-threads=0"],
            capture_output=True, text=True, timeout=900, env=dict(os.environ, TZ="UTC"),
        )
        assert result.returncode == 0, (result.stdout + result.stderr)[-5000:]

    def start(self):
        with open(self.log_path, "w") as log:
            self.proc = subprocess.Popen(
                self.args() + ["--http-port", str(self.port), "--http-interface", "127.0.0.1",
                               "--workers=0", "--max-cron-threads=0", "--log-level=info"],
                stdout=log, stderr=subprocess.STDOUT, start_new_session=True, env=dict(os.environ, TZ="UTC"),
            )
        deadline = time.time() + 180
        while True:
            assert self.proc.poll() is None, f"Odoo stopped at start:\n{self.log_tail()}"
            try:
                with urllib.request.urlopen(f"{self.base}/web/login", timeout=10) as resp:
                    if resp.status == 200:
                        return
            except OSError:
                pass
            assert time.time() < deadline, f"Odoo did not answer within 180 s:\n{self.log_tail()}"
            time.sleep(1)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=60)

    def log_tail(self, size=6000):
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return text[-size:] if size else text

    def session(self, login, password=PASSWORD):
        return Session(self.base, self.db, login, password)


@pytest.fixture
def server(odoo_env, throwaway_db, tmp_path):
    """The suite installed without demo data into the throwaway database (dropped by its
    fixture), served until the test ends, whatever happens."""
    srv = Server(odoo_env, throwaway_db, tmp_path)
    try:
        srv.install()
        srv.start()
        yield srv
    finally:
        srv.stop()


def xmlid(admin, module, name):
    rows = admin.search_read("ir.model.data", [("module", "=", module), ("name", "=", name)], ["res_id"])
    assert rows, f"{module}.{name} is not installed"
    return rows[0]["res_id"]


def xlsx_text(raw):
    """Everything an Excel file holds (its sheets and shared strings), as one text."""
    assert raw.startswith(b"PK"), f"not an Excel file: {raw[:200]!r}"
    with zipfile.ZipFile(io.BytesIO(raw)) as book:
        return "".join(book.read(name).decode() for name in book.namelist() if name.startswith("xl/"))


def assert_xlsx_shows(raw, *texts):
    strings = xlsx_text(raw)
    for text in texts:
        assert text in strings, f"the Excel file does not show {text!r}"
    return strings


def report_action_url(action):
    """The URL the web client downloads a report_xlsx action from when the action carries a
    wizard's data (report_xlsx's action handler)."""
    assert action["type"] == "ir.actions.report" and action["report_type"] == "xlsx", action
    options = urllib.parse.quote(json.dumps(action["data"]))
    context = urllib.parse.quote(json.dumps(action.get("context") or {}))
    return f"/report/xlsx/{action['report_name']}?options={options}&context={context}"


def run_job(admin, module, cron):
    """The scheduled job as the server runs it when it is due (Scheduled Actions > Run Manually)."""
    admin.call("ir.cron", "method_direct_trigger", [xmlid(admin, module, cron)])


BUREAU_ROLES = {"manager": "group_bureau_manager", "inspector": "group_bureau_inspector",
                "finance": "group_bureau_finance"}


def create_user(admin, login, group, company, companies):
    """A user holding only ``group`` (school_safety's), working in ``companies``."""
    return admin.create("res.users", {
        "name": f"Year {login.title()}", "login": login, "password": PASSWORD,
        "company_id": company, "company_ids": [(6, 0, companies)],
        "groups_id": [(6, 0, [xmlid(admin, "school_safety", group)])],
        "tz": "Asia/Shanghai",
    }, context={"no_reset_password": True})


def create_employee(admin, name, company, position, user=False, parent=False):
    return admin.create("hr.employee", {
        "name": name, "company_id": company, "safety_position": position, "user_id": user, "parent_id": parent,
    })


def open_school(server, bureau, name, staff, school_type="primary", enrollment=850):
    """A school of ``bureau`` keeping its records since last month (the monthly report job makes
    last month's report), its staff ``{login: (group, safety position, employee name)}`` with
    their users and employees (the first is the principal, the others report to them; the
    second is the safety officer), and the school's principal and officer set.
    Returns (school, {login: user id}, {login: employee id})."""
    school = server.session("admin", "admin").create("res.company", {
        "name": name, "parent_id": bureau,
        "safety_school_type": school_type, "safety_enrollment_day": enrollment,
        "safety_start_date": first_of_last_month().strftime("%Y-%m-%d"),
    })
    admin = server.session("admin", "admin")  # again, to have the new school allowed
    assert school in admin.company_ids, admin.company_ids
    users, employees = {}, {}
    principal = None
    for login, (group, position, employee_name) in staff.items():
        users[login] = create_user(admin, login, group, school, [school])
        employees[login] = create_employee(admin, employee_name, school, position, users[login], principal or False)
        principal = principal or employees[login]
    principal_login, officer_login = list(staff)[:2]
    admin.call("res.company", "write", [school], {
        "safety_principal_id": employees[principal_login], "safety_officer_id": employees[officer_login],
    })
    return school, users, employees


def set_up_world(server):
    """What the administrator sets up before the year: the bureau, one school, one user per
    role holding only that role's group (bureau users: both companies) and their employees."""
    admin = server.session("admin", "admin")
    bureau = admin.create("res.company", {"name": "Riverside District Education Bureau", "safety_is_bureau": True})
    school, users, employees = open_school(server, bureau, "Riverside No. 1 Primary School", {
        "principal": ("group_school_principal", "principal", "Principal Wang"),
        "officer": ("group_school_safety_officer", "deputy", "Officer Li"),
        "teacher": ("group_school_staff", "class_teacher", "Teacher Zhao"),
        "guard": ("group_security_guard", "guard", "Guard Sun"),
    })
    admin = server.session("admin", "admin")  # again, to have both new companies allowed
    assert {bureau, school} <= set(admin.company_ids), admin.company_ids
    for login, group in BUREAU_ROLES.items():
        users[login] = create_user(admin, login, group, bureau, [bureau, school])
    employees["manager"] = create_employee(admin, "Bureau Head", bureau, "bureau", users["manager"])
    employees["inspector"] = create_employee(admin, "Bureau Inspector", bureau, "bureau", users["inspector"])
    admin.call("res.company", "write", [bureau], {"safety_officer_id": employees["inspector"]})
    return {"bureau": bureau, "school": school, "users": users, "employees": employees}


def year_rows(year):
    """The domain of the scorecard's rows of ``year`` (one per school)."""
    return [("period_type", "=", "year"), ("period_start", "=", f"{year}-01-01")]


def safety_spending(finance, school):
    """The school's lines on the safety investment plan, as the bureau's finance lists them."""
    return finance.search_read("account.analytic.line", [("company_id", "=", school),
                                                         ("safety_category_id", "!=", False)],
                               ["safety_spent", "name", "safety_fund_id"])


def remind_expiring_certificate(admin, as_, world):
    """The guard's outside guard-duty certificate, recorded by the officer, expires in ten days: the
    daily reminder job tells the guard and the officer, once, however often it runs."""
    officer = as_["officer"]
    guard_duty = officer.search_read("safety.training.course", [("code", "=", "GUARD")], ["name"])
    assert guard_duty, "the guard-duty course is not installed"
    # (within the days before expiry the bureau configured for its reminders)
    window = admin.call("ir.config_parameter", "get_param", "safety_training.expiry_warning_days")
    assert int(window) > 10, f"the reminders start {window} days before expiry"
    expires = (school_today() + timedelta(days=10)).strftime("%Y-%m-%d")
    officer.create("safety.training.certificate", {
        "employee_id": world["employees"]["guard"], "course_id": guard_duty[0]["id"], "name": "GA-2025-0117",
        "issuer": "District public security bureau", "expiry_date": expires,
        "issue_date": (school_today() - timedelta(days=355)).strftime("%Y-%m-%d"),
    })
    renewal = xmlid(admin, "safety_training", "mail_activity_type_training_renewal")

    def reminders(login):
        return as_[login].search_read("mail.activity", [
            ("activity_type_id", "=", renewal), ("user_id", "=", world["users"][login]),
            ("res_model", "=", "hr.employee"), ("res_id", "=", world["employees"]["guard"]),
            ("safety_training_course_id", "=", guard_duty[0]["id"]),
        ], ["summary", "date_deadline"])

    run_job(admin, "safety_training", "ir_cron_safety_training_remind")
    told = {login: reminders(login) for login in ("guard", "officer")}
    for login, activities in told.items():
        assert len(activities) == 1 and activities[0]["date_deadline"] == expires \
            and expires in activities[0]["summary"], f"the reminder to the {login}: {activities}"
    # the teacher's own certificate is valid: the teacher is told nothing
    assert not as_["teacher"].search_read("mail.activity", [("activity_type_id", "=", renewal),
                                                            ("user_id", "=", world["users"]["teacher"])], ["id"])
    all_reminders = admin.call("mail.activity", "search_count", [("activity_type_id", "=", renewal)])
    run_job(admin, "safety_training", "ir_cron_safety_training_remind")
    assert {login: reminders(login) for login in told} == told, "the reminders changed when the job ran again"
    again = admin.call("mail.activity", "search_count", [("activity_type_id", "=", renewal)])
    assert again == all_reminders, f"the job ran again: {again} reminders instead of {all_reminders}"


def revise_and_fund(as_, world, budget, fire, year):
    """Mid-year the bureau's finance revises the budget (+2000 for fire equipment, approved through
    the same tiers) and brings in a special fund for fire equipment, 5000 of it allocated to the
    school, which spends 3000 of it."""
    finance, manager, school = as_["finance"], as_["manager"], world["school"]
    revision = finance.create("safety.budget.revision", {
        "budget_id": budget, "reason": "Extinguishers of Building 2 replaced, not refilled",
        "line_ids": [(0, 0, {"category_id": fire[0]["id"], "amount_after": 12000})],
    })
    finance.call("safety.budget.revision", "action_submit", [revision])
    finance.call("safety.budget.revision", "validate_tier", [revision])
    manager.call("safety.budget.revision", "validate_tier", [revision])
    revised = finance.read1("safety.budget.revision", revision, ["state", "amount_before", "amount_after"])
    assert (revised["state"], revised["amount_before"], revised["amount_after"]) == ("approved", 10000, 12000), revised
    assert finance.read1("safety.budget", budget, ["amount_total"])["amount_total"] == 12000, "revision not applied"
    fund = finance.create("safety.fund", {
        "name": f"Fire equipment subsidy {year}", "reference": f"RDEB-{year}-07", "company_id": world["bureau"],
        "source": "subsidy", "year": year, "amount": 8000, "category_ids": [(6, 0, [fire[0]["id"]])],
        "allocation_ids": [(0, 0, {"company_id": school, "amount": 5000})],
    })
    charge = {"name": "Extinguishers of Building 2", "date": school_today().strftime("%Y-%m-%d"),
              "company_id": school, "safety_category_id": fire[0]["id"], "safety_fund_id": fund, "safety_spent": 3000}
    other = finance.search_read("account.analytic.account", [
        ("root_plan_id", "=", fire[0]["root_plan_id"][0]), ("id", "!=", fire[0]["id"])], ["name"], limit=1)
    with pytest.raises(RpcError, match="may not pay for"):  # ring-fenced: fire equipment only
        finance.create("account.analytic.line", dict(charge, safety_category_id=other[0]["id"]))
    finance.create("account.analytic.line", charge)
    spent = safety_spending(finance, school)
    assert [line["safety_spent"] for line in spent if line["safety_fund_id"]] == [3000], spent
    funded = finance.read1("safety.fund", fund, ["allocated", "actual", "remaining"])
    assert (funded["allocated"], funded["actual"], funded["remaining"]) == (5000, 3000, 5000), funded
    # the budget execution report, as the finance reads it: the revised budget, the allocation, the
    # spending (the expense, the rectification's cost and the fund's), the fund's part apart
    execution = finance.call("safety.investment.execution", "read_group",
                             [("company_id", "=", school), ("year", "=", year)],
                             ["budget", "allocated", "actual", "actual_fund", "actual_own", "fund_remaining",
                              "execution_rate"], [], lazy=False)
    got = {name: execution[0][name] for name in ("budget", "allocated", "actual", "actual_fund", "actual_own",
                                                 "fund_remaining")}
    assert got == {"budget": 12000, "allocated": 5000, "actual": 1200 + 280 + 3000, "actual_fund": 3000,
                   "actual_own": 1200 + 280, "fund_remaining": 2000}, f"the budget execution: {execution}"
    assert round(execution[0]["execution_rate"], 1) == 37.3, execution
    return spent


def open_second_school(server, admin, as_, world, incident_at):
    """A second school of the bureau opens (set up by the administrator, the bureau's users given
    it, logged in again in ``as_``): its officer registers a hazard and reports an incident of
    last month. The first school's users see none of it; the bureau sees both schools.
    Returns the school."""
    school, year = world["school"], school_today().year
    incident_year = first_of_last_month().year
    school2, users2, _employees2 = open_school(server, world["bureau"], "Riverside No. 2 Middle School", {
        "principal2": ("group_school_principal", "principal", "Principal Zhou"),
        "officer2": ("group_school_safety_officer", "deputy", "Officer Qian"),
    }, school_type="junior_secondary", enrollment=1200)
    for login in BUREAU_ROLES:
        admin.call("res.users", "write", [world["users"][login]], {"company_ids": [(4, school2)]})
        as_[login] = server.session(login)  # logged in again: the new school is among their companies
    manager, inspector = as_["manager"], as_["inspector"]
    officer2 = server.session("officer2")
    assert officer2.company_ids == [school2] and sorted(users2) == ["officer2", "principal2"], officer2.company_ids
    hazard2 = officer2.create("safety.hazard", {
        "company_id": school2, "location": "Gym, north wall", "category": "electricity",
        "description": "A socket hangs out of the wall",
    })
    incident2 = officer2.create("safety.incident", {
        "company_id": school2, "occurred_at": odoo_time(incident_at + timedelta(days=3)),
        "location": "Science lab 2", "category": "natural_disaster", "injured_count": 1, "death_count": 0,
        "description": "A storm broke a window; a pupil was cut by the glass.",
        "measures_taken": "The room was closed, the pupil treated by the school nurse.",
    })
    # the first school's users see their own school only: its records, its scorecard rows
    principal = as_["principal"]
    for model in ("safety.hazard", "safety.incident", "safety.school.scorecard"):
        seen = {row["company_id"][0] for row in principal.search_read(model, [], ["company_id"])}
        assert seen == {school}, f"the first school's principal sees {model} of {seen}"
    # the bureau sees both schools in the scorecard of the year
    for session in (manager, inspector):
        by_school = {row["company_id"][0]: row for row in session.search_read(
            "safety.school.scorecard", year_rows(year), [])}
        assert set(by_school) == {school, school2}, f"{session.login} sees the scorecard of {set(by_school)}"
    second = {name: by_school[school2][name] for name in ("hazards_found", "hazards_open", "incident_count")}
    assert second == {"hazards_found": 1, "hazards_open": 1, "incident_count": int(incident_year == year)}, second
    for model, rid in (("safety.school.scorecard", by_school[school2]["id"]), ("safety.hazard", hazard2),
                       ("safety.incident", incident2)):
        with pytest.raises(RpcError, match="AccessError"):
            principal.read(model, rid, ["company_id"])
    return school2


def check_bureau_report(manager, bureau, month):
    """The bureau's own report of the month, made by the same job over its two schools."""
    bureau_reports = manager.search_read("safety.monthly.report", [
        ("company_id", "=", bureau), ("kind", "=", "bureau")], ["month", "sections"])
    assert [r["month"] for r in bureau_reports] == [month], f"expected the bureau's report of {month}: {bureau_reports}"
    sections = {section["key"]: section for section in bureau_reports[0]["sections"]}
    schools = [row[0] for row in sections["schools"]["tables"][0]["rows"]]
    assert schools == ["Riverside No. 1 Primary School", "Riverside No. 2 Middle School"], sections["schools"]
    by_category = next(table for table in sections["incidents"]["tables"] if table["title"] == "By category")
    assert ["Accident or Disaster", 1, 1, 0] in by_category["rows"] and ["Natural Disaster", 1, 1, 0] in \
        by_category["rows"], f"the bureau's incidents of last month: {sections['incidents']}"
    kind, pdf = manager.download(f"/report/pdf/school_safety.safety_monthly_report_document/{bureau_reports[0]['id']}")
    assert kind.startswith("application/pdf") and pdf.startswith(b"%PDF"), f"not a PDF: {kind} {pdf[:200]!r}"
    kind, xlsx = manager.download(f"/report/xlsx/school_safety.safety_monthly_report_xlsx/{bureau_reports[0]['id']}")
    assert_xlsx_shows(xlsx, "Riverside No. 1 Primary School", "Riverside No. 2 Middle School",
                      "Playground, basketball court", "Science lab 2")


def check_hazard_ledgers(as_, school, school2, year):
    """The hazard ledger of the year, exported from its wizard: by the school for itself, by the
    bureau for the second school; each shows its school's hazards only, and a school exports no
    other school's."""
    officer, inspector = as_["officer"], as_["inspector"]

    def ledger(session, company):
        wizard = session.create("safety.hazard.ledger.wizard", {
            "company_id": company, "date_from": f"{year}-01-01", "date_to": school_today().strftime("%Y-%m-%d")})
        return report_action_url(session.call("safety.hazard.ledger.wizard", "action_export", [wizard]))

    hazards = officer.search_read("safety.hazard", [("company_id", "=", school)], ["name", "location"])
    assert len(hazards) == 2, hazards
    _kind, raw = officer.download(ledger(officer, school))
    text = assert_xlsx_shows(raw, "Riverside No. 1 Primary School",
                             *(hazard[key] for hazard in hazards for key in ("name", "location")))
    assert "Gym, north wall" not in text, "the first school's ledger shows the second school's hazard"
    _kind, raw = inspector.download(ledger(inspector, school2))
    text = assert_xlsx_shows(raw, "Riverside No. 2 Middle School", "Gym, north wall", "A socket hangs out of the wall")
    assert not any(h["location"] in text for h in hazards), "the second school's ledger shows the first one's"
    status, _headers, raw = officer.request(ledger(officer, school2))
    assert not raw.startswith(b"PK") and b"another school" in raw, \
        f"the ledger of another school: {status} {raw[:300]!r}"


def check_stored_months(admin, as_, schools, card, compared):
    """The scorecard's stored months: the bureau's inspector presses Refresh Figures, which stores
    the months of both schools computed from the records; read from there the year's rows show
    the same figures (to the manager, who reads the budget's too); and again after the
    half-hourly job."""
    manager, inspector = as_["manager"], as_["inspector"]
    school = schools[0]

    def year_figures():
        rows = manager.search_read("safety.school.scorecard", year_rows(school_today().year),
                                   ["company_id", *compared])
        return {row["company_id"][0]: {name: row[name] for name in compared} for row in rows}

    computed = year_figures()
    assert computed[school] == {name: card[name] for name in compared}, (computed[school], card)
    answer = inspector.call("safety.school.scorecard", "action_safety_refresh", [[]])
    assert answer == {"type": "ir.actions.client", "tag": "soft_reload"}, answer
    stored = admin.search_read("safety.school.scorecard.month", [("company_id", "in", schools)],
                               ["company_id", "month"])
    months = {first_of_last_month().strftime("%Y-%m-%d"), school_today().replace(day=1).strftime("%Y-%m-%d")}
    assert {(m["company_id"][0], m["month"]) for m in stored} == {(s, m) for s in schools for m in months}, \
        f"the stored months: {stored}"
    assert year_figures() == computed, "the scorecard read from its stored months differs from the records"
    run_job(admin, "school_safety", "ir_cron_safety_scorecard_refresh")
    assert year_figures() == computed, "the scorecard after the refresh job differs from the records"


def test_school_year(server):
    world = set_up_world(server)
    as_ = {login: server.session(login) for login in world["users"]}
    admin = server.session("admin", "admin")  # runs the jobs when they are due (the cron threads are off)
    school = world["school"]
    year = school_today().year

    # ---- the letter campaign: generated by the bureau manager, signed along the chain
    officer = as_["officer"]
    officer.create("safety.student", {
        "name": "Student Chen", "company_id": school, "class_name": "Class 3-1",
        "class_teacher_id": world["employees"]["teacher"],
        "guardian_name": "Guardian Chen", "guardian_phone": "13800000001",
    })
    manager = as_["manager"]
    campaign = manager.create("safety.letter.campaign", {
        "name": f"Safety responsibility letters {year}", "bureau_id": world["bureau"],
        "bureau_signatory_id": world["employees"]["manager"], "lang": "en_US",
    })
    manager.call("safety.letter.campaign", "action_generate", [campaign])
    letters = manager.search_read(
        "safety.letter", [("campaign_id", "=", campaign)],
        ["level", "state", "party_b_employee_id", "student_id"],
    )
    # bureau -> principal, principal -> officer, teacher and guard, teacher -> the guardian
    assert len(letters) == 5, f"expected 5 letters, got {letters}"
    assert {letter["state"] for letter in letters} == {"issued"}, letters
    by_level = {}
    for letter in letters:
        by_level.setdefault(letter["level"], []).append(letter["id"])
    # each party signs in the backend, from the top of the chain down
    signing = [
        ("bureau_principal", ("manager", "principal")),
        ("principal_deputy", ("principal", "officer")),
        ("middle_staff", ("principal", "teacher", "guard")),
        ("class_teacher_guardian", ("teacher",)),
    ]
    for level, logins in signing:
        for letter_id in by_level[level]:
            parties = manager.read1("safety.letter", letter_id, ["party_a_employee_id", "party_b_employee_id"])
            party_ids = {party[0] for party in parties.values() if isinstance(party, list)}
            for login in logins:
                if world["employees"][login] in party_ids:
                    as_[login].call("safety.letter", "action_sign", [letter_id], PNG)
    # the guardian signs through the link the class teacher hands out
    guardian_letter = by_level["class_teacher_guardian"][0]
    link = as_["teacher"].call("safety.letter", "action_signing_link", [guardian_letter])["url"]
    parts = urllib.parse.urlsplit(link)
    path, token = parts.path, urllib.parse.parse_qs(parts.query)["access_token"][0]
    guardian = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    with guardian.open(f"{server.base}{path}?access_token={token}", timeout=CALL_TIMEOUT) as resp:
        assert resp.status == 200 and b"Guardian Chen" in resp.read(), "the guardian's page does not open"
    body = json.dumps({"jsonrpc": "2.0", "method": "call", "id": 1, "params": {
        "access_token": token, "name": "Guardian Chen", "signature": PNG}}).encode()
    req = urllib.request.Request(f"{server.base}{path}/sign", data=body, headers={"Content-Type": "application/json"})
    with guardian.open(req, timeout=CALL_TIMEOUT) as resp:
        answer = json.loads(resp.read())
    assert "error" not in answer.get("result", {}) and "error" not in answer, f"guardian signing: {answer}"
    states = manager.search_read("safety.letter", [("campaign_id", "=", campaign)], ["name", "state"])
    assert {letter["state"] for letter in states} == {"signed"}, f"letters left unsigned: {states}"

    # ---- the quarterly inspection: one failed check raises a hazard
    inspector = as_["inspector"]
    templates = inspector.search_read(
        "safety.inspection.template", [("inspection_types", "in", ("all", "bureau"))], ["name"], limit=1)
    assert templates, "no checklist for the bureau's inspections is installed"
    template = templates[0]["id"]
    inspection = inspector.create("safety.inspection", {
        "company_id": school, "inspection_type": "bureau_quarterly", "template_id": template,
        "inspector_ids": [(6, 0, [world["users"]["inspector"]])],
    })
    inspector.call("safety.inspection", "action_start", [inspection])
    lines = inspector.search_read(
        "safety.inspection.line", [("inspection_id", "=", inspection)],
        ["name", "photo_required", "severity"], order="sequence, id",
    )
    failed = next(line for line in lines if not line["photo_required"] and line["severity"] == "general")
    for line in lines:
        vals = {"result": "pass"}
        if line["id"] == failed["id"]:
            vals = {"result": "fail", "note": "Extinguisher without pressure", "location": "Building 2"}
        inspector.call("safety.inspection.line", "write", [line["id"]], vals)
    inspector.call("safety.inspection", "action_done", [inspection])
    done = inspector.read1("safety.inspection", inspection, ["state", "score", "hazard_ids"])
    assert done["state"] == "done" and len(done["hazard_ids"]) == 1, f"inspection after closing: {done}"
    inspection_hazard = done["hazard_ids"][0]

    # ---- its rectification: notice, owner's evidence, the principal's tier closes it
    teacher = as_["teacher"]

    def rectify(hazard, tiers, cost=0, **six_fixed):
        """The officer issues the notice, the teacher rectifies with evidence (and what it cost)
        and submits, each login of ``tiers`` accepts in turn; the last acceptance closes it."""
        officer.call("safety.hazard", "write", [hazard], dict({
            "requirement": "Checked monthly by the safety officer",
            "owner_id": world["users"]["teacher"], "rechecker_id": world["users"]["officer"],
            "deadline": f"{year}-12-31", "funding_estimated": 300,
        }, **six_fixed))
        officer.call("safety.hazard", "action_issue_notice", [hazard])
        teacher.call("safety.hazard", "action_start_rectification", [hazard])
        photo = teacher.create("ir.attachment", {"name": "after.png", "datas": PNG, "mimetype": "image/png"})
        teacher.call("safety.hazard", "write", [hazard], {
            "rectification_description": "Done and signed", "photo_after_ids": [(6, 0, [photo])],
            "funding_actual": cost,
        })
        teacher.call("safety.hazard", "action_submit", [hazard])
        submitted = officer.read1("safety.hazard", hazard, ["state", "review_ids"])
        assert submitted["state"] == "submitted" and len(submitted["review_ids"]) == len(tiers), submitted
        for login in tiers:
            as_[login].call("safety.hazard", "validate_tier", [hazard])
        closed = officer.read1("safety.hazard", hazard, ["state", "validation_status", "closed_date"])
        assert closed["state"] == "closed" and closed["validation_status"] == "validated", closed

    rectify(inspection_hazard, ["principal"], cost=280, measure="Replace the extinguisher")

    # ---- patrol: the officer plans a round, the guard's phone scans the gate and misses the hall
    gate, hall = officer.create("safety.patrol.checkpoint", [
        {"name": "North Gate", "company_id": school, "latitude": 30.0, "longitude": 120.0, "radius": 50},
        {"name": "Main Hall", "company_id": school, "latitude": 30.001, "longitude": 120.0, "radius": 50},
    ])
    route = officer.create("safety.patrol.route", {
        "name": "Evening round", "company_id": school,
        "line_ids": [(0, 0, {"sequence": 10, "checkpoint_id": gate}), (0, 0, {"sequence": 20, "checkpoint_id": hall})],
    })
    now = datetime.now(UTC).replace(microsecond=0, tzinfo=None)
    patrol_round = officer.create("safety.patrol.round", {
        "company_id": school, "route_id": route, "guard_ids": [(6, 0, [world["users"]["guard"]])],
        "planned_start": odoo_time(now - timedelta(minutes=10)), "planned_end": odoo_time(now + timedelta(minutes=50)),
    })
    label = officer.read1("safety.patrol.checkpoint", gate, ["qr_payload"])["qr_payload"]
    guard = as_["guard"]
    guard.call("safety.patrol.round", "action_start", [patrol_round])
    # scanned two minutes ago without network, sent now (a late sync)
    scan = {"scan": {
        "round_id": patrol_round, "token": label, "client_id": f"year-scan-{patrol_round:06d}",
        "device_time": iso(now - timedelta(minutes=2)), "sent_time": iso(now),
        "latitude": 30.0, "longitude": 120.0, "accuracy": 8.0, "device": "pytest phone",
    }}
    status, _headers, raw = guard.request(
        "/safety_inspection/patrol/scan", json.dumps(scan).encode(), {"Content-Type": "application/json"})
    answer = json.loads(raw)
    assert status == 200 and answer.get("ok") and not answer.get("duplicate"), f"scan refused: {status} {answer}"
    # the phone resends (no answer reached it): the same scan comes back, nothing is written twice
    status, _headers, raw = guard.request(
        "/safety_inspection/patrol/scan", json.dumps(scan).encode(), {"Content-Type": "application/json"})
    again = json.loads(raw)
    assert again.get("duplicate") and again["scan_id"] == answer["scan_id"], f"resend: {again}"
    outcome = guard.call("safety.patrol.round", "action_finish", [patrol_round], "Hall locked for repairs")
    walked = officer.read1("safety.patrol.round", patrol_round,
                           ["state", "checkpoint_total", "checkpoint_done", "missed_checkpoint_ids"])
    assert outcome == walked["state"] == "incomplete", walked
    assert (walked["checkpoint_total"], walked["checkpoint_done"], walked["missed_checkpoint_ids"]) == (2, 1, [hall])
    # the round before, nobody walked it: the job closing the rounds past their deadline finds it missed
    # and tells the safety officer
    earlier = officer.create("safety.patrol.round", {
        "company_id": school, "route_id": route, "guard_ids": [(6, 0, [world["users"]["guard"]])],
        "planned_start": odoo_time(now - timedelta(minutes=50)), "planned_end": odoo_time(now - timedelta(minutes=35)),
        "grace_minutes": 15,
    })
    run_job(admin, "safety_inspection", "ir_cron_patrol_close_rounds")
    missed = officer.read1("safety.patrol.round", earlier, ["state", "missed_alert", "activity_ids"])
    assert missed["state"] == "missed" and missed["missed_alert"], f"the unwalked round: {missed}"
    told = officer.read("mail.activity", missed["activity_ids"], ["user_id"])
    assert [a["user_id"][0] for a in told] == [world["users"]["officer"]], f"the missed round's alert: {told}"

    # ---- a fire drill held an hour ago: the blocked stairway it revealed becomes a hazard
    drill = officer.create("safety.drill", {
        "company_id": school, "drill_type": "fire", "mode": "real",
        "commander_id": world["employees"]["officer"], "date_actual": odoo_time(now - timedelta(hours=1)),
        "student_count": 800, "staff_count": 50, "evacuation_seconds": 110,
        "problem_ids": [(0, 0, {"description": "East stairway blocked by desks", "location": "Building 1, east stairs",
                                "category": "fire", "level": "major"})],
    })
    officer.call("safety.drill", "action_done", [drill])
    problem = officer.search_read("safety.drill.problem", [("drill_id", "=", drill)], ["hazard_id"])
    assert len(problem) == 1 and problem[0]["hazard_id"], f"the drill's problem raised no hazard: {problem}"
    drill_hazard = officer.read1("safety.hazard", problem[0]["hazard_id"][0], ["state", "drill_id", "level"])
    found = (drill_hazard["level"], drill_hazard["state"], drill_hazard["drill_id"][0])
    assert found == ("major", "registered", drill), drill_hazard
    # a major hazard: accepted by the principal, then by the bureau's inspector
    rectify(drill_hazard["id"], ["principal", "inspector"], measure="Clear the stairway, fix the desks elsewhere",
            contingency_plan="A teacher guards the stairway until it is clear")

    # ---- a training: the teacher attends, the guard is excused; the certificate has an expiry
    courses = officer.search_read("safety.training.course", [("validity_months", ">", 0)], ["validity_months"],
                                  limit=1)
    assert courses, "no training course with a validity is installed"
    training = officer.create("safety.training", {
        "name": "Fire safety for staff", "company_id": school, "course_id": courses[0]["id"],
        "attendance_ids": [
            (0, 0, {"employee_id": world["employees"]["teacher"], "status": "present"}),
            (0, 0, {"employee_id": world["employees"]["guard"], "status": "excused"}),
        ],
    })
    officer.call("safety.training", "action_done", [training])
    certificates = officer.search_read("safety.training.certificate", [("training_id", "=", training)],
                                       ["employee_id", "issue_date", "expiry_date", "state"])
    assert [c["employee_id"][0] for c in certificates] == [world["employees"]["teacher"]], certificates
    issued = datetime.strptime(certificates[0]["issue_date"], "%Y-%m-%d")
    expiry = datetime.strptime(certificates[0]["expiry_date"], "%Y-%m-%d")
    months = (expiry.year - issued.year) * 12 + expiry.month - issued.month
    assert months == courses[0]["validity_months"], f"certificate valid {months} months: {certificates}"

    remind_expiring_certificate(admin, as_, world)

    # ---- the school's safety budget, approved through its tiers (finance, then the manager), and
    # its spending: the bureau's finance records an expense of the school on the safety plan
    finance = as_["finance"]
    fire = finance.search_read("account.analytic.account", [("code", "=", "SI04")], ["name", "root_plan_id"])
    assert fire, "the safety investment category Fire Equipment (SI04) is not installed"
    budget = finance.create("safety.budget", {
        "company_id": school, "year": year,
        "line_ids": [(0, 0, {"category_id": fire[0]["id"], "amount": 10000})],
    })
    finance.call("safety.budget", "action_submit", [budget])
    finance.call("safety.budget", "validate_tier", [budget])
    manager.call("safety.budget", "validate_tier", [budget])
    approved = finance.read1("safety.budget", budget, ["state", "amount_total"])
    assert approved == {"id": budget, "state": "approved", "amount_total": 10000}, f"the budget: {approved}"
    finance.create("account.analytic.line", {
        "name": "Extinguishers refilled", "date": school_today().strftime("%Y-%m-%d"), "company_id": school,
        "safety_category_id": fire[0]["id"], "safety_spent": 1200,
    })
    spent = safety_spending(finance, school)
    assert 1200 in [line["safety_spent"] for line in spent], f"the expense is not on the safety plan: {spent}"

    spent = revise_and_fund(as_, world, budget, fire, year)

    # ---- an incident of last month (on the 15th, 10:00 in the school), reported by the officer,
    # acknowledged by the bureau: it is in the monthly report the job makes of last month
    incident_at = datetime.combine(first_of_last_month().replace(day=15), datetime.min.time()) + timedelta(hours=2)
    incident_year = first_of_last_month().year
    incident = officer.create("safety.incident", {
        "company_id": school, "occurred_at": odoo_time(incident_at),
        "location": "Playground, basketball court", "category": "accident", "injured_count": 1, "death_count": 0,
        "description": "A pupil fell while running and hurt a wrist.",
        "measures_taken": "First aid by the school nurse; the guardian took the pupil to hospital.",
    })
    inspector.call("safety.incident", "action_acknowledge", [incident])
    assert inspector.read1("safety.incident", incident, ["state"])["state"] == "acknowledged"

    # ---- the scorecard of the year, as the bureau manager, against what was done
    rows = manager.search_read("safety.school.scorecard", [
        ("company_id", "=", school), ("period_type", "=", "year"), ("period_start", "=", f"{year}-01-01"),
    ], [])
    assert len(rows) == 1, f"expected one scorecard row for {year}: {rows}"
    card = rows[0]
    expected = {
        "letters_total": 5, "letters_signed": 5, "letters_signed_pct": 100.0,
        "guards_employed": 1,
        # (last month is of last year in January)
        "incident_count": int(incident_year == year), "incident_injured": int(incident_year == year),
        "incident_deaths": 0,
        # the inspection's failed check and the drill's problem, both closed
        "hazards_found": 2, "hazards_closed": 2, "hazards_open": 0, "hazards_overdue": 0, "hazards_major_open": 0,
        "inspections_done": 1, "inspection_score_last": done["score"],
        # the round walked incomplete and the missed one are due, neither completed
        "patrol_rounds_due": 2, "patrol_rounds_completed": 0, "scans_flagged_waiting": 0,
        "drills_done": 1, "drills_credited": 1,
        # the teacher's fire safety and the guard's guard duty (expiring, still held)
        "training_valid": 2,
        # the finance's expense and the closed rectification's actual cost (posted by the hazard)
        # and the spending from the special fund, against the budget as revised
        "budget_spent": 1200 + 280 + 3000, "budget_total": 12000, "budget_execution_pct": 37.3,
    }
    got = {name: card[name] for name in expected}
    assert got == expected, f"scorecard figures differ from what was done: {got} != {expected}"
    assert card["budget_spent"] == sum(line["safety_spent"] for line in spent), (card["budget_spent"], spent)

    # ---- the dashboard: the bureau manager opens it; its KPI pivot (the year's rows, filtered on this
    # year as the dashboard's date filter does) reads the same figures for the only school
    dashboards = manager.search_read("spreadsheet.dashboard", [
        ("dashboard_group_id", "=", xmlid(admin, "school_safety", "spreadsheet_dashboard_group_school_safety")),
    ], ["name"])
    assert dashboards, "the bureau manager sees no safety dashboard"
    loaded = manager.call("spreadsheet.dashboard", "get_readonly_dashboard", [dashboards[0]["id"]])
    kpi = next(pivot for pivot in loaded["snapshot"]["pivots"].values() if pivot["name"] == "KPI")
    measures = [measure["fieldName"] for measure in kpi["measures"]]
    this_year = [("period_start", ">=", f"{year}-01-01"), ("period_start", "<=", f"{year}-12-31")]
    totals = manager.call("safety.school.scorecard", "read_group", kpi["domain"] + this_year, measures, [], lazy=False)
    assert len(totals) == 1, totals
    assert {name: totals[0][name] for name in measures} == {name: card[name] for name in measures}, \
        f"the dashboard's KPIs {totals[0]} differ from the scorecard {card}"

    school2 = open_second_school(server, admin, as_, world, incident_at)
    manager, inspector, finance = as_["manager"], as_["inspector"], as_["finance"]
    principal = as_["principal"]

    # ---- the monthly report: made by the job on the first, filed by the principal, read by the bureau
    run_job(admin, "school_safety", "ir_cron_safety_monthly_report")
    month = first_of_last_month().strftime("%Y-%m-%d")
    reports = principal.search_read("safety.monthly.report", [("company_id", "=", school), ("kind", "=", "school")],
                                    ["month", "state", "sections"])
    assert [r["month"] for r in reports] == [month], f"expected the school's report of {month}: {reports}"
    report = reports[0]["id"]
    principal.call("safety.monthly.report", "write", [report], {
        "open_problems": "The blocked east stairway found in the drill.", "next_month_plan": "Winter drill.",
    })
    principal.call("safety.monthly.report", "action_refresh", [report])
    principal.call("safety.monthly.report", "action_submit", [report])
    inspector.call("safety.monthly.report", "action_acknowledge", [report])
    filed = principal.read1("safety.monthly.report", report, ["state", "sections", "open_problems"])
    assert filed["state"] == "acknowledged", filed["state"]
    incidents = next(section for section in filed["sections"] if section["key"] == "incidents")
    by_category = next(table for table in incidents["tables"] if table["title"] == "By category")
    assert ["Accident or Disaster", 1, 1, 0] in by_category["rows"], f"last month's incident: {incidents}"
    kind, pdf = principal.download(f"/report/pdf/school_safety.safety_monthly_report_document/{report}")
    assert kind.startswith("application/pdf") and pdf.startswith(b"%PDF"), f"not a PDF: {kind} {pdf[:200]!r}"
    kind, xlsx = principal.download(f"/report/xlsx/school_safety.safety_monthly_report_xlsx/{report}")
    assert_xlsx_shows(xlsx, "Riverside No. 1 Primary School", "Playground, basketball court", "Winter drill.")

    check_bureau_report(manager, world["bureau"], month)

    check_hazard_ledgers(as_, school, school2, year)

    # ---- the year's other files, downloaded as their users print them
    files = [
        (officer, f"/report/pdf/safety_inspection.report_safety_hazard_notice/{inspection_hazard}", ()),
        (officer, f"/report/pdf/safety_training.report_safety_training_certificate/{certificates[0]['id']}", ()),
        (officer, f"/report/xlsx/safety_inspection.safety_patrol_report_xlsx/{patrol_round},{earlier}",
         ("Evening round", "Main Hall")),
        (inspector, f"/report/pdf/safety_training.report_safety_drill/{drill}", ()),
    ]
    for session, path, texts in files:
        kind, raw = session.download(path)
        if "/report/pdf/" in path:
            assert raw.startswith(b"%PDF"), f"{path} is not a PDF: {kind} {raw[:200]!r}"
        else:
            assert_xlsx_shows(raw, *texts)

    check_stored_months(admin, as_, [school, school2], card, sorted(set(expected) | set(measures)))

    # nothing went wrong on the server on the way
    errors = [line for line in server.log_tail(None).splitlines() if " ERROR " in line or " CRITICAL " in line]
    assert not errors, "the server logged errors:\n" + "\n".join(errors)
