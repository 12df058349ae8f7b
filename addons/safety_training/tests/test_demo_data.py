from datetime import timedelta

from odoo import fields
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestTrainingDemoData(TransactionCase):
    """The demo drills went through the real completion: the problem is in the ledger."""

    def setUp(self):
        super().setUp()
        if not self.env.ref("safety_training.drill_primary_fire_demo", raise_if_not_found=False):
            self.skipTest("database installed without demo data")
        self.today = fields.Date.today()

    def test_demo_drills_and_trainings(self):
        fire = self.env.ref("safety_training.drill_primary_fire_demo")
        self.assertEqual(fire.state, "done")
        hazard = fire.problem_ids.hazard_id
        self.assertEqual(len(hazard), 1)
        self.assertEqual((hazard.source, hazard.source_ref, hazard.company_id), ("drill", fire, fire.company_id))
        self.assertEqual(self.env.ref("safety_training.drill_primary_planned_demo").state, "planned")
        trainings = self.env.ref("safety_training.training_primary_fire_demo") | self.env.ref(
            "safety_training.training_junior_evacuation_demo"
        )
        self.assertEqual(set(trainings.mapped("state")), {"done"})
        rows = self.env["safety.drill.compliance"].search(
            [("company_id", "=", self.env.ref("school_safety.school_kindergarten_demo").id)]
        )
        self.assertTrue(rows)
        self.assertEqual(set(rows.mapped("period")), {"quarter"})

    def test_drills_on_the_timeline(self):
        schools = self.env["res.company"].search(
            [("safety_bureau_id", "=", self.env.ref("base.main_company").id)]
        )
        done = self.env["safety.drill"].search([("company_id", "in", schools.ids), ("state", "=", "done")])
        # every school held a drill in the last six weeks, the monthly ones in the last four
        recent = done.filtered(lambda d: d.date_actual.date() >= self.today - timedelta(days=42))
        self.assertEqual(recent.company_id, schools)
        monthly = schools.filtered(lambda s: s.safety_school_type != "kindergarten")
        last_month = done.filtered(lambda d: d.date_actual.date() >= self.today - timedelta(days=28))
        self.assertFalse(monthly - last_month.company_id)
        self.assertTrue(all(drill.date_actual < fields.Datetime.now() for drill in done))
        # the boarding school drilled its dormitories at night, without notice
        night = self.env.ref("safety_training.drill_junior_night_fire_demo")
        self.assertEqual((night.state, night.no_notice), ("done", True))
        # coming up: the primary school's stampede drill and its first-aid training
        planned = self.env.ref("safety_training.drill_primary_planned_demo")
        self.assertGreater(planned.date_planned, self.today)
        first_aid = self.env.ref("safety_training.training_primary_first_aid_demo")
        self.assertEqual(first_aid.state, "draft")
        self.assertGreater(first_aid.date, self.today)
        trainings = self.env["safety.training"].search([("company_id", "in", schools.ids), ("state", "=", "done")])
        self.assertEqual(trainings.company_id, schools)

    def test_drill_problem_rectified_and_closed(self):
        hazard = self.env.ref("safety_training.safety_hazard_drill_stairs_demo")
        fire = self.env.ref("safety_training.drill_primary_fire_demo")
        self.assertEqual(hazard, fire.problem_ids.hazard_id)
        self.assertEqual(hazard.state, "closed")
        self.assertEqual(hazard.found_date, fire.date_actual.date())
        self.assertTrue(hazard.found_date <= hazard.notice_date < self.today)
        self.assertEqual(hazard.review_ids.mapped("status"), ["approved"])
        self.assertEqual(hazard.review_ids.done_by, self.env.ref("school_safety.user_principal_demo"))
        # the officer's next drill (after the rectification) found the stairs clear
        self.assertGreater(
            self.env.ref("safety_training.drill_primary_earthquake_demo").date_actual.date(), hazard.deadline
        )

    def test_demo_training_records(self):
        """Most staff qualified, one school's fire safety about to lapse, a few missing, the
        guards trained by the bureau (one failed), a cook's health certificate expired."""
        Compliance = self.env["safety.training.compliance"]
        states = dict(Compliance._read_group([], ["state"], ["__count"]))
        total = sum(states.values())
        self.assertGreater(states["valid"], 0.75 * total)
        self.assertTrue(states.get("expiring") and states.get("missing") and states.get("expired"))
        self.assertLess(states["missing"] + states["expired"], 0.1 * total)
        guard_duty = self.env.ref("safety_training.course_guard_duty")
        guards = Compliance.search([("course_id", "=", guard_duty.id)])
        self.assertEqual(len(guards), 11)
        self.assertEqual(guards.filtered(lambda r: r.state != "valid").employee_id,
                         self.env.ref("school_safety.employee_junior_guard_3_demo"), "failed the bureau's test")
        bureau_session = self.env.ref("safety_training.training_bureau_guard_demo")
        self.assertTrue(bureau_session.is_bureau_wide)
        self.assertEqual(bureau_session.state, "done")
        self.assertEqual(len(bureau_session.attendance_ids.company_id), 4)
        junior_fire = Compliance.search([
            ("company_id", "=", self.env.ref("school_safety.school_junior_demo").id),
            ("course_id", "=", self.env.ref("safety_training.course_fire_safety").id)])
        self.assertEqual(set(junior_fire.mapped("state")), {"expiring"})
        cook = self.env.ref("school_safety.employee_kindergarten_logistics_1_demo")
        health = Compliance.search([("employee_id", "=", cook.id),
                                    ("course_id", "=", self.env.ref("safety_training.course_health_certificate").id)])
        self.assertEqual(health.state, "expired")
        # 张伟 (login "staff") is reminded of his drowning-prevention training, and so is the officer
        teacher = self.env.ref("school_safety.employee_primary_teacher_1_demo")
        reminders = self.env["mail.activity"].search([("res_model", "=", "hr.employee"), ("res_id", "=", teacher.id)])
        self.assertEqual(reminders.user_id, self.env.ref("school_safety.user_staff_demo")
                         | self.env.ref("school_safety.user_officer_demo"))
        self.assertRegex(reminders[0].summary, r"[\u4e00-\u9fff]")
        first_aid = self.env.ref("safety_training.training_primary_first_aid_demo")
        self.assertEqual(first_aid.course_id, self.env.ref("safety_training.course_first_aid"))
