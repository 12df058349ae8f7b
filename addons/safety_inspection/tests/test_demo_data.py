from datetime import datetime, time, timedelta

import pytz

from odoo import fields
from odoo.tests import TransactionCase, tagged

DEMO_TZ = pytz.timezone("Asia/Shanghai")


@tagged("post_install", "-at_install")
class TestInspectionDemoData(TransactionCase):
    """The demo's term so far went through the real steps: inspections done, hazards in every
    state, two weeks of patrols; each login finds their own work.

    Dates are relative to the day the demo was made (bin/test makes it just before).
    """

    def setUp(self):
        super().setUp()
        if not self.env.ref("safety_inspection.safety_hazard_primary_gas_demo", raise_if_not_found=False):
            self.skipTest("database installed without demo data")
        self.today = fields.Date.today()
        self.schools = self.env["res.company"].search(
            [("safety_bureau_id", "=", self.env.ref("base.main_company").id)]
        )

    def _user(self, login):
        return self.env.ref(f"school_safety.user_{login}_demo")

    def _hazard(self, key):
        return self.env.ref(f"safety_inspection.safety_hazard_{key}_demo")

    def test_inspections_done_in_each_school(self):
        done = self.env["safety.inspection"].search(
            [("company_id", "in", self.schools.ids), ("state", "=", "done")]
        )
        self.assertEqual(done.company_id, self.schools)
        self.assertEqual(len(done), 5)
        for inspection in done:
            self.assertLess(inspection.date, self.today)
            self.assertFalse(inspection.line_ids.filtered(lambda line: not line.result), "every check answered")
            failed = inspection.line_ids.filtered(lambda line: line.result == "fail")
            self.assertTrue(failed)
            # each failed check is a hazard of the ledger, found on the inspection
            self.assertEqual(failed.hazard_id, inspection.hazard_ids)
            for hazard in inspection.hazard_ids:
                self.assertEqual(hazard.source, "inspection")
                # found when the inspection was carried out (loose: whatever day it takes)
                self.assertTrue(inspection.date <= hazard.found_date <= self.today)
        upcoming = self.env["safety.inspection"].search(
            [("company_id", "in", self.schools.ids), ("state", "=", "planned")]
        )
        self.assertEqual(len(upcoming), 2)
        self.assertTrue(all(inspection.date > self.today for inspection in upcoming))

    def test_hazards_in_every_state(self):
        hazards = self.env["safety.hazard"].search(
            [("company_id", "in", self.schools.ids), ("source", "!=", "drill")]
        )
        counts = {}
        for hazard in hazards:
            counts[hazard.state] = counts.get(hazard.state, 0) + 1
        self.assertEqual(counts, {"registered": 5, "notified": 2, "rectifying": 3, "submitted": 2, "closed": 2})
        self.assertEqual(set(hazards.mapped("source")), {"inspection", "staff_report", "patrol"})
        for hazard in hazards.filtered(lambda h: h.state != "registered"):
            self.assertTrue(hazard.notice_number, hazard.name)
            # the notice was issued on its own day, after the hazard was found, not today
            self.assertTrue(hazard.found_date <= hazard.notice_date < self.today, hazard.name)
        # past their deadline: flagged by the daily job (loose on the levels it escalates to)
        overdue = hazards.filtered("is_overdue")
        self.assertEqual(set(overdue.mapped("state")), {"notified"})
        self.assertTrue(overdue)
        self.assertTrue(all(h.escalation_level >= 1 and h.deadline < self.today for h in overdue))

    def test_major_hazard_closed_by_principal_then_bureau(self):
        hazard = self._hazard("primary_gas")
        self.assertEqual((hazard.level, hazard.state), ("major", "closed"))
        self.assertTrue(hazard.contingency_plan)
        self.assertTrue(hazard.photo_after_ids and hazard.rectification_description)
        self.assertTrue(hazard.closed_date)
        reviews = hazard.review_ids.sorted("sequence")
        self.assertEqual(reviews.mapped("status"), ["approved", "approved"])
        self.assertEqual(reviews.mapped("done_by"), self._user("principal") + self._user("inspector"))
        # a general one is closed by the principal's acceptance alone
        general = self._hazard("primary_extinguisher")
        self.assertEqual((general.level, general.state), ("general", "closed"))
        self.assertEqual(general.review_ids.mapped("status"), ["approved"])

    def test_supervised_major_hazard_with_approved_extension(self):
        hazard = self._hazard("primary_gate")
        self.assertEqual((hazard.level, hazard.state, hazard.source), ("major", "rectifying", "staff_report"))
        self.assertTrue(hazard.bureau_supervised)
        self.assertEqual(hazard.inspector_id, self._user("inspector"))
        self.assertEqual(hazard.found_by_id, self._user("staff"))
        self.assertTrue(hazard.contingency_plan)
        extension = hazard.extension_ids
        self.assertEqual(len(extension), 1)
        self.assertEqual(extension.state, "approved")
        self.assertEqual(extension.requested_by_id, self._user("officer"))
        self.assertEqual(extension.approved_by_id, self._user("principal"))
        self.assertLess(extension.current_deadline, extension.new_deadline)
        self.assertEqual(hazard.deadline, extension.new_deadline)
        self.assertGreater(hazard.deadline, self.today)
        self.assertFalse(hazard.is_overdue)
        self.assertEqual(
            self.env["safety.hazard"].search(
                [("bureau_supervised", "=", True), ("company_id", "in", self.schools.ids)]
            ),
            hazard,
        )

    def test_patrol_rounds_of_the_last_two_weeks(self):
        day = datetime.combine(self.today - timedelta(days=14), time(0, 0))
        since = DEMO_TZ.localize(day).astimezone(pytz.utc).replace(tzinfo=None)
        Round = self.env["safety.patrol.round"]
        schedule = self.env.ref("safety_inspection.patrol_schedule_daily_demo")
        rounds = Round.search([("schedule_id", "=", schedule.id), ("planned_start", ">=", since)])
        closed = rounds.filtered(lambda r: r.state in ("completed", "incomplete", "missed"))
        counts = {
            state: len(closed.filtered(lambda r, s=state: r.state == s)) for state in ("incomplete", "missed")
        }
        self.assertEqual(counts, {"incomplete": 3, "missed": 2})
        self.assertGreaterEqual(len(closed.filtered(lambda r: r.state == "completed")), 64)
        for patrol in closed.filtered(lambda r: r.state == "missed"):
            self.assertTrue(patrol.missed_alert)
            self.assertFalse(patrol.scan_ids)
        # scans received at their own time, over two weeks
        scans = rounds.scan_ids
        self.assertGreater(len({scan.server_time.date() for scan in scans}), 12)
        self.assertTrue(all(scan.server_time >= scan.device_time - timedelta(minutes=11) for scan in scans))
        # one phone synchronised late: its round is completed, its missed alert withdrawn
        late = scans.filtered(lambda s: s.server_time > s.round_id.deadline)
        self.assertTrue(late)
        self.assertEqual(set(late.round_id.mapped("state")), {"completed"})
        self.assertFalse(late.round_id.missed_alert)
        # flagged scans: two reviewed by the officer, three waiting
        flagged = scans.filtered("flagged")
        pending = flagged.filtered(lambda s: s.review_state == "pending")
        self.assertEqual(len(pending), 3)
        for flag in ("flag_geofence", "flag_gap", "flag_clock"):
            self.assertEqual(len(pending.filtered(flag)), 1, flag)
        decided = flagged - pending
        self.assertEqual(sorted(decided.mapped("review_state")), ["accepted", "rejected"])
        self.assertEqual(decided.reviewed_by_id, self._user("officer"))
        self.assertEqual(decided.filtered(lambda s: s.review_state == "rejected").round_id.state, "incomplete")

    def test_each_login_finds_their_work(self):
        Hazard = self.env["safety.hazard"]
        # the principal: an acceptance and an extension to decide
        principal = self._user("principal")
        to_accept = Hazard.with_user(principal).search([("can_review", "=", True)])
        self.assertEqual(to_accept, self._hazard("primary_camera"))
        requests = self.env["safety.hazard.extension"].with_user(principal).search([("state", "=", "requested")])
        self.assertEqual(requests.hazard_id, self._hazard("primary_socket"))
        requests._check_approver()  # theirs to decide
        # the bureau inspector: the major hazard the principal accepted, waiting for the bureau
        to_accept = Hazard.with_user(self._user("inspector")).search([("can_review", "=", True)])
        self.assertEqual(to_accept, self._hazard("primary_railing"))
        self.assertEqual(to_accept.level, "major")
        # the officer: open hazards to follow, one overdue, flagged scans to review
        officer = self._user("officer")
        open_hazards = Hazard.with_user(officer).search([("state", "!=", "closed")])
        self.assertEqual(open_hazards.company_id, self.env.ref("school_safety.school_primary_demo"))
        self.assertGreaterEqual(len(open_hazards), 6)
        self.assertTrue(open_hazards.filtered(lambda h: h.is_overdue and h.owner_id == officer))
        self.assertTrue(open_hazards.filtered(lambda h: h.state == "registered"), "six fixed to set")
        scans = self.env["safety.patrol.scan"].with_user(officer).search([("review_state", "=", "pending")])
        self.assertEqual(len(scans), 3)
        # the staff member: the rectification he owns (and the hazard he reported), nothing else
        staff = self._user("staff")
        mine = Hazard.with_user(staff).search([])
        self.assertEqual(mine, self._hazard("primary_socket") | self._hazard("primary_gate"))
        self.assertEqual(self._hazard("primary_socket").owner_id, staff)
        self.assertEqual(self._hazard("primary_socket").state, "rectifying")
        # the guard: today's rounds still to walk on the phone screen
        rounds = self.env["safety.patrol.round"].with_user(self._user("guard")).patrol_screen_data()
        self.assertTrue([r for r in rounds if r["state"] in ("planned", "in_progress") and not r["finished"]])
        # the second principal: their school's hazards only, in several states
        junior = Hazard.with_user(self._user("principal2")).search([])
        self.assertEqual(junior.company_id, self.env.ref("school_safety.school_junior_demo"))
        self.assertEqual(set(junior.mapped("state")), {"registered", "notified", "rectifying"})
        # finance: the schools' hazards with what they cost
        costs = Hazard.with_user(self._user("finance")).search([("funding_actual", ">", 0)])
        self.assertTrue(costs)
        self.assertTrue(all(h.state in ("submitted", "closed") for h in costs))
