from datetime import datetime

from odoo.tests import BaseCase
from odoo.tools.translate import LazyGettext

from ..controllers import patrol_payload as payloads
from ..controllers.patrol_payload import PatrolScanError, ScanPayload

GOOD = {
    "round_id": 42,
    "token": "SP1.3f9a0c1e.17.2.Qm9ndXNTaWduYXR1",
    "client_id": "6f1c2b9e-1d7a-4c1b-9a55-0b7e3c1d2f40",
    "device_time": "2026-03-02T10:05:13.250+08:00",
    "sent_time": "2026-03-02T02:41:00Z",
    "latitude": 30, "longitude": 120.0002, "accuracy": 8.5,
    "device": "Mozilla/5.0 (Linux; Android 14)",
}


class TestPatrolPayload(BaseCase):
    """What the phone posts, checked without a database: what passes, what is refused with
    which code, at the boundaries."""

    def assertRefused(self, payload, code="bad_request", text=None):
        with self.assertRaises(PatrolScanError) as caught:
            payloads.parse_scan(payload)
        self.assertEqual(caught.exception.code, code)
        message = str(caught.exception.message)
        self.assertTrue(message)
        if text:
            self.assertIn(text, message)
        return message

    def test_good_scan(self):
        scan = payloads.parse_scan(GOOD)
        self.assertIsInstance(scan, ScanPayload)
        self.assertEqual((scan.round_id, scan.token, scan.client_id), (42, GOOD["token"], GOOD["client_id"]))
        # naive UTC, to the second
        self.assertEqual(scan.device_time, datetime(2026, 3, 2, 2, 5, 13))
        self.assertEqual(scan.sent_time, datetime(2026, 3, 2, 2, 41, 0))
        self.assertEqual((scan.latitude, scan.longitude, scan.accuracy), (30.0, 120.0002, 8.5))
        self.assertIsInstance(scan.latitude, float)
        self.assertTrue(scan.has_position)
        self.assertEqual(scan.device, GOOD["device"])
        self.assertIs(payloads.as_scan(scan), scan, "a checked scan is not checked again")
        self.assertEqual(payloads.as_scan(dict(GOOD)), scan)

    def test_optional_fields(self):
        scan = payloads.parse_scan({
            "round_id": 1, "token": "x", "client_id": "abcdefgh", "device_time": "2026-03-02T02:05:13Z",
            "sent_time": None, "latitude": None, "longitude": None, "accuracy": None, "device": "",
        })
        self.assertEqual((scan.sent_time, scan.latitude, scan.longitude, scan.accuracy, scan.device),
                         (None, None, None, None, None))
        self.assertFalse(scan.has_position)
        minimal = payloads.parse_scan({k: GOOD[k] for k in payloads.REQUIRED_FIELDS})
        self.assertFalse(minimal.has_position)

    def test_shape(self):
        self.assertRefused("not an object", text="JSON object")
        self.assertRefused(["a", "list"])
        self.assertRefused(None)
        self.assertRefused(dict(GOOD, extra="field", other=1), text="Unknown fields: extra, other.")
        # the names of unknown fields are bounded in the message
        message = self.assertRefused({**GOOD, **{f"{i:02d}" + "x" * 1000: 1 for i in range(50)}})
        self.assertLess(len(message), 600)
        for name in payloads.REQUIRED_FIELDS:
            with self.subTest(missing=name):
                self.assertRefused({k: v for k, v in GOOD.items() if k != name},
                                   text=f"The field {name} is required.")
                self.assertRefused(dict(GOOD, **{name: ""}), text=f"The field {name} is required.")
                self.assertRefused(dict(GOOD, **{name: None}))

    def test_types(self):
        for name, value in (("round_id", "12"), ("round_id", True), ("round_id", 1.5), ("token", ["x"]),
                            ("client_id", 12345678), ("device_time", 1772416000), ("sent_time", 1),
                            ("latitude", "30"), ("longitude", False), ("accuracy", [8]), ("device", {})):
            with self.subTest(field=name, value=value):
                self.assertRefused(dict(GOOD, **{name: value}), text=f"The field {name} has the wrong type.")

    def test_client_id(self):
        for client_id in ("abcdefgh", "A" * 64, "0-1-2-3-4"):
            self.assertEqual(payloads.parse_scan(dict(GOOD, client_id=client_id)).client_id, client_id)
        for client_id in ("abcdefg", "A" * 65, "bad id with spaces", "ab_cdefgh", "abcdefgh\n", "abcdéfgh"):
            with self.subTest(client_id=client_id):
                self.assertRefused(dict(GOOD, client_id=client_id), text="client id")

    def test_times(self):
        parse = payloads.parse_time
        self.assertEqual(parse("2026-03-02T02:05:13Z"), datetime(2026, 3, 2, 2, 5, 13))
        self.assertEqual(parse("2026-03-01T20:05:13-06:00"), datetime(2026, 3, 2, 2, 5, 13))
        for value in ("yesterday", "2026-03-02T02:05:00", "2026-03-02", "", None, 1772416000,
                      "2026-03-02T02:05:13Z" + " " * 21, "2026-02-30T02:05:13Z",
                      # valid dates whose offset takes them out of the calendar
                      "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00"):
            with self.subTest(value=value):
                self.assertIsNone(parse(value))
        self.assertRefused(dict(GOOD, device_time="0001-01-01T00:00:00+14:00"), text="device time")
        self.assertRefused(dict(GOOD, device_time="2026-03-02T02:05:00"), text="device time")
        self.assertRefused(dict(GOOD, sent_time="soon"), text="sent time")
        self.assertRefused(dict(GOOD, sent_time="9999-12-31T23:59:59-14:00"), text="sent time")

    def test_position(self):
        for lat, lon in ((90, 180), (-90, -180), (0, 0)):
            scan = payloads.parse_scan(dict(GOOD, latitude=lat, longitude=lon))
            self.assertEqual((scan.latitude, scan.longitude), (lat, lon))
        for lat, lon in ((90.0001, 0), (-90.0001, 0), (0, 180.0001), (0, -180.0001), (95.0, 120),
                         (float("nan"), 120), (30, float("inf")), (float("-inf"), 120)):
            with self.subTest(latitude=lat, longitude=lon):
                self.assertRefused(dict(GOOD, latitude=lat, longitude=lon), text="position is out of range")
        self.assertRefused(dict(GOOD, latitude=None), text="go together")
        self.assertRefused(dict(GOOD, longitude=None), text="go together")
        for accuracy in (0, 100000):
            self.assertEqual(payloads.parse_scan(dict(GOOD, accuracy=accuracy)).accuracy, accuracy)
        for accuracy in (-1, -0.001, 100000.5, float("nan"), float("inf")):
            with self.subTest(accuracy=accuracy):
                self.assertRefused(dict(GOOD, accuracy=accuracy), text="accuracy")

    def test_device(self):
        self.assertEqual(payloads.parse_scan(dict(GOOD, device="x" * 128)).device, "x" * 128)
        self.assertRefused(dict(GOOD, device="x" * 129), text="too long")
        # what PostgreSQL cannot store (NUL) or UTF-8 cannot encode (a lone surrogate, valid JSON)
        for device in ("phone\x00", "\ud800", "line\nbreak", "tab\t"):
            with self.subTest(device=device):
                self.assertRefused(dict(GOOD, device=device), text="printable")
        self.assertEqual(payloads.parse_scan(dict(GOOD, device="华为 Mate 60")).device, "华为 Mate 60")

    def test_round_id(self):
        self.assertEqual(payloads.parse_scan(dict(GOOD, round_id=2**31 - 1)).round_id, 2**31 - 1)
        for round_id in (0, -1, 2**31, 10**30):
            with self.subTest(round_id=round_id):
                self.assertRefused(dict(GOOD, round_id=round_id), "round_unknown", "does not exist")

    def test_error_translated_with_the_env(self):
        error = PatrolScanError("bad_request", "already a text")
        self.assertEqual(error.translated(None), "already a text")
        with self.assertRaises(PatrolScanError) as caught:
            payloads.parse_scan({})
        asked = []

        class Env:
            def _(self, source):
                asked.append(source)
                return "translated"

        # the message stays lazy until it is rendered in the language of who reads it
        self.assertEqual(caught.exception.translated(Env()), "translated")
        self.assertIsInstance(asked[0], LazyGettext)
