"""What is accepted or closed stays so, whoever calls and however: hazards, their approval
reviews and extensions, inspections and patrol records, attacked over JSON-RPC as each role."""

import json
from datetime import UTC, date, datetime, timedelta

from odoo import Command, fields
from odoo.tests import tagged

from odoo.addons.school_safety.tests.common_rpc import HOSTILE_CONTEXT, RpcCase

from .common import SafetyInspectionCase
from .common_patrol import PatrolCase, iso

HAZARD_EVIDENCE = [
    "state", "description", "location", "level", "deadline", "closed_date", "escalation_level",
    "is_overdue", "notice_number", "photo_before_ids", "photo_after_ids", "company_id",
    "bureau_supervised", "validation_status",
]
REVIEW = ["status", "done_by", "reviewed_date", "res_id", "model", "active"]


@tagged("post_install", "-at_install")
class TestHazardTrust(RpcCase, SafetyInspectionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        six = cls._six_fixed()
        cls.h_notified = cls._hazard(**six, found_by_id=cls.user_staff_a.id)
        cls.h_notified.action_issue_notice()
        cls.h_submitted = cls._submitted(cls._hazard(**six, location="Lab 2"))
        cls.h_closed = cls._submitted(cls._hazard(**six, location="Gym"))
        cls.h_closed.with_user(cls.user_principal_a).validate_tier()
        cls.h_major = cls._hazard(**cls._six_fixed(contingency_plan="Close the lab"), level="major",
                                  found_by_id=cls.user_staff_a.id, location="Chemistry lab")
        cls.h_major.with_user(cls.user_inspector).bureau_supervised = True
        cls.h_major.action_issue_notice()
        cls.extension = cls.env["safety.hazard.extension"].with_user(cls.user_staff_a).create({
            "hazard_id": cls.h_notified.id, "new_deadline": date(2026, 7, 1), "reason": "Parts on order",
        })
        cls.extension.with_user(cls.user_principal_a).action_approve()
        inspection = cls._inspection()
        inspection.line_ids.write({"result": "pass"})
        inspection.action_done()
        cls.inspection_done = inspection

    @classmethod
    def _submitted(cls, hazard):
        if hazard.state == "registered":
            hazard.action_issue_notice()
        owner = hazard.with_user(cls.user_staff_a)
        owner.action_start_rectification()
        owner.write({
            "rectification_description": "Replaced",
            "photo_after_ids": [Command.set(cls._photo("after.png").ids)],
        })
        owner.action_submit()
        return hazard

    def test_context_keys_switch_no_check_off(self):
        """The staff login closed its own hazard from 'notified' with transition keys."""
        hazard = self.h_notified
        snapshot = hazard.read(HAZARD_EVIDENCE)
        self.assertRefused("t_staff_a", "safety.hazard", "write", [hazard.ids, {"state": "closed"}])
        self.assertRefused(
            "t_staff_a", "safety.hazard", "write",
            [hazard.ids, {"state": "closed", "closed_date": "2026-06-02", "photo_after_ids": [Command.clear()]}],
        )
        self.assertRefused("t_staff_a", "safety.hazard", "action_close", [hazard.ids])
        self.assertRefused("t_officer_a", "safety.hazard", "action_close", [hazard.ids])
        self.assertUnchanged(hazard, snapshot)

    def test_closed_hazard_is_kept_as_closed(self):
        hazard = self.h_closed
        self.assertEqual(hazard.state, "closed")
        snapshot = hazard.read(HAZARD_EVIDENCE)
        photos = hazard.photo_after_ids
        for login in ("t_staff_a", "t_officer_a", "t_principal_a", "t_inspector", "t_manager"):
            with self.subTest(login=login):
                self.assertRefused(login, "safety.hazard", "write", [hazard.ids, {"description": "Rewritten"}])
                self.assertRefused(
                    login, "safety.hazard", "write", [hazard.ids, {"photo_after_ids": [Command.clear()]}]
                )
                self.assertRefused(login, "safety.hazard", "write", [hazard.ids, {"closed_date": "2020-01-01"}])
        self.assertRefused("t_manager", "safety.hazard", "unlink", [hazard.ids])
        self.assertRefused("t_officer_a", "ir.attachment", "unlink", [photos.ids])
        self.assertRefused("t_officer_a", "ir.attachment", "write", [photos.ids, {"datas": "Zm9yZ2Vk"}])
        # its history: the notes of its steps, the requests of its reviews
        tracked = hazard.message_ids
        self.assertTrue(tracked)
        self.assertRefused("t_principal_a", "mail.message", "unlink", [tracked.ids])
        self.assertRefused("t_principal_a", "mail.message", "write", [tracked[:1].ids, {"res_id": self.h_notified.id}])
        self.assertUnchanged(hazard, snapshot)
        self.assertEqual(hazard.photo_after_ids, photos)
        self.assertEqual(len(tracked.exists()), len(tracked))

    def test_server_fields_refused_on_write_and_create(self):
        hazard = self.h_notified
        snapshot = hazard.read(HAZARD_EVIDENCE)
        for vals in (
            {"escalation_level": 3}, {"is_overdue": True}, {"notice_number": "FAKE-001"},
            {"source": "inspection"}, {"closed_date": "2026-06-02"}, {"validation_status": "validated"},
        ):
            with self.subTest(vals=vals):
                self.assertRefused("t_staff_a", "safety.hazard", "write", [hazard.ids, vals])
                self.assertRefused("t_officer_a", "safety.hazard", "write", [hazard.ids, vals])
        self.assertUnchanged(hazard, snapshot)
        count = self.env["safety.hazard"].search_count([])
        base = {"company_id": self.school_a.id, "location": "Yard", "category": "fire", "description": "x"}
        for vals in ({"state": "closed"}, {"escalation_level": 3, "is_overdue": True},
                     {"notice_number": "FAKE"}, {"source": "inspection"}, {"name": "YH-FORGED"}):
            with self.subTest(vals=vals):
                self.assertRefused("t_staff_a", "safety.hazard", "create", [dict(base, **vals)])
        self.assertEqual(self.env["safety.hazard"].search_count([]), count)
        # a server field given as a default in the context is not taken either
        new_id = self.assertAllowed(
            "t_staff_a", "safety.hazard", "create", [base],
            context=dict(HOSTILE_CONTEXT, default_state="closed", default_escalation_level=3,
                         default_source="inspection"),
        )
        created = self.env["safety.hazard"].browse(new_id)
        self.assertEqual((created.state, created.escalation_level, created.source), ("registered", 0, "staff_report"))

    def test_notice_deadline_level_and_supervision(self):
        hazard = self.h_notified
        deadline = hazard.deadline
        message = self.assertRefused("t_staff_a", "safety.hazard", "write", [hazard.ids, {"deadline": "2027-03-15"}])
        self.assertIn("extension", message)
        self.assertRefused("t_officer_a", "safety.hazard", "write", [hazard.ids, {"deadline": "2027-03-15"}])
        self.assertRefused("t_staff_a", "safety.hazard", "write", [hazard.ids, {"location": "Elsewhere"}])
        self.assertEqual(hazard.deadline, deadline)
        major = self.h_major
        # its reporter (the staff), and the school, do not downgrade it past the bureau's tier
        self.assertRefused("t_staff_a", "safety.hazard", "write", [major.ids, {"level": "general"}])
        self.assertRefused("t_officer_a", "safety.hazard", "write", [major.ids, {"level": "general"}])
        self.assertRefused("t_officer_a", "safety.hazard", "write", [major.ids, {"bureau_supervised": False}])
        self.assertEqual((major.level, major.bureau_supervised), ("major", True))
        # the bureau decides both
        self.assertAllowed("t_inspector", "safety.hazard", "write", [major.ids, {"bureau_supervised": False}])
        self.assertFalse(major.bureau_supervised)

    def test_no_record_moves_to_another_school(self):
        for model, record in (
            ("safety.hazard", self.h_notified),
            ("safety.inspection", self.inspection_done),
            ("safety.hazard.extension", self.extension),
        ):
            with self.subTest(model=model):
                self.assertRefused("t_manager", model, "write", [record.ids, {"company_id": self.school_b.id}])
                self.assertEqual(record.company_id, self.school_a)
        planned = self._inspection()
        self.assertRefused("t_officer_a", "safety.inspection", "write", [planned.ids, {"company_id": self.school_b.id}])
        self.assertEqual(planned.company_id, self.school_a)

    def test_reviews_are_read_with_their_record_and_decided_by_their_reviewer(self):
        hazard = self.h_submitted
        reviews = hazard.review_ids
        self.assertTrue(reviews)
        snapshot = reviews.read(REVIEW)
        # another school's principal: neither reads, nor decides, nor deletes
        found = self.assertAllowed("t_principal_b", "tier.review", "search_read", [[], ["res_id"]])
        self.assertFalse([row for row in found if row["id"] in reviews.ids])
        self.assertRefused("t_principal_b", "tier.review", "read", [reviews.ids, ["status"]])
        for login in ("t_principal_b", "t_staff_a", "t_guard_a", "t_principal_a"):
            with self.subTest(login=login):
                self.assertRefused(login, "tier.review", "write", [reviews.ids, {"status": "approved"}])
                self.assertRefused(login, "tier.review", "unlink", [reviews.ids])
        self.assertRefused(
            "t_staff_a", "tier.review", "create",
            [{"model": "safety.hazard", "res_id": hazard.id, "definition_id": reviews[0].definition_id.id,
              "status": "approved"}],
        )
        # the owner erases nothing through the hazard either
        self.assertRefused("t_staff_a", "safety.hazard", "write", [hazard.ids, {"review_ids": [Command.clear()]}])
        self.assertRefused(
            "t_staff_a", "safety.hazard", "write", [hazard.ids, {"review_ids": [Command.delete(reviews[0].id)]}]
        )
        self.assertRefused("t_staff_a", "safety.hazard", "restart_validation", [hazard.ids])
        # the comment wizard decides nothing for somebody who may not
        body = self.call_kw(
            "t_staff_a", "comment.wizard", "create",
            [{"res_model": "safety.hazard", "res_id": hazard.id, "review_ids": [Command.set(reviews.ids)],
              "validate_reject": "validate", "comment": "ok"}], context=HOSTILE_CONTEXT,
        )
        if "result" in body:
            self.assertRefused("t_staff_a", "comment.wizard", "add_comment", [[body["result"]]])
        # a school user who is no reviewer is told so, not silently ignored
        refusal = self.assertRefused("t_officer_a", "safety.hazard", "validate_tier", [hazard.ids])
        self.assertIn("no acceptance", refusal)
        self.assertUnchanged(reviews, snapshot)
        self.assertEqual(hazard.state, "submitted")
        # the reviewer, through the review button: the hazard is accepted and closed
        self.assertAllowed("t_principal_a", "safety.hazard", "validate_tier", [hazard.ids])
        self.assertEqual(hazard.state, "closed")
        self.assertEqual(reviews.done_by, self.user_principal_a)

    def test_returned_rectification_keeps_its_reviews(self):
        hazard = self._submitted(self._hazard(**self._six_fixed(), location="Library"))
        first = hazard.review_ids
        self.assertAllowed("t_principal_a", "safety.hazard", "action_return", [hazard.ids, "Photos unclear"])
        kept = self.env["tier.review"].with_context(active_test=False).search(
            [("model", "=", "safety.hazard"), ("res_id", "=", hazard.id)]
        )
        self.assertEqual(kept, first, "the returned submission's reviews are kept")
        self.assertFalse(hazard.review_ids, "and no longer count")
        self.assertEqual(set(kept.mapped("status")), {"cancel"})
        self.assertEqual(hazard.state, "rectifying")

    def test_decided_extension_stays_decided(self):
        extension = self.extension
        snapshot = extension.read(["state", "approved_by_id", "new_deadline", "reason", "hazard_id"])
        for login in ("t_staff_a", "t_officer_a", "t_principal_a"):
            with self.subTest(login=login):
                self.assertRefused(login, "safety.hazard.extension", "write", [extension.ids, {"state": "requested"}])
                self.assertRefused(
                    login, "safety.hazard.extension", "write", [extension.ids, {"new_deadline": "2027-02-20"}]
                )
                self.assertRefused(
                    login, "safety.hazard.extension", "write", [extension.ids, {"approved_by_id": self.user_manager.id}]
                )
        self.assertRefused("t_manager", "safety.hazard.extension", "unlink", [extension.ids])
        self.assertUnchanged(extension, snapshot)
        self.assertRefused(
            "t_staff_a", "safety.hazard.extension", "create",
            [{"hazard_id": self.h_notified.id, "new_deadline": "2027-01-01", "reason": "x", "state": "approved",
              "approved_by_id": self.user_principal_a.id}],
        )

    def test_done_inspection_is_kept_as_done(self):
        inspection = self.inspection_done
        lines = inspection.line_ids
        snapshot = inspection.read(["state", "date", "inspector_ids", "score", "result", "company_id"])
        lines_snapshot = lines.read(["weight", "is_critical", "result", "name"])
        for login in ("t_officer_a", "t_inspector", "t_manager"):
            with self.subTest(login=login):
                self.assertRefused(login, "safety.inspection.line", "write", [lines.ids, {"weight": 0.1}])
                self.assertRefused(login, "safety.inspection.line", "write", [lines.ids, {"is_critical": False}])
                self.assertRefused(login, "safety.inspection.line", "write", [lines.ids, {"result": "fail"}])
                self.assertRefused(login, "safety.inspection", "write", [inspection.ids, {"date": "2020-01-15"}])
                self.assertRefused(
                    login, "safety.inspection", "write", [inspection.ids, {"inspector_ids": [Command.set([])]}]
                )
                self.assertRefused(login, "safety.inspection", "write", [inspection.ids, {"state": "planned"}])
        self.assertRefused("t_manager", "safety.inspection", "unlink", [inspection.ids])
        self.assertRefused("t_officer_a", "safety.inspection.line", "unlink", [lines.ids])
        self.assertUnchanged(inspection, snapshot)
        self.assertUnchanged(lines, lines_snapshot)
        # an inspection in progress keeps its checklist too: weights are the checklist's
        running = self._inspection()
        running.line_ids[:1].result = "pass"
        self.assertRefused("t_inspector", "safety.inspection.line", "write", [running.line_ids.ids, {"weight": 0}])
        self.assertRefused("t_inspector", "safety.inspection.line", "unlink", [running.line_ids[1:2].ids])
        self.assertRefused(
            "t_officer_a", "safety.inspection", "create",
            [{"company_id": self.school_a.id, "template_id": self.template.id, "state": "done"}],
        )


@tagged("post_install", "-at_install")
class TestPatrolTrust(RpcCase, PatrolCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        now = fields.Datetime.now()
        Round = cls.env["safety.patrol.round"]
        cls.round_live = Round.create({
            "company_id": cls.school_a.id, "route_id": cls.route_a.id,
            "guard_ids": [Command.set(cls.user_guard_a.ids)],
            "planned_start": now - timedelta(hours=3), "planned_end": now + timedelta(hours=1),
        })
        result = cls.env["safety.patrol.scan"].with_user(cls.user_guard_a)._patrol_receive({
            "round_id": cls.round_live.id, "token": cls.cp_gate.sudo()._patrol_token(),
            "client_id": "trust-scan-000001", "device_time": iso(now - timedelta(minutes=30)),
            "sent_time": iso(now), "latitude": 31.0, "longitude": 120.0, "accuracy": 5.0,
        })
        cls.scan = cls.env["safety.patrol.scan"].browse(result["scan_id"])
        cls.round_missed = Round.create({
            "company_id": cls.school_a.id, "route_id": cls.route_a.id,
            "guard_ids": [Command.set(cls.user_guard_a.ids)],
            "planned_start": now - timedelta(days=1), "planned_end": now - timedelta(days=1) + timedelta(hours=1),
        })
        Round._cron_close_rounds()

    def test_patrol_records_unchanged_by_any_call(self):
        scan, missed = self.scan, self.round_missed
        self.assertEqual(missed.state, "missed")
        self.assertTrue(scan.flag_geofence)
        scan_snapshot = scan.read(
            ["flag_geofence", "review_state", "latitude", "device_time", "round_id", "company_id"]
        )
        round_snapshot = missed.read(["state", "finished", "checkpoint_done", "company_id"])
        attacks = ({"state": "completed", "finished": True}, {"checkpoint_done": 3}, {"company_id": self.school_b.id})
        for vals in attacks:
            self.assertRefused("t_officer_a", "safety.patrol.round", "write", [missed.ids, vals])
        for vals in ({"flag_geofence": False}, {"review_state": "ok"}, {"latitude": 30.0},
                     {"device_time": "2026-01-01 00:00:00"}, {"company_id": self.school_b.id}):
            self.assertRefused("t_officer_a", "safety.patrol.scan", "write", [scan.ids, vals])
        self.assertRefused("t_officer_a", "safety.patrol.scan", "unlink", [scan.ids])
        self.assertRefused("t_officer_a", "safety.patrol.round", "unlink", [self.round_live.ids])
        self.assertRefused("t_officer_a", "safety.patrol.round", "unlink", [missed.ids])
        self.assertRefused(
            "t_officer_a", "safety.patrol.round", "write", [self.round_live.ids, {"scan_ids": [Command.clear()]}]
        )
        self.assertRefused(
            "t_officer_a", "safety.patrol.round", "create",
            [{"company_id": self.school_a.id, "route_id": self.route_a.id, "state": "completed", "finished": True,
              "planned_start": "2026-01-01 08:00:00", "planned_end": "2026-01-01 09:00:00"}],
        )
        self.assertUnchanged(scan, scan_snapshot)
        self.assertUnchanged(missed, round_snapshot)
        # the review is the one thing decided about a scan, by its action
        self.assertAllowed("t_officer_a", "safety.patrol.scan", "action_reject", [scan.ids])
        self.assertEqual(scan.review_state, "rejected")

    def test_walked_route_keeps_its_stops(self):
        stop = self.route_a.line_ids[:1]
        self.assertRefused("t_officer_a", "safety.patrol.route.line", "unlink", [stop.ids])
        self.assertRefused(
            "t_officer_a", "safety.patrol.route", "write",
            [self.route_a.ids, {"line_ids": [Command.create({"checkpoint_id": self.cp_roof.id})]}],
        )
        self.assertTrue(stop.exists())
        self.assertEqual(len(self.route_a.line_ids), 3)

    def test_only_officers_print_labels(self):
        checkpoints = self.cp_gate | self.cp_hall
        self.assertRefused("t_guard_a", "safety.patrol.checkpoint", "action_print_labels", [checkpoints.ids])
        self.assertRefused("t_guard_a", "safety.patrol.checkpoint", "read", [checkpoints.ids, ["qr_payload"]])
        self.authenticate("t_guard_a", "t_guard_a")
        self._rpc_login = "t_guard_a"
        ids = ",".join(map(str, checkpoints.ids))
        for converter in ("pdf", "html"):
            response = self.url_open(f"/report/{converter}/safety_inspection.safety_patrol_checkpoint_label/{ids}")
            self.assertFalse(response.content.startswith(b"%PDF"))
            self.assertNotIn(checkpoints[0].sudo()._patrol_token().encode(), response.content)
            self.assertNotIn(b"data:image/png;base64", response.content)
        self.authenticate("t_officer_a", "t_officer_a")
        response = self.url_open(f"/report/html/safety_inspection.safety_patrol_checkpoint_label/{ids}")
        self.assertEqual(response.status_code, 200)
        self.assertIn(b"data:image/png;base64", response.content)

    def test_round_walked_later_from_the_guard_room_is_flagged(self):
        """Device times inside the window, sent hours later, without position or the phone's
        clock at sending: counted, but every scan waits for the officer's review."""
        self.authenticate("t_guard_a", "t_guard_a")
        now = datetime.now(UTC).replace(tzinfo=None)
        payload = {
            "round_id": self.round_live.id, "token": self.cp_hall.sudo()._patrol_token(),
            "client_id": "trust-scan-000002", "device_time": iso(now - timedelta(hours=2)),
        }
        response = self.url_open(
            "/safety_inspection/patrol/scan", data=json.dumps({"scan": payload}),
            headers={"Content-Type": "application/json"},
        )
        result = response.json()
        self.assertTrue(result["ok"], result)
        self.assertIn("clock", result["flags"])
        self.assertIn("position", result["flags"])
        scan = self.env["safety.patrol.scan"].browse(result["scan_id"])
        self.assertEqual(scan.review_state, "pending")

    def test_guard_stores_a_scan_through_the_route_only(self):
        """The model's scan methods are private: over call_kw a guard reaches none of them,
        nor the generic create, whatever the values and the context; nothing is written."""
        now = datetime.now(UTC).replace(tzinfo=None)
        payload = {
            "round_id": self.round_live.id, "token": self.cp_hall.sudo()._patrol_token(),
            "client_id": "trust-scan-000003", "device_time": iso(now - timedelta(minutes=5)),
            "sent_time": iso(now), "latitude": 30.001, "longitude": 120.0, "accuracy": 5.0,
        }
        count = self.scan_count()
        for method, args in (
            ("_patrol_receive", [payload]), ("_patrol_register", [payload]),
            ("_patrol_insert", [{"round_id": self.round_live.id, "client_id": "trust-scan-000004"}]),
            ("_patrol_suspicions", [{}, {}, payload, iso(now)]),
        ):
            with self.subTest(method=method):
                self.assertRefused("t_guard_a", "safety.patrol.scan", method, args)
        scan_vals = {
            "round_id": self.round_live.id, "company_id": self.school_a.id, "checkpoint_id": self.cp_hall.id,
            "guard_id": self.user_guard_a.id, "client_id": "trust-scan-000005",
            "device_time": fields.Datetime.to_string(now), "review_state": "accepted", "flag_geofence": False,
        }
        self.assertRefused("t_guard_a", "safety.patrol.scan", "create", [scan_vals])
        self.assertRefused("t_guard_a", "safety.patrol.scan", "web_save", [[], scan_vals],
                           {"specification": {"id": {}}})
        self.assertRefused("t_officer_a", "safety.patrol.scan", "create", [scan_vals])
        self.assertRefused("t_guard_a", "safety.patrol.scan", "action_accept", [self.scan.ids])
        self.assertEqual(self.scan_count(), count)
        self.assertEqual(self.scan.sudo().review_state, "pending")
        # the same scan through the route: stored, every check run
        self.authenticate("t_guard_a", "t_guard_a")
        response = self.url_open(
            "/safety_inspection/patrol/scan", data=json.dumps({"scan": payload}),
            headers={"Content-Type": "application/json"},
        )
        self.assertTrue(response.json()["ok"], response.text)
        self.assertEqual(self.scan_count(), count + 1)
