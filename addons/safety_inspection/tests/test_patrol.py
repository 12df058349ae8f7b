from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged, warmup

from .common_patrol import T0, PatrolCase, iso

LOGGER = "odoo.addons.safety_inspection.models.safety_patrol_scan"


@tagged("post_install", "-at_install")
class TestPatrolToken(PatrolCase):
    def test_token_round_trip(self):
        Checkpoint = self.env["safety.patrol.checkpoint"]
        token = self.cp_gate._patrol_token()
        self.assertTrue(token.startswith("SP1."))
        self.assertEqual(Checkpoint._patrol_check_token(token), (self.cp_gate, None))

    def test_token_rejections(self):
        Checkpoint = self.env["safety.patrol.checkpoint"]
        token = self.cp_gate._patrol_token()
        prefix, db, cp_id, version, signature = token.split(".")
        other_signature = ("A" if signature[0] != "A" else "B") + signature[1:]
        cases = {
            "token_malformed": ["", "hello", token + ".x", token.replace("SP1", "SP2"), 42, None],
            "token_forged": [
                f"{prefix}.{db}.{self.cp_hall.id}.{version}.{signature}",  # altered checkpoint
                f"{prefix}.{db}.{cp_id}.{int(version) + 1}.{signature}",  # altered version
                f"{prefix}.{db}.{cp_id}.{version}.{other_signature}",
            ],
            "token_foreign_db": [f"{prefix}.{'0' * 8 if db != '0' * 8 else '1' * 8}.{cp_id}.{version}.{signature}"],
        }
        for code, tokens in cases.items():
            for bad in tokens:
                with self.subTest(code=code, token=bad):
                    self.assertEqual(Checkpoint._patrol_check_token(bad)[1], code)

    def test_token_unknown_checkpoint(self):
        Checkpoint = self.env["safety.patrol.checkpoint"]
        token = self.cp_roof._patrol_token()
        self.cp_roof.active = False
        self.assertEqual(Checkpoint._patrol_check_token(token)[1], "token_unknown_checkpoint")

    def test_reissue_invalidates_old_label(self):
        old = self.cp_gate._patrol_token()
        self.cp_gate.with_user(self.user_officer_a).action_reissue_code()
        self.assertEqual(self.cp_gate.token_version, 2)
        self.assertIn("re-issued", self.cp_gate.message_ids[0].body)
        Checkpoint = self.env["safety.patrol.checkpoint"]
        self.assertEqual(Checkpoint._patrol_check_token(old)[1], "token_reissued")
        self.assertEqual(Checkpoint._patrol_check_token(self.cp_gate._patrol_token())[1], None)
        with freeze_time(T0 + timedelta(minutes=5)):
            count = self.scan_count()
            result = self.receive(self.payload(token=old))
            self.assertEqual(result["error"], "token_reissued")
            self.assertEqual(self.scan_count(), count)
            self.assertTrue(self.receive(self.payload())["ok"])

    def test_secret_and_payload_hidden(self):
        self.env["safety.patrol.checkpoint"]._patrol_secret()
        for user in (self.user_guard_a, self.user_officer_a, self.user_manager):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.env["ir.config_parameter"].with_user(user).search(
                    [("key", "=", "safety_inspection.patrol_secret")]).read(["value"])
        with self.assertRaises(AccessError):
            self.cp_gate.with_user(self.user_guard_a).read(["qr_payload"])
        self.assertTrue(self.cp_gate.with_user(self.user_officer_a).qr_payload)
        with self.assertRaises(AccessError):
            self.cp_gate.with_user(self.user_guard_a).action_reissue_code()


