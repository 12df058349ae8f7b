"""Who sees and changes which attendance, certificates and compliance rows, by role, through the
ORM and as an attacker would over JSON-RPC; every bad input refused with its reason and nothing
changed."""

import re
from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged, users

from odoo.addons.school_safety.tests.common_rpc import HOSTILE_CONTEXT, RpcCase

from .common import SafetyTrainingCase


@tagged("post_install", "-at_install")
@freeze_time("2026-06-01 09:00:00")
class TestTrainingRecordsSecurity(RpcCase, SafetyTrainingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.training_a = cls._training(attendees=cls.employee_staff_a | cls.employee_guard_a | cls.employee_officer_a)
        cls.training_a.action_done()
        cls.training_b = cls._training(cls.school_b, attendees=cls.employee_guard_b)
        cls.training_b.action_done()
        cls.bureau_done = cls._training(cls.bureau, attendees=cls.employee_guard_a | cls.employee_guard_b,
                                        course_id=cls._course("evacuation_guiding").id)
        cls.bureau_done.action_done()
        cls.bureau_draft = cls._training(cls.bureau, attendees=cls.employee_guard_a | cls.employee_guard_b,
                                         course_id=cls._course("evacuation_guiding").id, date=date(2026, 5, 30))
        cls.draft_a = cls._training(attendees=cls.employee_staff_a, date=date(2026, 5, 30))
        cls.ext_a = cls._certificate(cls.employee_staff_a, "first_aid")
        cls.ext_b = cls._certificate(cls.employee_guard_b, "first_aid")
        cls.sessions = cls.training_a | cls.training_b | cls.bureau_done | cls.bureau_draft | cls.draft_a
        cls.lines = cls.sessions.attendance_ids
        cls.certificates = cls.sessions.certificate_ids | cls.ext_a | cls.ext_b

    def _visible(self, model, records):
        return self.env[model].search([("id", "in", records.ids)])

    def _lines(self, employees, sessions=None):
        return self.lines.filtered(lambda a: a.employee_id in employees and (not sessions or a.training_id in sessions))

    def _certs(self, employees):
        return self.certificates.filtered(lambda c: c.employee_id in employees)

    # ------------------------------------------------------------ reading

    @users("t_staff_a", "t_guard_a")
    def test_staff_and_guards_see_their_own_only(self):
        me = self.env.user.employee_id
        self.assertEqual(self._visible("safety.training.attendance", self.lines), self._lines(me))
        self.assertEqual(self._visible("safety.training.certificate", self.certificates), self._certs(me))
        rows = self.env["safety.training.compliance"].search([])
        self.assertTrue(rows)
        self.assertEqual(rows.employee_id, me)
        with self.assertRaises(AccessError):
            self.env["safety.training"].search([("id", "in", self.sessions.ids)])
        mine = self._lines(me)[0].with_env(self.env)
        with self.assertRaises(AccessError):
            mine.score = 99
        with self.assertRaises(AccessError):
            mine.action_present()
        with self.assertRaises(AccessError):
            self.env["safety.training.certificate"].create({
                "employee_id": me.id, "course_id": self._course("traffic").id, "issue_date": date(2026, 5, 1),
            })

    @users("t_finance")
    def test_finance_sees_nothing(self):
        for model in ("safety.training", "safety.training.attendance", "safety.training.certificate",
                      "safety.training.compliance"):
            with self.assertRaises(AccessError):
                self.env[model].search([])

    def test_hr_user_outside_the_suite_keeps_the_employee_form(self):
        """An HR officer who holds no safety role opens, creates and saves employees as before: the
        compliance fields are not theirs to read, so the form leaves them out instead of failing."""
        hr_only = self.env["res.users"].create({
            "name": "HR only", "login": "hr_only_training", "company_id": self.school_a.id,
            "company_ids": [(6, 0, self.school_a.ids)],
            "groups_id": [(6, 0, self.env.ref("hr.group_hr_user").ids)],
        })
        env = self.env(user=hr_only)
        form = Form(env["hr.employee"])
        form.name = "New teacher"
        employee = form.save()
        self.assertEqual(employee.name, "New teacher")
        self.assertNotIn("safety_training_state", env["hr.employee"].fields_get())
        with self.assertRaises(AccessError):
            employee.read(["safety_training_state"])
        # a school user still reads the state of the same employee
        self.assertIn("safety_training_state", self.env(user=self.user_officer_a)["hr.employee.public"].fields_get())

    @users("t_officer_a", "t_principal_a")
    def test_school_sees_its_staff_at_every_session_but_not_the_bureaus_sessions(self):
        school_a = self.staff_a
        self.assertEqual(self._visible("safety.training.attendance", self.lines), self._lines(school_a),
                         "their staff at the bureau's sessions too, never school B's")
        self.assertEqual(self._visible("safety.training.certificate", self.certificates), self._certs(school_a))
        self.assertEqual(self._visible("safety.training", self.sessions), self.training_a | self.draft_a)
        rows = self.env["safety.training.compliance"].search([])
        self.assertEqual(rows.company_id, self.school_a)
        # the bureau session's name shows on their attendance line, nothing more of it
        line = self._lines(self.employee_guard_a, self.bureau_done).with_env(self.env)
        self.assertEqual(line.read(["training_id"])[0]["training_id"][1], self.bureau_done.name)
        with self.assertRaises(AccessError):
            line.training_id.read(["hours"])
        # they take the attendance of their school's sessions, not of the bureau's
        draft_line = self._lines(self.employee_staff_a, self.draft_a).with_env(self.env)
        draft_line.action_absent()
        self.assertEqual(draft_line.status, "absent")
        bureau_line = self._lines(self.employee_guard_a, self.bureau_draft).with_env(self.env)
        with self.assertRaises(AccessError):
            bureau_line.action_absent()
        with self.assertRaises(AccessError):
            bureau_line.score = 100
        # an outside certificate of their school: recorded, corrected, removed
        Certificate = self.env["safety.training.certificate"]
        cert = Certificate.create({"employee_id": self.employee_guard_a.id, "course_id": self._course("traffic").id,
                                   "issue_date": date(2026, 5, 1), "issuer": "Traffic police"})
        self.assertEqual(cert.expiry_date, date(2027, 5, 1))
        cert.expiry_date = date(2027, 4, 30)
        with self.assertRaises(AccessError):
            Certificate.create({"employee_id": self.employee_guard_b.id, "course_id": self._course("traffic").id,
                                "issue_date": date(2026, 5, 1)})
        with self.assertRaises(AccessError):
            self.ext_b.with_env(self.env).read(["name"])

    @users("t_principal_b")
    def test_school_b_sees_only_school_b(self):
        school_b = self.employee_principal_b | self.employee_guard_b
        self.assertEqual(self._visible("safety.training.attendance", self.lines), self._lines(school_b))
        self.assertEqual(self._visible("safety.training.certificate", self.certificates), self._certs(school_b))
        self.assertEqual(self._visible("safety.training", self.sessions), self.training_b)

    @users("t_inspector", "t_manager")
    def test_bureau_sees_every_school(self):
        self.assertEqual(self._visible("safety.training.attendance", self.lines), self.lines)
        self.assertEqual(self._visible("safety.training.certificate", self.certificates), self.certificates)
        self.assertEqual(self._visible("safety.training", self.sessions), self.sessions)
        self.assertEqual(self.env["safety.training.compliance"].search([]).company_id,
                         self.school_a | self.school_b | self.kindergarten)
        with self.assertRaises(AccessError):
            self._lines(self.employee_staff_a, self.draft_a).with_env(self.env).action_absent()
        with self.assertRaises(AccessError):
            self.draft_a.with_env(self.env).hours = 1

    @users("t_manager")
    def test_manager_holds_the_bureau_sessions(self):
        self._lines(self.employee_guard_b, self.bureau_draft).with_env(self.env).action_excused()
        self.bureau_draft.with_env(self.env).hours = 3
        with self.assertRaises(UserError):
            self.bureau_done.with_env(self.env).hours = 3

    @users("t_inspector")
    def test_inspector_reads_only(self):
        with self.assertRaises(AccessError):
            self._lines(self.employee_guard_b, self.bureau_draft).with_env(self.env).action_excused()
        with self.assertRaises(AccessError):
            self.env["safety.training"].create({"name": "x", "company_id": self.bureau.id,
                                                "course_id": self._course().id})

    # ------------------------------------------------------------ as an attacker

    def test_filed_records_resist_crafted_calls(self):
        line = self._lines(self.employee_guard_a, self.training_a)
        cert = line.certificate_id
        snapshot_line = line.read(["status", "score", "certificate_id", "employee_id", "training_id"])
        snapshot_cert = cert.read(["issue_date", "expiry_date", "course_id", "employee_id", "attendance_id", "name"])
        for login in ("t_officer_a", "t_principal_a"):
            with self.subTest(login=login):
                self.assertRefused(login, "safety.training.attendance", "write", [line.ids, {"status": "absent"}])
                self.assertRefused(login, "safety.training.attendance", "action_absent", [line.ids])
                self.assertRefused(login, "safety.training.attendance", "write", [line.ids, {"certificate_id": False}])
                self.assertRefused(login, "safety.training.attendance", "unlink", [line.ids])
                self.assertRefused(login, "safety.training.certificate", "write",
                                   [cert.ids, {"expiry_date": "2035-01-01"}])
                self.assertRefused(login, "safety.training.certificate", "unlink", [cert.ids])
                self.assertRefused(login, "safety.training.attendance", "create",
                                   [{"training_id": self.training_a.id, "employee_id": self.employee_principal_a.id}])
                # a certificate passed off as a session's
                self.assertRefused(login, "safety.training.certificate", "create", [{
                    "employee_id": self.employee_staff_a.id, "course_id": self._course().id,
                    "issue_date": "2026-05-01", "attendance_id": self._lines(self.employee_staff_a, self.draft_a).id,
                }])
                self.assertRefused(login, "safety.training", "_safety_issue_certificates", [self.draft_a.ids])
                self.assertRefused(login, "safety.training.attendance", "write",
                                   [self._lines(self.employee_guard_a, self.bureau_draft).ids, {"status": "present"}])
        self.assertUnchanged(line, snapshot_line)
        self.assertUnchanged(cert, snapshot_cert)
        self.assertFalse(self.draft_a.certificate_ids)
        # staff give themselves no score, no certificate
        own = self._lines(self.employee_staff_a, self.draft_a)
        self.assertRefused("t_staff_a", "safety.training.attendance", "write", [own.ids, {"score": 100}])
        self.assertRefused("t_staff_a", "safety.training.certificate", "create", [{
            "employee_id": self.employee_staff_a.id, "course_id": self._course("evacuation_guiding").id,
            "issue_date": "2026-05-01",
        }])
        self.assertRefused("t_guard_a", "safety.training.attendance", "action_present",
                           [self._lines(self.employee_guard_a, self.bureau_draft).ids])
        # the attendance's school is the attendee's, whatever the client sends
        line_id = self.assertAllowed("t_officer_a", "safety.training.attendance", "create", [{
            "training_id": self.draft_a.id, "employee_id": self.employee_guard_a.id,
        }], context=dict(HOSTILE_CONTEXT, default_company_id=self.school_b.id))
        self.assertEqual(self.env["safety.training.attendance"].browse(line_id).company_id, self.school_a)
        self.assertRefused("t_officer_a", "safety.training.attendance", "create", [{
            "training_id": self.draft_a.id, "employee_id": self.employee_principal_a.id, "company_id": self.school_b.id,
        }])

    def test_every_bad_input_is_refused_with_its_reason(self):
        Training = self.env["safety.training"]
        Attendance = self.env["safety.training.attendance"]
        Certificate = self.env["safety.training.certificate"]
        line = self._lines(self.employee_staff_a, self.draft_a)
        counts = (Training.search_count([]), Attendance.search_count([]), Certificate.search_count([]))
        snapshot = self.draft_a.read(["date", "date_end", "hours", "pass_mark"])
        snapshot_line = line.read(["score", "status"])
        login = "t_officer_a"
        session = {"name": "Bad", "company_id": self.school_a.id, "course_id": self._course().id}
        refusals = {
            "ends before it starts": self.assertRefused(login, "safety.training", "create", [
                dict(session, date="2026-05-10", date_end="2026-05-09")]),
            "ends before it starts (write)": self.assertRefused(login, "safety.training", "write", [
                self.draft_a.ids, {"date_end": "2026-05-01"}]),
            "negative hours": self.assertRefused(login, "safety.training", "write", [self.draft_a.ids, {"hours": -1}]),
            "negative hours (create)": self.assertRefused(login, "safety.training", "create", [
                dict(session, hours=-2)]),
            "pass mark over 100": self.assertRefused(login, "safety.training", "write", [
                self.draft_a.ids, {"pass_mark": 101}]),
            "score over 100": self.assertRefused(login, "safety.training.attendance", "write", [
                line.ids, {"score": 120}]),
            "negative score": self.assertRefused(login, "safety.training.attendance", "write", [
                line.ids, {"score": -5}]),
            "another school's employee": self.assertRefused(login, "safety.training.attendance", "create", [{
                "training_id": self.draft_a.id, "employee_id": self.employee_guard_b.id}]),
            "expires before issued": self.assertRefused(login, "safety.training.certificate", "create", [{
                "employee_id": self.employee_staff_a.id, "course_id": self._course("traffic").id,
                "issue_date": "2026-05-01", "expiry_date": "2026-04-01"}]),
            "expires before issued (write)": self.assertRefused(login, "safety.training.certificate", "write", [
                self.ext_a.ids, {"expiry_date": "2025-01-01"}]),
            "duplicate attendance": self.assertRefused(login, "safety.training.attendance", "create", [{
                "training_id": self.draft_a.id, "employee_id": self.employee_staff_a.id}]),
            "duplicate attendance (in the session)": self.assertRefused(login, "safety.training", "write", [
                self.draft_a.ids, {"attendance_ids": [(0, 0, {"employee_id": self.employee_officer_a.id}),
                                                      (0, 0, {"employee_id": self.employee_officer_a.id})]}]),
        }
        expected = {
            "ends before it starts": "cannot end before it starts",
            "ends before it starts (write)": "before it starts",
            "negative hours": "cannot be negative",
            "negative hours (create)": "cannot be negative",
            "pass mark over 100": "pass mark is a score between 0 and 100",
            "score over 100": "a score lies between 0 and 100",
            "negative score": "a score lies between 0 and 100",
            "another school's employee": "its attendees are the school's own staff",
            "expires before issued": "cannot expire before it was issued",
            "expires before issued (write)": "before it was",
            "duplicate attendance": "already on the attendance list",
            "duplicate attendance (in the session)": "already on the attendance list",
        }
        for what, message in refusals.items():
            with self.subTest(what):
                self.assertIn(expected[what], message)
        self.assertEqual((Training.search_count([]), Attendance.search_count([]), Certificate.search_count([])),
                         counts)
        self.assertUnchanged(self.draft_a, snapshot)
        self.assertUnchanged(line, snapshot_line)
        self.assertEqual(self.ext_a.expiry_date, date(2028, 1, 10), "first aid: 24 months")

    def test_refusals_speak_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"].search([("name", "=", "safety_training")])._update_translations(["zh_CN"])
        # the database's messages (its constraints) speak the user's language, ours the call's too
        self.user_officer_a.lang = "zh_CN"
        chinese = dict(HOSTILE_CONTEXT, lang="zh_CN")
        line = self._lines(self.employee_staff_a, self.draft_a)
        for args in (
            ("safety.training", "write", [self.draft_a.ids, {"date_end": "2026-05-01"}]),
            ("safety.training", "write", [self.draft_a.ids, {"hours": -1}]),
            ("safety.training.attendance", "write", [line.ids, {"score": 120}]),
            ("safety.training.attendance", "create", [{"training_id": self.draft_a.id,
                                                       "employee_id": self.employee_guard_b.id}]),
            ("safety.training.certificate", "write", [self.ext_a.ids, {"expiry_date": "2025-01-01"}]),
            ("safety.training.attendance", "create", [{"training_id": self.draft_a.id,
                                                       "employee_id": self.employee_staff_a.id}]),
        ):
            with self.subTest(args=args[:2]):
                message = self.assertRefused("t_officer_a", *args, context=chinese)
                self.assertRegex(message, r"[\u4e00-\u9fff]")
                self.assertFalse(re.search(r"\b(before|cannot|between|already|staff)\b", message), message)
