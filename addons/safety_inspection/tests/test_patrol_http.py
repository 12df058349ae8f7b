import json
from datetime import datetime, timedelta, timezone

from odoo import Command, fields
from odoo.tests import HttpCase, tagged

from .common_patrol import PatrolCase

URL = "/safety_inspection/patrol/scan"


@tagged("post_install", "-at_install")
class TestPatrolHttp(PatrolCase, HttpCase):
    """The endpoint over real HTTP, and the guard's phone screen."""

    browser_size = "390x844"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        now = fields.Datetime.now()
        cls.round_now = cls.env["safety.patrol.round"].create({
            "company_id": cls.school_a.id, "route_id": cls.route_a.id,
            "guard_ids": [Command.set(cls.user_guard_a.ids)],
            "planned_start": now - timedelta(minutes=5), "planned_end": now + timedelta(minutes=55),
        })

    def now_payload(self, checkpoint=None, **overrides):
        return self.payload(
            checkpoint, round_id=self.round_now.id,
            device_time=datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            latitude=None, longitude=None, accuracy=None, **overrides)

    def post(self, body, content_type="application/json"):
        if not isinstance(body, (str, bytes)):
            body = json.dumps(body)
        return self.url_open(URL, data=body, headers={"Content-Type": content_type})

    def call(self, params):
        response = self.post({"jsonrpc": "2.0", "method": "call", "id": 1, "params": params})
        self.assertEqual(response.status_code, 200)
        return response.json()

    def test_scan_over_http(self):
        self.authenticate("t_guard_a", "t_guard_a")
        payload = self.now_payload()
        first = self.call({"scan": payload})["result"]
        self.assertEqual((first["ok"], first["duplicate"], first["flags"]), (True, False, []))
        again = self.call({"scan": payload})["result"]
        self.assertEqual((again["scan_id"], again["duplicate"]), (first["scan_id"], True))
        self.assertEqual(len(self.round_now.scan_ids), 1)

    def test_unauthenticated_writes_nothing(self):
        count = self.scan_count()
        body = self.call({"scan": self.now_payload()})
        self.assertNotIn("result", body)
        self.assertEqual(body["error"]["code"], 100)  # session expired
        self.assertEqual(self.scan_count(), count)

    def test_bad_transport(self):
        self.authenticate("t_guard_a", "t_guard_a")
        count = self.scan_count()
        # malformed JSON: refused by the JSON-RPC layer before any code runs
        response = self.post('{"jsonrpc": "2.0", "params": {"scan": ')
        self.assertEqual(response.status_code, 400)
        # oversized, even when otherwise valid
        for size in (70000, 1100000):
            with self.assertLogs("odoo.addons.safety_inspection.controllers.safety_patrol", "WARNING"):
                body = self.call({"scan": self.now_payload(device="x" * size)})
            self.assertEqual(body["result"]["error"], "payload_too_large")
        # wrong envelope
        for params in ({}, {"scan": self.now_payload(), "other": 1}, {"payload": {}}):
            with self.subTest(params=params):
                self.assertEqual(self.call(params)["result"]["error"], "bad_request")
        self.assertEqual(self.call({"scan": [1, 2]})["result"]["error"], "bad_request")
        # GET is not a way in
        self.assertNotEqual(self.url_open(URL).status_code, 200)
        self.assertEqual(self.scan_count(), count)

    def test_guard_screen_tour(self):
        codes = [self.cp_gate.sudo()._patrol_token(), self.cp_hall.sudo()._patrol_token()]
        self.start_tour(
            "/odoo/action-safety_inspection.safety_patrol_guard_screen_action",
            "patrol_guard_tour",
            login="t_guard_a",
            code=f"window.safetyPatrolTourCodes = {json.dumps(codes)}; "
                 f"odoo.startTour('patrol_guard_tour', {json.dumps({'stepDelay': 0, 'keepWatchBrowser': False, 'debug': False, 'startUrl': '/odoo/action-safety_inspection.safety_patrol_guard_screen_action', 'delayToCheckUndeterminisms': 0})})",
        )
        scans = self.round_now.scan_ids
        self.assertEqual(scans.checkpoint_id, self.cp_gate | self.cp_hall)
        self.assertEqual(len(scans), 2, "the queued scan was sent once")
        self.assertEqual(self.round_now.state, "incomplete")
        self.assertEqual(self.round_now.incomplete_reason, "Yard gate locked")
        hazard = self.env["safety.hazard"].search([("source_ref", "=", f"safety.patrol.round,{self.round_now.id}")])
        self.assertEqual(hazard.description, "Broken lamp")