@tagged("post_install", "-at_install")
class TestPatrolScan(PatrolCase):
    @freeze_time(T0 + timedelta(minutes=6))
    def test_clean_scan_stored(self):
        result = self.receive(self.payload(minutes=5, sent_time=iso(T0 + timedelta(minutes=6))))
        self.assertEqual((result["ok"], result["duplicate"], result["flags"]), (True, False, []))
        scan = self.env["safety.patrol.scan"].browse(result["scan_id"])
        self.assertEqual(scan.checkpoint_id, self.cp_gate)
        self.assertEqual(scan.guard_id, self.user_guard_a)
        self.assertEqual(scan.device_time, T0 + timedelta(minutes=5))
        self.assertEqual(scan.server_time, T0 + timedelta(minutes=6))
        self.assertEqual((scan.latitude, scan.accuracy, scan.device), (30.0, 8.0, "test phone"))
        self.assertEqual(scan.review_state, "ok")
        self.assertEqual(self.round_a.state, "in_progress")
        self.assertEqual(self.round_a.actual_start, T0 + timedelta(minutes=5))
        self.assertEqual(self.cp_gate.last_scan_date, T0 + timedelta(minutes=5))
        self.assertEqual(self.cp_gate.days_since_scan, 0)
        # never scanned: said so, not "-1 days"
        self.assertEqual((self.cp_hall.days_since_scan, self.cp_hall.scan_age), (0, "Never scanned"))
        self.assertEqual(self.cp_gate.scan_age, "Today")
        Checkpoint = self.env["safety.patrol.checkpoint"].with_user(self.user_officer_a)
        ours = (self.cp_gate | self.cp_hall | self.cp_yard | self.cp_roof).ids
        stale = Checkpoint.search([("id", "in", ours), ("last_scan_date", "<", T0)])
        self.assertEqual(stale, self.cp_hall | self.cp_yard | self.cp_roof)
        fresh = Checkpoint.search([("id", "in", ours), ("last_scan_date", ">=", T0)])
        self.assertEqual(fresh, self.cp_gate)
        never = Checkpoint.search([("id", "in", ours), ("last_scan_date", "=", False)])
        self.assertEqual(never, stale)

    def test_stale_checkpoints(self):
        """The officer's "Not Scanned Recently" filter follows the configured number of days."""
        with freeze_time(T0 + timedelta(minutes=6)):
            self.assertTrue(self.receive(self.payload(self.cp_gate, minutes=5))["ok"])
        Checkpoint = self.env["safety.patrol.checkpoint"].with_user(self.user_officer_a)
        ours = [("id", "in", (self.cp_gate | self.cp_hall | self.cp_yard | self.cp_roof).ids)]
        never = self.cp_hall | self.cp_yard | self.cp_roof
        params = self.env["ir.config_parameter"].sudo()
        for days_later, stale_days, expected in ((1, "3", never), (4, "3", never | self.cp_gate),
                                                 (4, "7", never)):
            with self.subTest(days_later=days_later, stale_days=stale_days), \
                    freeze_time(T0 + timedelta(days=days_later)):
                params.set_param("safety_inspection.patrol_stale_days", stale_days)
                self.assertEqual(Checkpoint.search(ours + [("stale", "=", True)]), expected)
                self.assertEqual(Checkpoint.search(ours + [("stale", "=", False)]),
                                 self.cp_gate - expected)
                self.env.invalidate_all()
                self.assertEqual(self.cp_gate.with_user(self.user_officer_a).stale,
                                 self.cp_gate in expected)

    @freeze_time(T0 + timedelta(minutes=50))
    def test_last_scan_search_follows_a_review_not_yet_flushed(self):
        """The search reads the scans through the ORM, which flushes a rejection still in memory."""
        scan = self.env["safety.patrol.scan"].browse(
            self.receive(self.payload(self.cp_gate, minutes=5, latitude=30.01))["scan_id"])
        Checkpoint = self.env["safety.patrol.checkpoint"].with_user(self.user_officer_a)
        ours = [("id", "in", (self.cp_gate | self.cp_hall).ids)]
        self.assertEqual(Checkpoint.search(ours + [("last_scan_date", ">=", T0)]), self.cp_gate)
        scan.with_user(self.user_officer_a).action_reject()
        self.assertEqual(Checkpoint.search(ours + [("last_scan_date", "=", False)]), self.cp_gate | self.cp_hall)
        self.assertFalse(Checkpoint.search(ours + [("last_scan_date", ">=", T0)]))
        self.assertEqual(Checkpoint.search(ours + [("stale", "=", True)]), self.cp_gate | self.cp_hall)
        scan.with_user(self.user_officer_a).action_accept()
        self.assertEqual(Checkpoint.search(ours + [("last_scan_date", "=", False)]), self.cp_hall)
        for operator, moment, expected in (("<", T0 + timedelta(minutes=5), self.cp_hall),
                                           ("<=", T0 + timedelta(minutes=5), self.cp_gate | self.cp_hall),
                                           (">", T0 + timedelta(minutes=5), Checkpoint),
                                           (">=", T0 + timedelta(minutes=5), self.cp_gate)):
            with self.subTest(operator=operator):
                self.assertEqual(Checkpoint.search(ours + [("last_scan_date", operator, moment)]), expected)

    @freeze_time(T0 + timedelta(minutes=6))
    def test_idempotent_by_client_id(self):
        payload = self.payload()
        first = self.receive(payload)
        count = self.scan_count()
        second = self.receive(payload)
        self.assertEqual(second["scan_id"], first["scan_id"])
        self.assertTrue(second["duplicate"])
        self.assertEqual(self.scan_count(), count)
        # the same client id from another guard is a replay, not a retry
        with self.assertLogs(LOGGER, "WARNING") as logs:
            other = self.receive(dict(payload, round_id=self.round_b.id), user=self.user_guard_b)
        self.assertEqual(other["error"], "client_id_conflict")
        self.assertIn("code=client_id_conflict", logs.output[0])
        self.assertEqual(self.scan_count(), count)

    @warmup
    @freeze_time(T0 + timedelta(minutes=20))
    def test_scan_query_count(self):
        """The hot path of every guard's phone, pinned: a scan of a round in progress is
        five queries (resend?, round locked, checkpoint with its stop and the earlier scans,
        insert, progress); a resend is one, a refused guard two."""
        self.assertTrue(self.receive(self.payload(self.cp_gate, minutes=5))["ok"])  # round starts
        payload = self.payload(self.cp_hall, minutes=10)
        with self.assertQueryCount(5):
            result = self.receive(payload)
        self.assertEqual((result["ok"], result["duplicate"], result["round_state"]),
                         (True, False, "in_progress"))
        with self.assertQueryCount(1):
            self.assertTrue(self.receive(payload)["duplicate"])
        with self.assertQueryCount(2), self.assertLogs(LOGGER, "WARNING"):
            refused = self.receive(self.payload(self.cp_yard, minutes=15), user=self.user_guard_a2)
        self.assertEqual(refused["error"], "not_assigned")
        # a malformed scan is refused by the shared validator before any query
        with self.assertQueryCount(0), self.assertLogs(LOGGER, "WARNING"):
            refused = self.receive(self.payload(self.cp_yard, minutes=15, accuracy=-1))
        self.assertEqual(refused["error"], "bad_request")
        self.assertEqual(self.round_a.checkpoint_done, 2)

    @freeze_time(T0 + timedelta(minutes=40))
    def test_complete_round(self):
        for checkpoint, minutes in ((self.cp_gate, 5), (self.cp_hall, 10), (self.cp_yard, 15)):
            result = self.receive(self.payload(checkpoint, minutes=minutes))
            self.assertEqual(result["flags"], [], checkpoint.name)
        self.assertEqual(self.round_a.checkpoint_done, 3)
        self.assertEqual(self.round_a.with_user(self.user_guard_a).action_finish(), "completed")

    def _flags(self, *scans):
        """Send the scans in order and return the flags of the last one."""
        result = None
        for checkpoint, minutes, overrides in scans:
            result = self.receive(self.payload(checkpoint, minutes=minutes, **overrides))
            self.assertTrue(result["ok"], result)
        return result["flags"]

    @freeze_time(T0 + timedelta(minutes=50))
    def test_flag_geofence(self):
        self.assertEqual(self._flags((self.cp_gate, 5, {"latitude": 30.01})), ["geofence"])
        scan = self.env["safety.patrol.scan"].search([], order="id desc", limit=1)
        self.assertEqual(scan.review_state, "pending")
        self.assertTrue(scan.counted, "flagged scans count until rejected")
        self.assertEqual(self.round_a.flagged_count, 1)
        # poor accuracy widens the fence only up to the radius
        self.assertEqual(self._flags((self.cp_hall, 10, {"latitude": 30.0014, "accuracy": 500})), [])

    @freeze_time(T0 + timedelta(minutes=50))
    def test_flag_travel(self):
        flags = self._flags(
            (self.cp_gate, 5, {}),
            # 111 m in 10 s: faster than a running guard
            (self.cp_hall, 5 + 10 / 60, {}),
        )
        self.assertIn("travel", flags)

    @freeze_time(T0 + timedelta(minutes=50))
    def test_flag_gap(self):
        flags = self._flags(
            (self.cp_gate, 5, {"latitude": None, "longitude": None, "accuracy": None}),
            (self.cp_hall, 5 + 5 / 60, {"latitude": None, "longitude": None, "accuracy": None}),
        )
        # without a position nothing tells where a label was scanned: flagged too
        self.assertEqual(flags, ["gap", "position"])

    @freeze_time(T0 + timedelta(minutes=50))
    def test_flag_clock(self):
        flags = self._flags((self.cp_gate, 5, {"sent_time": iso(T0 + timedelta(minutes=110))}))
        self.assertEqual(flags, ["clock"])
        # a late sync with a right clock is not suspicious
        flags = self._flags((self.cp_hall, 10, {"sent_time": iso(T0 + timedelta(minutes=50))}))
        self.assertEqual(flags, [])
        # a scan taken 35 minutes ago that does not say when it was sent is (a round
        # "walked" hours later with its device times set inside the window looked clean)
        flags = self._flags((self.cp_yard, 15, {"sent_time": None}))
        self.assertEqual(flags, ["clock"])

    @freeze_time(T0 + timedelta(minutes=50))
    def test_flag_order(self):
        self.assertEqual(self._flags((self.cp_hall, 5, {})), ["order"])
        # a free stop may come any time
        self.assertEqual(self._flags((self.cp_yard, 10, {})), [])

    @freeze_time(T0 + timedelta(minutes=50))
    def test_flag_timing(self):
        flags = self._flags((self.cp_gate, 1, {}), (self.cp_hall, 5, {}), (self.cp_yard, 45, {}))
        self.assertEqual(flags, ["timing"])

    @freeze_time(T0 + timedelta(minutes=50))
    def test_review(self):
        self._flags((self.cp_gate, 5, {"latitude": 31.0}))
        scan = self.env["safety.patrol.scan"].search([("round_id", "=", self.round_a.id)])
        with self.assertRaises(AccessError):
            scan.with_user(self.user_guard_a).action_reject()
        with self.assertRaises(AccessError):
            scan.with_user(self.user_officer_b).action_reject()
        scan.with_user(self.user_officer_a).action_reject()
        self.assertEqual((scan.review_state, scan.counted), ("rejected", False))
        self.assertEqual(self.round_a.checkpoint_done, 0)
        scan.with_user(self.user_officer_a).action_accept()
        self.assertEqual((scan.review_state, scan.reviewed_by_id), ("accepted", self.user_officer_a))
        self.assertEqual(self.round_a.checkpoint_done, 1)

    @freeze_time(T0 + timedelta(minutes=50))
    def test_anomaly_becomes_hazard(self):
        patrol = self.round_a.with_user(self.user_guard_a)
        photo = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
        hazard_id = patrol.action_report_anomaly("Broken fence", photo, "fence.png", self.cp_gate.id)
        hazard = self.env["safety.hazard"].with_user(self.user_guard_a).browse(hazard_id)
        self.assertEqual(hazard.source, "patrol")
        self.assertEqual(hazard.source_ref, self.round_a)
        self.assertEqual(hazard.found_by_id, self.user_guard_a)
        self.assertEqual(hazard.location, "gatehouse")
        self.assertEqual(hazard.company_id, self.school_a)
        self.assertEqual(len(hazard.photo_before_ids), 1)
        with self.assertRaises(AccessError):
            self.round_a.with_user(self.user_guard_a2).action_report_anomaly("x")


