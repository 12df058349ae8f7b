from datetime import datetime, timedelta

import pytz
from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common_patrol import T0, PatrolCase, iso


@tagged("post_install", "-at_install")
class TestPatrolRounds(PatrolCase):
    def _schedule(self, **values):
        return self.env["safety.patrol.schedule"].create({
            "name": "Night",
            "company_id": self.school_a.id,
            "route_id": self.route_a.id,
            "start_times": "23:30",
            "duration": 60,
            "grace_minutes": 10,
            "tz": "Asia/Shanghai",
            "days_ahead": 2,
            "guard_ids": [Command.set(self.user_guard_a.ids)],
            **values,
        })

    @freeze_time(T0)  # Monday 10:00 in Shanghai
    def test_generation_across_midnight(self):
        schedule = self._schedule(sat=True, sun=True)
        rounds = schedule._generate_rounds().sorted("planned_start")
        # Monday, Tuesday, Wednesday 23:30 (days_ahead = 2); Sunday's round is over
        self.assertEqual(len(rounds), 3)
        tz = pytz.timezone("Asia/Shanghai")
        first = rounds[0]
        self.assertEqual(first.planned_start, datetime(2026, 3, 2, 15, 30))
        self.assertEqual(first.planned_end, datetime(2026, 3, 2, 16, 30))
        local_start = pytz.utc.localize(first.planned_start).astimezone(tz)
        local_end = pytz.utc.localize(first.planned_end).astimezone(tz)
        self.assertEqual((local_start.day, local_start.hour, local_start.minute), (2, 23, 30))
        self.assertEqual((local_end.day, local_end.hour, local_end.minute), (3, 0, 30))
        self.assertEqual(first.guard_ids, self.user_guard_a)
        self.assertEqual(first.deadline, datetime(2026, 3, 2, 16, 40))
        self.assertEqual(first.name, "Route A 2026-03-02 23:30")
        # idempotent, also through the cron
        self.assertFalse(schedule._generate_rounds())
        self.env["safety.patrol.schedule"]._cron_generate_rounds()
        self.assertEqual(len(schedule.round_ids), 3)
        # a day later one more round appears
        with freeze_time(T0 + timedelta(days=1)):
            self.assertEqual(len(schedule._generate_rounds()), 1)

    @freeze_time(T0)
    def test_generation_weekdays_and_times(self):
        schedule = self._schedule(
            start_times="07:30, 12:00,18:00", mon=False, tue=True, wed=False, thu=False, fri=False,
            days_ahead=7,
        )
        rounds = schedule._generate_rounds()
        self.assertEqual(len(rounds), 3, "one Tuesday in the next week, three times")
        starts = sorted(rounds.mapped("planned_start"))
        self.assertEqual(starts[0], datetime(2026, 3, 2, 23, 30))  # Tuesday 07:30 local
        self.assertEqual(starts[2], datetime(2026, 3, 3, 10, 0))  # Tuesday 18:00 local

    def test_schedule_bad_input(self):
        for value in ("25:00", "7h30", "", "07:30;12:00"):
            with self.subTest(value=value), self.assertRaises(ValidationError):
                self._schedule(start_times=value)
        with self.assertRaises(ValidationError):
            self._schedule(guard_ids=[Command.set(self.user_staff_a.ids)])
        with self.assertRaises(ValidationError):
            self._schedule(guard_ids=[Command.set(self.user_guard_b.ids)])

    def test_key_area_plan_check(self):
        self._schedule(start_times="08:00, 12:00, 16:00")
        self.assertEqual(self.cp_gate.plan_rounds_per_day, 3)
        self.assertFalse(self.cp_gate.plan_ok)
        self.assertTrue(self.cp_hall.plan_ok, "not a key area")
        self._schedule(name="Evening", start_times="20:00, 23:00")
        self.cp_gate.invalidate_recordset()
        self.assertEqual(self.cp_gate.plan_rounds_per_day, 5)
        self.assertTrue(self.cp_gate.plan_ok)

    def _missed_activities(self, patrol):
        activity_type = self.env.ref("safety_inspection.mail_activity_patrol_missed")
        return patrol.activity_ids.filtered(lambda a: a.activity_type_id == activity_type)

    def test_missed_then_late_sync(self):
        with freeze_time(T0 + timedelta(minutes=70)):
            self.env["safety.patrol.round"]._cron_close_rounds()
            self.assertEqual(self.round_a.state, "planned", "still in the grace period")
        with freeze_time(T0 + timedelta(minutes=80)):
            closed = self.env["safety.patrol.round"]._cron_close_rounds()
            self.assertIn(self.round_a, closed)
            self.assertEqual(self.round_a.state, "missed")
            self.assertTrue(self.round_a.missed_alert)
            activity = self._missed_activities(self.round_a)
            self.assertEqual(activity.user_id, self.user_officer_a)
            self.assertTrue(self.env["mail.mail"].search(
                [("subject", "=", f"Patrol round missed: {self.round_a.name}")]))
            # running again raises no second alert
            self.env["safety.patrol.round"]._cron_close_rounds()
            self.assertEqual(len(self._missed_activities(self.round_a)), 1)
        with freeze_time(T0 + timedelta(hours=3)):
            # the phone comes back online: scans taken in the window arrive
            self.assertEqual(self.receive(self.payload(
                self.cp_gate, minutes=50, sent_time=iso(T0 + timedelta(hours=3))))["flags"], [])
            self.assertEqual(self.round_a.state, "incomplete")
            self.assertFalse(self.round_a.missed_alert)
            self.assertFalse(self._missed_activities(self.round_a))
            self.assertIn("withdrawn", self.round_a.message_ids[0].body)
            self.receive(self.payload(self.cp_hall, minutes=55))
            self.receive(self.payload(self.cp_yard, minutes=60))
            self.assertEqual(self.round_a.state, "completed")
            # taken after the window (by the phone's time): refused
            self.assertEqual(self.receive(self.payload(minutes=90))["error"], "outside_window")

    def test_late_scan_within_tolerance(self):
        with freeze_time(T0 + timedelta(minutes=80)):
            self.env["safety.patrol.round"]._cron_close_rounds()
        with freeze_time(T0 + timedelta(hours=2)):
            # two minutes after the grace period by the phone's clock: inside the 5-minute tolerance
            result = self.receive(self.payload(minutes=77))
            self.assertTrue(result["ok"], result)
            self.assertEqual(self.round_a.state, "incomplete")

    @freeze_time(T0 + timedelta(minutes=20))
    def test_guard_start_and_finish(self):
        patrol = self.round_a.with_user(self.user_guard_a)
        patrol.action_start()
        self.assertEqual((self.round_a.state, self.round_a.started_by_id),
                         ("in_progress", self.user_guard_a))
        self.receive(self.payload(minutes=19))
        with self.assertRaises(UserError):
            patrol.action_finish()
        with self.assertRaises(UserError):
            patrol.action_finish("   ")
        self.assertEqual(patrol.action_finish("Rain, hall locked"), "incomplete")
        self.assertEqual(self.round_a.incomplete_reason, "Rain, hall locked")
        with self.assertRaises(UserError):
            patrol.action_finish("again")

    def test_round_not_open_yet(self):
        with freeze_time(T0 - timedelta(hours=1)), self.assertRaises(UserError):
            self.round_a.with_user(self.user_guard_a).action_start()
