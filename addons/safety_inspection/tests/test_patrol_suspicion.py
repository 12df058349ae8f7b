from datetime import datetime, timedelta
from decimal import Decimal

from odoo.tests import BaseCase

from ..models import patrol_suspicion as rules
from ..models.patrol_suspicion import Position, PreviousScan

T = datetime(2026, 3, 2, 2, 0, 0)
GATE = Position(30.0, 120.0)
HALL = Position(30.001, 120.0)  # 111 m north of the gate
GATE_TO_HALL = rules.distance_m(GATE, HALL)


def at(seconds):
    return T + timedelta(seconds=seconds)


def before(seconds, position=GATE, name="North Gate"):
    """The round's previous scan, ``seconds`` before T."""
    return PreviousScan(at(-seconds), position, name)


class TestPatrolSuspicion(BaseCase):
    """The suspicion rules on plain values, without a database: each one raised and not
    raised, at its boundaries and without the values it needs."""

    def assertRaised(self, reason, text=None):
        self.assertIsNotNone(reason, "the rule should have been raised")
        if text:
            self.assertEqual(str(reason), text)

    def test_distance(self):
        self.assertAlmostEqual(GATE_TO_HALL, 111.19, places=1)
        self.assertAlmostEqual(rules.distance_m(Position(0, 0), Position(0, 1)), 111195, delta=1)
        self.assertEqual(rules.distance_m(GATE, GATE), 0)
        self.assertAlmostEqual(rules.distance_m(HALL, GATE), GATE_TO_HALL)

    def test_located(self):
        self.assertIsNone(rules.located(0.0, 0.0), "a checkpoint without a position")
        self.assertIsNone(rules.located(None, False))
        self.assertEqual(rules.located(Decimal("30.0010000"), Decimal(120)), HALL)
        self.assertEqual(rules.located(0.0, 120.0), Position(0.0, 120.0))

    def test_geofence(self):
        self.assertIsNone(rules.geofence(GATE, 8, GATE, 30), "at the checkpoint")
        self.assertRaised(rules.geofence(HALL, 0, GATE, 30), "111 m from the checkpoint (radius 30 m).")
        # the boundary: radius + accuracy exactly the distance is inside
        self.assertIsNone(rules.geofence(HALL, 0, GATE, GATE_TO_HALL))
        self.assertRaised(rules.geofence(HALL, 0, GATE, GATE_TO_HALL - 0.01))
        self.assertIsNone(rules.geofence(HALL, 11.2, GATE, 100))
        self.assertRaised(rules.geofence(HALL, 11.1, GATE, 100))
        # accuracy widens the fence only up to the radius
        self.assertRaised(rules.geofence(HALL, 500, GATE, 30))
        self.assertIsNone(rules.geofence(HALL, 500, GATE, 60))
        # missing values: not judged, or no widening
        self.assertIsNone(rules.geofence(None, 8, GATE, 30), "no position sent")
        self.assertIsNone(rules.geofence(HALL, 8, None, 30), "a checkpoint without a position")
        self.assertRaised(rules.geofence(HALL, None, GATE, 100))
        self.assertRaised(rules.geofence(GATE, 8, HALL, None))  # no radius: the exact point

    def test_travel(self):
        # 111 m in 10 s, faster than a running guard (7 m/s)
        self.assertRaised(rules.travel(HALL, T, before(10), 30, 7.0),
                          "111 m in 10 s since North Gate.")
        self.assertIsNone(rules.travel(HALL, T, before(20), 30, 7.0), "111 m in 20 s: a walk")
        # the boundary on speed
        self.assertIsNone(rules.travel(HALL, T, before(10), 30, GATE_TO_HALL / 10 * 1.0001))
        self.assertRaised(rules.travel(HALL, T, before(10), 30, GATE_TO_HALL / 10 * 0.9999))
        # within twice the radius nothing is impossible, even at once
        self.assertIsNone(rules.travel(HALL, T, before(0), 56, 7.0))
        self.assertRaised(rules.travel(HALL, T, before(0), 55, 7.0))
        # the same second counts as one second
        self.assertIsNone(rules.travel(HALL, T, before(0), 30, 112.0))
        self.assertRaised(rules.travel(HALL, T, before(0), 30, 111.0))
        # missing values: nothing to compare
        self.assertIsNone(rules.travel(HALL, T, None, 30, 7.0), "the round's first scan")
        self.assertIsNone(rules.travel(None, T, before(1), 30, 7.0), "no position now")
        self.assertIsNone(rules.travel(HALL, T, before(1, position=None), 30, 7.0), "none before")
        self.assertRaised(rules.travel(HALL, T, before(1), None, 7.0))

    def test_gap(self):
        self.assertRaised(rules.gap(T, before(19), 20), "Only 19 s after North Gate.")
        self.assertIsNone(rules.gap(T, before(20), 20), "the boundary")
        self.assertIsNone(rules.gap(T, before(600), 20))
        self.assertRaised(rules.gap(T, before(0), 20))  # the same second
        self.assertIsNone(rules.gap(T, None, 20), "the round's first scan")
        self.assertIsNone(rules.gap(T, before(5), 0), "no minimum")

    def test_clock(self):
        now = at(3600)
        # the phone's clock at sending against the server's, either way
        self.assertIsNone(rules.clock(T, at(3300), now, 300), "the boundary")
        self.assertRaised(rules.clock(T, at(3299), now, 300), "The phone's clock is -301 s off the server's.")
        self.assertIsNone(rules.clock(T, at(3900), now, 300))
        self.assertRaised(rules.clock(T, at(3901), now, 300), "The phone's clock is 301 s off the server's.")
        # a late sync with a right clock is not suspicious, however late
        self.assertIsNone(rules.clock(at(-86400), now, now, 300))
        # without the phone's clock at sending, the scan itself must be recent
        self.assertRaised(rules.clock(T, None, now, 300),
                          "Received 3600 s after it was taken, without the phone's clock at sending.")
        self.assertIsNone(rules.clock(at(3300), None, now, 300))
        self.assertRaised(rules.clock(at(3299), None, now, 300))
        self.assertRaised(rules.clock(at(3901), None, now, 300))  # taken in the future

    def test_no_position(self):
        self.assertRaised(rules.no_position(None, True), "The phone sent no position.")
        self.assertIsNone(rules.no_position(GATE, True))
        self.assertIsNone(rules.no_position(None, False), "not required by the school")
        self.assertIsNone(rules.no_position(Position(0.0, 0.0), True), "a position, even at 0, 0")

    def test_order(self):
        self.assertRaised(rules.order(["North Gate", "Hall"]), "Scanned before North Gate, Hall.")
        self.assertRaised(rules.order(["North Gate"]), "Scanned before North Gate.")
        self.assertIsNone(rules.order([]))
        self.assertIsNone(rules.order(None))

    def test_timing(self):
        start = at(-1800)
        self.assertRaised(rules.timing(at(60), start, None, 0, 30),
                          "Scanned 31 min after the start, expected 0 to 30 min.")
        self.assertIsNone(rules.timing(T, start, None, 0, 30), "the latest minute")
        self.assertRaised(rules.timing(at(-1260), start, None, 10, 0))
        self.assertIsNone(rules.timing(at(-1200), start, None, 10, 0), "the earliest minute")
        self.assertIsNone(rules.timing(at(86400), start, None, 0, 0), "no bounds")
        self.assertIsNone(rules.timing(at(86400), start, None, None, None))
        # the round started at its first counted scan when that was earlier than its start
        self.assertRaised(rules.timing(T, at(-600), at(-1860), 0, 30))
        self.assertIsNone(rules.timing(T, at(-600), at(-1200), 15, 30), "from the first scan, 20 min")
        self.assertIsNone(rules.timing(T, at(-1200), at(-600), 15, 30), "from the start, 20 min")
        # a round not started and never scanned starts with this scan
        self.assertIsNone(rules.timing(T, None, None, 0, 30))
        self.assertRaised(rules.timing(T, None, None, 10, 30))
        self.assertRaised(rules.timing(T, None, at(-1860), 0, 30))