@tagged("post_install", "-at_install")
class TestPatrolBadInput(PatrolCase):
    def assertRejected(self, payload, code, user=None):
        count = self.scan_count()
        with self.assertLogs(LOGGER, "WARNING") as logs:
            result = self.receive(payload, user=user)
        self.assertEqual((result["ok"], result["error"]), (False, code), result)
        self.assertTrue(result["message"])
        self.assertIn(f"code={code}", logs.output[0])
        self.assertEqual(self.scan_count(), count, "a rejected scan writes nothing")

    @freeze_time(T0 + timedelta(minutes=10))
    def test_bad_requests(self):
        good = self.payload()
        cases = [
            "not an object",
            ["a", "list"],
            {k: v for k, v in good.items() if k != "token"},
            {k: v for k, v in good.items() if k != "client_id"},
            dict(good, extra="field"),
            dict(good, round_id="12"),
            dict(good, round_id=True),
            dict(good, round_id=1.5),
            dict(good, token=["x"]),
            dict(good, latitude="30"),
            dict(good, latitude=None),
            dict(good, latitude=95.0),
            dict(good, accuracy=-1),
            dict(good, client_id="short"),
            dict(good, client_id="bad id with spaces"),
            dict(good, client_id="x" * 65),
            dict(good, device_time="yesterday"),
            dict(good, device_time="2026-03-02T02:05:00"),  # no offset
            dict(good, device_time=1772416000),
            dict(good, sent_time="soon"),
            dict(good, device="x" * 200),
        ]
        for payload in cases:
            with self.subTest(payload=payload):
                self.assertRejected(payload, "bad_request")

    @freeze_time(T0 + timedelta(minutes=10))
    def test_token_errors(self):
        token = self.cp_gate._patrol_token()
        forged = token[:-1] + ("A" if token[-1] != "A" else "B")
        self.assertRejected(self.payload(token="garbage"), "token_malformed")
        self.assertRejected(self.payload(token=forged), "token_forged")
        self.assertRejected(self.payload(self.cp_b), "checkpoint_other_school")
        self.assertRejected(self.payload(self.cp_roof), "checkpoint_not_on_route")

    @freeze_time(T0 + timedelta(minutes=10))
    def test_round_errors(self):
        self.assertRejected(self.payload(round_id=999999), "round_unknown")
        self.assertRejected(self.payload(round_id=self.round_b.id), "round_unknown")
        self.assertRejected(self.payload(), "not_assigned", user=self.user_guard_a2)
        self.assertRejected(self.payload(minutes=-30), "outside_window")
        self.assertRejected(self.payload(minutes=100), "outside_window")
        self.assertTrue(self.receive(self.payload())["ok"])
        self.assertRejected(self.payload(), "already_scanned")
        self.round_a.with_user(self.user_guard_a).action_finish("fence work")
        self.assertRejected(self.payload(self.cp_hall), "round_finished")
