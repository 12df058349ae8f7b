"""The bureau's command view attacked over JSON-RPC as each role, with a hostile context: the
incidents as reported, the monthly reports once submitted, the scorecard and its thresholds."""

from datetime import date, timedelta

from odoo import Command, fields
from odoo.tests import new_test_user, tagged

from .common import SchoolSafetyCase
from .common_rpc import HOSTILE_CONTEXT, RpcCase

REPORTED = ["state", "location", "injured_count", "death_count", "description", "measures_taken",
            "occurred_at", "reported_by_id", "reported_on", "company_id"]


@tagged("post_install", "-at_install")
class TestCommandTrust(RpcCase, SchoolSafetyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        (cls.school_a | cls.school_b).write({"safety_start_date": date(2026, 1, 1)})
        cls.values = {
            "company_id": cls.school_a.id,
            "occurred_at": fields.Datetime.to_string(fields.Datetime.now() - timedelta(hours=1)),
            "location": "Gate", "category": "public_security", "injured_count": 0,
            "description": "A stranger climbed the fence.", "measures_taken": "Guards and police.",
        }
        cls.incident = cls.env["safety.incident"].with_user(cls.user_officer_a).create(dict(cls.values))
        month = fields.Date.today().replace(day=1) - timedelta(days=1)
        cls.reports = cls.env["safety.monthly.report"]._safety_generate(
            month, cls.school_a | cls.school_b, render=False
        )
        cls.report_a = cls.reports.filtered(lambda r: r.company_id == cls.school_a)

    def test_incident_kept_as_reported(self):
        incident = self.incident
        snapshot = incident.sudo().read(REPORTED)
        for login in ("t_officer_a", "t_principal_a", "t_inspector", "t_manager"):
            for vals in ({"injured_count": 3, "location": "Elsewhere"}, {"state": "acknowledged"},
                         {"reported_on": "2020-01-01 00:00:00"}, {"company_id": self.school_b.id},
                         {"acknowledged_by_id": self.user_inspector.id}):
                with self.subTest(login=login, vals=vals):
                    self.assertRefused(login, "safety.incident", "write", [incident.ids, vals])
            self.assertRefused(login, "safety.incident", "unlink", [incident.ids])
        for login in ("t_principal_a", "t_officer_a", "t_finance"):
            self.assertRefused(login, "safety.incident", "action_acknowledge", [incident.ids])
            self.assertRefused(login, "safety.incident.followup", "create", [{"incident_id": incident.id, "note": "x"}])
        self.assertRefused("t_principal_b", "safety.incident", "read", [incident.ids, ["location"]])
        self.assertUnchanged(incident, snapshot)
        # the bureau acknowledges, whatever the context says
        self.assertAllowed("t_inspector", "safety.incident", "action_acknowledge", [incident.ids],
                           context=HOSTILE_CONTEXT)
        self.assertEqual(incident.state, "acknowledged")
        self.assertRefused("t_inspector", "safety.incident", "_safety_acknowledge", [incident.ids])

    def test_incident_report_made_by_the_server(self):
        for vals in ({"state": "acknowledged"}, {"reported_by_id": self.user_principal_a.id},
                     {"reported_on": "2020-01-01 00:00:00"}, {"name": "SG-FORGED"},
                     {"company_id": self.school_b.id}):
            with self.subTest(vals=vals):
                self.assertRefused("t_officer_a", "safety.incident", "create", [dict(self.values, **vals)])
        for login in ("t_staff_a", "t_guard_a", "t_inspector"):
            self.assertRefused(login, "safety.incident", "create", [dict(self.values)])
        self.assertRefused("t_officer_a", "safety.incident", "_safety_report_incidents",
                           [[dict(self.values)]], {"now": "2020-01-01 00:00:00"})
        self.assertEqual(self.env["safety.incident"].search_count([("company_id", "=", self.school_a.id)]), 1)
        new_id = self.assertAllowed("t_officer_a", "safety.incident", "create", [dict(self.values)],
                                    context=HOSTILE_CONTEXT)
        new = self.env["safety.incident"].browse(new_id)
        self.assertEqual((new.state, new.reported_by_id), ("reported", self.user_officer_a))

    def test_monthly_report_steps(self):
        report = self.report_a
        fields_kept = ["state", "sections", "submitted_by_id", "open_problems", "month", "company_id"]
        snapshot = report.sudo().read(fields_kept)
        for login in ("t_officer_a", "t_principal_a", "t_manager"):
            for vals in ({"state": "submitted"}, {"sections": []}, {"submitted_by_id": self.user_principal_a.id},
                         {"month": "2020-01-01"}, {"company_id": self.school_b.id}):
                with self.subTest(login=login, vals=vals):
                    self.assertRefused(login, "safety.monthly.report", "write", [report.ids, vals])
        self.assertRefused("t_principal_b", "safety.monthly.report", "write", [report.ids, {"open_problems": "x"}])
        self.assertRefused("t_inspector", "safety.monthly.report", "write", [report.ids, {"open_problems": "x"}])
        for login in ("t_officer_a", "t_inspector", "t_manager", "t_principal_b"):
            self.assertRefused(login, "safety.monthly.report", "action_submit", [report.ids])
        self.assertRefused("t_principal_a", "safety.monthly.report", "action_acknowledge", [report.ids])
        for method, args in (("_safety_submit", []), ("_safety_compute", []), ("_cron_generate", []),
                             ("_safety_generate", ["2026-01-01"])):
            self.assertRefused("t_manager", "safety.monthly.report", method, [report.ids, *args])
        self.assertRefused("t_manager", "safety.monthly.report", "create",
                           [{"company_id": self.school_a.id, "month": "2025-01-01", "name": "Forged"}])
        self.assertUnchanged(report, snapshot)
        self.assertAllowed("t_principal_a", "safety.monthly.report", "write",
                           [report.ids, {"open_problems": "Fence too low"}], context=HOSTILE_CONTEXT)
        report.with_user(self.user_principal_a)._safety_submit(render=False)
        snapshot = report.sudo().read(fields_kept)
        for login in ("t_principal_a", "t_manager"):
            self.assertRefused(login, "safety.monthly.report", "write", [report.ids, {"open_problems": "Changed"}])
            self.assertRefused(login, "safety.monthly.report", "unlink", [report.ids])
        self.assertRefused("t_principal_a", "safety.monthly.report", "action_refresh", [report.ids])
        self.assertUnchanged(report, snapshot)

    def test_monthly_report_wizard_own_schools_only(self):
        """*Make Monthly Reports* over call_kw (its reports are made as the server): a school
        makes its own only, the bureau's report is the manager's, whatever the context claims."""
        month = fields.Date.to_string((fields.Date.today().replace(day=1) - timedelta(days=75)).replace(day=1))
        # the reports' PDF is rendered while the request is served: wkhtmltopdf must not wait for
        # the test server's assets (see test_tours.py)
        self.env["ir.config_parameter"].set_param("report.url", "http://127.0.0.1:1")
        Report = self.env["safety.monthly.report"]
        claim = dict(HOSTILE_CONTEXT, allowed_company_ids=[self.school_a.id])
        foreign = self.assertAllowed("t_officer_a", "safety.monthly.report.wizard", "create",
                                     [{"month": month, "company_ids": [Command.set(self.school_b.ids)]}], context=claim)
        self.assertRefused("t_officer_a", "safety.monthly.report.wizard", "action_generate", [[foreign]],
                           context=claim)
        bureau = self.assertAllowed("t_inspector", "safety.monthly.report.wizard", "create",
                                    [{"month": month, "company_ids": [Command.set(self.school_a.ids)],
                                      "include_bureau": True}])
        self.assertRefused("t_inspector", "safety.monthly.report.wizard", "action_generate", [[bureau]],
                           context=HOSTILE_CONTEXT)
        self.assertFalse(Report.search([("month", "=", month)]))
        own = self.assertAllowed("t_officer_a", "safety.monthly.report.wizard", "create", [{"month": month}],
                                 context=claim)
        self.assertAllowed("t_officer_a", "safety.monthly.report.wizard", "action_generate", [[own]], context=claim)
        self.assertEqual(Report.search([("month", "=", month)]).company_id, self.school_a)
        # nor does another school compute a draft of school A again (its sections are read as the server)
        self.assertRefused("t_principal_b", "safety.monthly.report", "action_refresh", [self.report_a.ids],
                           context=HOSTILE_CONTEXT)

    def test_monthly_report_never_deleted(self):
        """A monthly report, a draft or filed, is deleted by nobody over RPC, whatever the
        context says; what each role does with it still goes through."""
        bureau_report = self.env["safety.monthly.report"]._safety_generate(
            self.report_a.month, self.bureau, render=False
        )
        reports = self.reports | bureau_report
        for context in (HOSTILE_CONTEXT, {}):
            for login in ("t_manager", "t_inspector", "t_officer_a", "t_principal_a"):
                with self.subTest(login=login, context=context):
                    self.assertRefused(login, "safety.monthly.report", "unlink", [reports.ids], context=context)
                    self.assertRefused(login, "safety.monthly.report", "unlink", [self.report_a.ids],
                                       context=context)
        self.assertEqual(reports.exists(), reports)
        # the manager reads the schools' reports and writes the bureau's own
        read = self.assertAllowed("t_manager", "safety.monthly.report", "read", [reports.ids, ["state"]])
        self.assertEqual({row["id"] for row in read}, set(reports.ids))
        self.assertAllowed("t_manager", "safety.monthly.report", "write",
                           [bureau_report.ids, {"school_comment": "All schools reported."}])
        self.assertRefused("t_manager", "safety.monthly.report", "write",
                           [self.report_a.ids, {"school_comment": "Bureau's words"}])
        # the officer writes its school's draft
        self.assertAllowed("t_officer_a", "safety.monthly.report", "write",
                           [self.report_a.ids, {"open_problems": "Gym fence", "next_month_plan": "Fire drill"}])
        self.assertRecordValues(self.report_a | bureau_report, [
            {"open_problems": "Gym fence", "next_month_plan": "Fire drill", "school_comment": False},
            {"open_problems": False, "next_month_plan": False, "school_comment": "All schools reported."},
        ])
        # filed, still nobody deletes it
        self.report_a.with_user(self.user_principal_a)._safety_submit(render=False)
        for login in ("t_manager", "t_officer_a", "t_principal_a"):
            self.assertRefused(login, "safety.monthly.report", "unlink", [self.report_a.ids])
        self.assertTrue(self.report_a.exists())

    def test_scorecard_and_thresholds(self):
        row = self.env["safety.school.scorecard"].search(
            [("company_id", "=", self.school_b.id), ("period_type", "=", "year")], limit=1
        )
        self.assertRefused("t_principal_a", "safety.school.scorecard", "read", [row.ids, ["score"]])
        for method, args in (("write", [row.ids, {"score": 100}]), ("unlink", [row.ids]),
                             ("create", [{"company_id": self.school_a.id, "score": 100}]),
                             ("_safety_scorecard_query", [])):
            self.assertRefused("t_manager", "safety.school.scorecard", method, args)
        default = self.env.ref("school_safety.safety_scorecard_threshold_incidents")
        self.assertRefused("t_manager", "safety.scorecard.threshold", "write", [default.ids, {"amber_limit": 99}])
        self.assertRefused("t_manager", "safety.scorecard.threshold", "unlink", [default.ids])
        self.assertRefused("t_inspector", "safety.scorecard.threshold", "create", [{
            "bureau_id": self.bureau.id, "measure": "incident_count", "green_limit": 5, "amber_limit": 9,
        }])
        self.assertEqual(default.amber_limit, 1)


@tagged("post_install", "-at_install")
class TestCommandVisibility(RpcCase, SchoolSafetyCase):
    """Who sees which rows of the command view, over /web/dataset/call_kw as the client asks:
    the bureau its schools, a school only itself, another bureau nothing, whatever companies
    the client claims in its context."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Company = cls.env["res.company"]
        cls.other_bureau = Company.create({"name": "Other District Education Bureau", "safety_is_bureau": True})
        cls.school_x = Company.create({
            "name": "Other Primary School X", "parent_id": cls.other_bureau.id, "safety_school_type": "primary",
            "safety_enrollment_day": 300,
        })
        (cls.school_a | cls.school_b | cls.school_x).write({"safety_start_date": date(2026, 1, 1)})
        cls.user_other_inspector = new_test_user(
            cls.env, login="t_other_inspector", groups="school_safety.group_bureau_inspector",
            company_id=cls.other_bureau.id,
            company_ids=[Command.set((cls.other_bureau | cls.school_x).ids)],
            context={"mail_create_nolog": True, "no_reset_password": True},
        )
        cls.user_principal_x = new_test_user(
            cls.env, login="t_principal_x", groups="school_safety.group_school_principal",
            company_id=cls.school_x.id, company_ids=[Command.set(cls.school_x.ids)],
            context={"mail_create_nolog": True, "no_reset_password": True},
        )
        values = {
            "occurred_at": fields.Datetime.now() - timedelta(hours=1), "location": "Gate",
            "category": "public_security", "description": "A stranger climbed the fence.",
            "measures_taken": "Guards and police.",
        }
        cls.env["safety.incident"].create([
            dict(values, company_id=school.id) for school in (cls.school_a, cls.school_b, cls.school_x)
        ])
        month = fields.Date.today().replace(day=1) - timedelta(days=1)
        cls.env["safety.monthly.report"]._safety_generate(month, cls.school_a | cls.school_b | cls.school_x,
                                                          render=False)
        cls.everyone = cls.school_a | cls.school_b | cls.school_x

    def _seen(self, login, model, context=None):
        rows = self.assertAllowed(login, model, "search_read",
                                  [[("company_id", "in", self.everyone.ids)], ["company_id"]], context=context)
        return {row["company_id"][0] for row in rows}

    def test_each_role_sees_its_schools(self):
        expected = {
            "t_inspector": self.school_a | self.school_b,
            "t_manager": self.school_a | self.school_b,
            "t_finance": self.school_a | self.school_b,
            "t_principal_a": self.school_a,
            "t_officer_a": self.school_a,
            "t_principal_b": self.school_b,
            "t_other_inspector": self.school_x,
            "t_principal_x": self.school_x,
        }
        for model in ("safety.school.scorecard", "safety.incident", "safety.monthly.report"):
            for login, schools in expected.items():
                with self.subTest(model=model, login=login):
                    self.assertEqual(self._seen(login, model), set(schools.ids))
                    # the pivot and the dashboard read grouped figures: the same schools
                    groups = self.assertAllowed(login, model, "read_group",
                                                [[("company_id", "in", self.everyone.ids)], ["company_id"],
                                                 ["company_id"]])
                    self.assertEqual({g["company_id"][0] for g in groups}, set(schools.ids))
        # staff and guards see none of it
        for login in ("t_staff_a", "t_guard_a"):
            for model in ("safety.school.scorecard", "safety.monthly.report"):
                with self.subTest(model=model, login=login):
                    self.assertRefused(login, model, "search_read", [[], ["company_id"]], context={})

    def test_claimed_companies_do_not_widen_the_view(self):
        # a client claiming the other bureau's schools in its context is refused, not answered
        for login, foreign in (("t_principal_a", self.school_b), ("t_inspector", self.school_x),
                               ("t_other_inspector", self.school_a)):
            for model in ("safety.school.scorecard", "safety.incident", "safety.monthly.report"):
                with self.subTest(model=model, login=login):
                    self.assertRefused(login, model, "search_read", [[("company_id", "=", foreign.id)], ["id"]],
                                       context=dict(HOSTILE_CONTEXT, allowed_company_ids=foreign.ids))
        # and a record of another bureau is not read by its id
        row = self.env["safety.school.scorecard"].search([("company_id", "=", self.school_x.id)], limit=1)
        incident = self.env["safety.incident"].search([("company_id", "=", self.school_x.id)])
        report = self.env["safety.monthly.report"].search([("company_id", "=", self.school_x.id)])
        for model, record in (("safety.school.scorecard", row), ("safety.incident", incident),
                              ("safety.monthly.report", report)):
            with self.subTest(model=model):
                self.assertTrue(record)
                self.assertRefused("t_inspector", model, "read", [record.ids, ["company_id"]])
                self.assertRefused("t_principal_a", model, "read", [record.ids, ["company_id"]])
