import json
from datetime import UTC, datetime, timedelta

from odoo.tests import HttpCase, tagged, warmup

from .common_patrol import PatrolCase, iso

URL = "/safety_inspection/patrol/scan"
CONTROLLER_LOGGER = "odoo.addons.safety_inspection.controllers.safety_patrol"


@tagged("post_install", "-at_install")
class TestPatrolHttp(PatrolCase, HttpCase):
    """The endpoint over real HTTP, and the guard's phone screen."""

    browser_size = "390x844"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.round_now = cls._round_running_now()

    def now_payload(self, checkpoint=None, **overrides):
        return self.payload(
            checkpoint, round_id=self.round_now.id,
            device_time=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), **overrides)

    def post(self, body, content_type="application/json", **kwargs):
        if not isinstance(body, (str, bytes)) and not hasattr(body, "__next__"):
            body = json.dumps(body)
        return self.url_open(URL, data=body, headers={"Content-Type": content_type}, **kwargs)

    def call(self, scan):
        response = self.post({"scan": scan})
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.headers["Content-Type"].startswith("application/json"))
        return response.json()

    def assertRejected(self, response, status, code):
        """``response`` carries our error ``code`` with HTTP ``status``."""
        self.assertEqual(response.status_code, status, response.text[:300])
        body = response.json()
        self.assertEqual((body["ok"], body["error"]), (False, code))
        self.assertTrue(body["message"])

    def test_scan_over_http(self):
        self.authenticate("t_guard_a", "t_guard_a")
        payload = self.now_payload()
        first = self.call(payload)
        self.assertEqual((first["ok"], first["duplicate"], first["flags"]), (True, False, []))
        again = self.call(payload)
        self.assertEqual((again["scan_id"], again["duplicate"]), (first["scan_id"], True))
        self.assertEqual(len(self.round_now.scan_ids), 1)

    def test_business_rejection_is_200(self):
        self.authenticate("t_guard_a", "t_guard_a")
        count = self.scan_count()
        with self.assertLogs("odoo.addons.safety_inspection.models.safety_patrol_scan", "WARNING") as logs:
            body = self.call(self.now_payload(token="SP1.forged"))
        self.assertEqual((body["ok"], body["error"]), (False, "token_malformed"))
        self.assertIn("Patrol scan rejected: code=token_malformed", logs.output[0])
        self.assertEqual(self.scan_count(), count)

    def test_unauthenticated_writes_nothing(self):
        count = self.scan_count()
        # no session: a JSON 401 the phone understands (not a login page), logged, nothing written
        for body in ({"scan": self.now_payload()}, "{"):
            with self.subTest(body=body):
                self.assertTransportRejected(401, "not_logged_in", body, allow_redirects=False)
        # a session that has ended (the guard logged out on another tab, or it expired)
        self.authenticate("t_guard_a", "t_guard_a")
        self.url_open("/web/session/logout", allow_redirects=False)
        self.assertTransportRejected(401, "not_logged_in", {"scan": self.now_payload()})
        self.assertEqual(self.scan_count(), count)

    def assertTransportRejected(self, status, code, *args, **kwargs):
        count = self.scan_count()
        with self.assertLogs(CONTROLLER_LOGGER, "WARNING") as logs:
            response = self.post(*args, **kwargs)
        self.assertRejected(response, status, code)
        self.assertIn(f"Patrol scan rejected: code={code} ", logs.output[0])
        if code == "not_logged_in":
            self.assertIn("user=anonymous", logs.output[0])
        self.assertEqual(self.scan_count(), count, "nothing written")

    def test_malformed_json(self):
        self.authenticate("t_guard_a", "t_guard_a")
        for body in ('{"scan": ', " ", "not json", "{'scan': {}}", b'{"scan": {"device": "\xff"}}'):
            with self.subTest(body=body):
                self.assertTransportRejected(400, "malformed_json", body)
        # the JSON-RPC envelope of the old endpoint is not accepted either
        self.assertTransportRejected(
            400, "bad_request", {"jsonrpc": "2.0", "method": "call", "params": {"scan": self.now_payload()}})

    def test_wrong_content_type(self):
        self.authenticate("t_guard_a", "t_guard_a")
        body = json.dumps({"scan": self.now_payload()})
        for content_type in ("text/plain", "application/x-www-form-urlencoded",
                             "multipart/form-data; boundary=x", "application/json-patch+json", ""):
            with self.subTest(content_type=content_type):
                self.assertTransportRejected(415, "bad_content_type", body, content_type=content_type)
        # a charset parameter does not change the media type: still accepted
        response = self.post(body, content_type="application/json; charset=utf-8")
        self.assertEqual((response.status_code, response.json()["ok"]), (200, True))

    def test_oversized_body(self):
        self.authenticate("t_guard_a", "t_guard_a")
        for size in (70000, 1100000):
            with self.subTest(size=size):
                self.assertTransportRejected(
                    413, "payload_too_large", {"scan": self.now_payload(device="x" * size)})

    def test_missing_content_length(self):
        self.authenticate("t_guard_a", "t_guard_a")
        # a generator body is sent chunked, without Content-Length
        body = json.dumps({"scan": self.now_payload()}).encode()
        self.assertTransportRejected(411, "length_required", iter([body]))

    def test_not_the_scan_object(self):
        self.authenticate("t_guard_a", "t_guard_a")
        payload = self.now_payload()
        for body in ([1, 2], "a string", 42, None, {}, {"scan": payload, "other": 1},
                     {"payload": payload}, {"scan": [1, 2]}, {"scan": "x"}):
            with self.subTest(body=body):
                self.assertTransportRejected(400, "bad_request", json.dumps(body))

    def test_bad_scan_answered_by_the_route(self):
        """A readable request whose scan is wrong: refused by the route before the model, with
        HTTP 200 (the phone drops it) and a log line, whatever the phone put in it."""
        self.authenticate("t_guard_a", "t_guard_a")
        good = self.now_payload()
        cases = [
            {},
            dict(good, extra="field"),
            dict(good, round_id="12"),
            dict(good, round_id=True),
            dict(good, latitude=None),
            dict(good, accuracy=-1),
            dict(good, client_id="bad id with spaces"),
            dict(good, client_id="test-client-newline\n"),
            dict(good, device_time="2026-03-02T02:05:00"),
            # a valid date that its offset takes out of the calendar, a NUL PostgreSQL cannot
            # store, a lone surrogate UTF-8 cannot encode: a clear refusal, not a server error
            dict(good, device_time="0001-01-01T00:00:00+14:00"),
            dict(good, sent_time="9999-12-31T23:59:59-14:00"),
            dict(good, device="phone\x00"),
            dict(good, device="\ud800"),
        ]
        for scan in cases:
            with self.subTest(scan=scan):
                self.assertTransportRejected(200, "bad_request", {"scan": scan})
        self.assertTransportRejected(200, "round_unknown", {"scan": dict(good, round_id=2**31)})

    def test_messages_in_the_guards_language(self):
        """The route's refusals, the model's and the suspicion notes in the guard's language:
        the pure modules' lazy texts are rendered with the request's environment."""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.user_guard_a.lang = "zh_CN"
        self.authenticate("t_guard_a", "t_guard_a")
        good = self.now_payload(latitude=None, longitude=None, accuracy=None)
        refused = self.post({"scan": {k: v for k, v in good.items() if k != "token"}}).json()
        self.assertEqual((refused["error"], refused["message"]), ("bad_request", "字段 token 为必填。"))
        refused = self.call(dict(good, token="garbage"))
        self.assertEqual((refused["error"], refused["message"]), ("token_malformed", "这不是巡更点二维码。"))
        stored = self.call(good)
        self.assertEqual(stored["flags"], ["position"])
        self.assertEqual(self.env["safety.patrol.scan"].browse(stored["scan_id"]).flag_note, "手机未上报定位。")

    @warmup
    def test_scan_query_count_over_http(self):
        """The whole route pinned, session and dispatch included: a scan of a round in progress
        is the model's five queries (test_scan_query_count), its resend one, and a malformed
        scan, refused by the route before the model, none; the route adds nothing of its own."""
        self.authenticate("t_guard_a", "t_guard_a")
        start = datetime.now(UTC) - timedelta(minutes=4)
        first = self.payload(self.cp_gate, round_id=self.round_now.id, device_time=iso(start))
        self.assertTrue(self.call(first)["ok"])  # the round starts
        payload = self.payload(self.cp_hall, round_id=self.round_now.id,
                               device_time=iso(start + timedelta(minutes=2)))
        with self.assertQueryCount(5):
            result = self.call(payload)
        self.assertEqual((result["ok"], result["duplicate"], result["flags"], result["round_state"]),
                         (True, False, [], "in_progress"))
        with self.assertQueryCount(1):
            self.assertTrue(self.call(payload)["duplicate"])
        with self.assertQueryCount(0), self.assertLogs(CONTROLLER_LOGGER, "WARNING"):
            refused = self.post({"scan": dict(payload, client_id="bad id")})
        self.assertEqual((refused.status_code, refused.json()["error"]), (200, "bad_request"))
        self.assertEqual(len(self.round_now.scan_ids), 2)

    def test_query_string_refused(self):
        self.authenticate("t_guard_a", "t_guard_a")
        count = self.scan_count()
        with self.assertLogs(CONTROLLER_LOGGER, "WARNING"):
            response = self.url_open(URL + "?scan=1", data=json.dumps({"scan": self.now_payload()}),
                                     headers={"Content-Type": "application/json"})
        self.assertRejected(response, 400, "bad_request")
        self.assertEqual(self.scan_count(), count)

    def test_get_is_not_a_way_in(self):
        self.authenticate("t_guard_a", "t_guard_a")
        count = self.scan_count()
        self.assertNotEqual(self.url_open(URL).status_code, 200)
        self.assertEqual(self.scan_count(), count)

    def test_guard_screen_tour(self):
        codes = [self.cp_gate.sudo()._patrol_token(), self.cp_hall.sudo()._patrol_token()]
        screen = "/odoo/action-safety_inspection.safety_patrol_guard_screen_action"
        options = {"stepDelay": 0, "keepWatchBrowser": False, "debug": False, "startUrl": screen,
                   "delayToCheckUndeterminisms": 0}
        self.start_tour(
            screen,
            "patrol_guard_tour",
            login="t_guard_a",
            code=f"window.safetyPatrolTourCodes = {json.dumps(codes)}; "
                 f"odoo.startTour('patrol_guard_tour', {json.dumps(options)})",
        )
        scans = self.round_now.scan_ids
        self.assertEqual(scans.checkpoint_id, self.cp_gate | self.cp_hall)
        self.assertEqual(len(scans), 2, "the queued scan was sent once")
        self.assertEqual(self.round_now.state, "incomplete")
        self.assertEqual(self.round_now.incomplete_reason, "Yard gate locked")
        hazard = self.env["safety.hazard"].search([("source_ref", "=", f"safety.patrol.round,{self.round_now.id}")])
        self.assertEqual(hazard.description, "Broken lamp")
