from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .common import SafetyTrainingCase


@tagged("post_install", "-at_install")
class TestTrainingCompliance(SafetyTrainingCase):
    """Who must hold what (requirements by role, job position and school type) and the state
    of each required course at the boundaries of its expiry and of the warning period."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # a certificate valid 12 months from 2025-06-01: its last valid day is 2026-06-01
        cls.cert = cls._certificate(cls.employee_staff_a, issued=date(2025, 6, 1))

    def _state(self, employee=None, course="fire_safety"):
        self.env.invalidate_all()
        row = self.env["safety.training.compliance"].search([
            ("employee_id", "=", (employee or self.employee_staff_a).id),
            ("course_id", "=", self._course(course).id),
        ])
        self.assertLessEqual(len(row), 1)
        return row.state or None

    def test_certificate_expiry_from_the_course(self):
        self.assertEqual(self.cert.expiry_date, date(2026, 6, 1))
        other = self._certificate(self.employee_guard_a, "other", issued=date(2020, 1, 1))
        self.assertFalse(other.expiry_date, "a course without validity never expires")
        with freeze_time("2040-01-01"):
            self.assertEqual(other.state, "valid")

    def test_states_at_the_boundaries(self):
        Certificate = self.env["safety.training.certificate"]
        for day, state in (
            ("2026-05-01", "valid"),      # 31 days left
            ("2026-05-02", "expiring"),   # 30 days left: the warning period starts
            ("2026-06-01", "expiring"),   # its last valid day
            ("2026-06-02", "expired"),
        ):
            with self.subTest(day=day), freeze_time(day):
                self.assertEqual(self._state(), state)
                self.env.invalidate_all()
                self.assertEqual(self.cert.state, state)
                self.assertEqual(Certificate.search([("id", "=", self.cert.id), ("state", "=", state)]), self.cert)
                self.assertFalse(Certificate.search([("id", "=", self.cert.id), ("state", "!=", state)]))
        with freeze_time("2025-05-31"):  # not issued yet on that day
            self.assertEqual(self._state(), "missing")
        with freeze_time("2026-05-20"):
            self.assertEqual(self._state(self.employee_guard_a), "missing")
            row = self.env["safety.training.compliance"].search([
                ("employee_id", "=", self.employee_staff_a.id), ("course_id", "=", self._course().id)])
            self.assertEqual((row.expiry_date, row.issue_date, row.days_left), (date(2026, 6, 1), date(2025, 6, 1), 12))

    def test_warning_period_is_configurable(self):
        self.env["ir.config_parameter"].set_param("safety_training.expiry_warning_days", "10")
        with freeze_time("2026-05-22"):  # 10 days left
            self.assertEqual(self._state(), "expiring")
        with freeze_time("2026-05-21"):
            self.assertEqual(self._state(), "valid")

    def test_the_latest_certificate_counts(self):
        with freeze_time("2026-06-10"):
            self.assertEqual(self._state(), "expired")
            self._certificate(self.employee_staff_a, issued=date(2026, 6, 5))
            self.assertEqual(self._state(), "valid")
            self._certificate(self.employee_staff_a, "other", issued=date(2026, 6, 5))
            self.assertEqual(self._state(), "valid", "another course's certificate counts for nothing here")

    @freeze_time("2026-06-01")
    def test_requirements_by_role_position_and_school_type(self):
        Requirement = self.env["safety.training.requirement"]
        job = self.env["hr.job"].create({"name": "Science Teacher"})
        lab = self.env["hr.employee"].create({
            "name": "Lab Teacher A", "company_id": self.school_a.id, "safety_position": "teacher", "job_id": job.id,
        })
        cook_k = self.env["hr.employee"].create({
            "name": "Cook K", "company_id": self.kindergarten.id, "safety_position": "logistics",
            "safety_canteen": True,
        })
        Requirement.create([
            {"course_id": self._course("lab_chemicals").id, "safety_role": "all", "job_id": job.id},
            {"course_id": self._course("first_aid").id, "safety_role": "class_teacher", "school_type": "kindergarten"},
        ])
        teacher_k = self.env["hr.employee"].create({
            "name": "Class Teacher K", "company_id": self.kindergarten.id, "safety_position": "class_teacher",
        })
        required = {}
        for (employee, course), _state in self._compliance(
                self.staff_a | lab | cook_k | teacher_k | self.employee_guard_b | self.employee_principal_b).items():
            required.setdefault(employee, set()).add(course)
        everyone = {"fire_safety", "evacuation_guiding"}
        self.assertEqual(required[self.employee_principal_a], everyone)
        self.assertEqual(required[self.employee_staff_a], everyone | {"drowning_prevention"},
                         "class teachers of a primary school: drowning prevention")
        self.assertEqual(required[self.employee_guard_a], everyone | {"guard_duty"})
        self.assertEqual(required[self.employee_guard_b], everyone | {"guard_duty"})
        self.assertEqual(required[lab], everyone | {"lab_chemicals"}, "by job position")
        self.assertEqual(required[cook_k], everyone | {"food_safety", "health_certificate"}, "canteen staff")
        self.assertEqual(required[teacher_k], everyone | {"first_aid"},
                         "kindergarten class teachers: first aid; no drowning prevention (primary, junior only)")
        # a row of another bureau, an archived row, an archived employee: nothing
        other = self.env["res.company"].create({"name": "Other Bureau", "safety_is_bureau": True})
        Requirement.create({"course_id": self._course("traffic").id, "bureau_id": other.id})
        Requirement.search([("course_id", "=", self._course("lab_chemicals").id)]).active = False
        lab.active = False
        self.assertFalse(self._compliance(lab))
        self.assertNotIn("traffic", {course for _e, course in self._compliance(self.staff_a)})
        # the bureau's own row applies to its schools
        Requirement.create({"course_id": self._course("traffic").id, "bureau_id": self.bureau.id,
                            "safety_role": "guard"})
        self.assertEqual(self._compliance(self.employee_guard_a, "traffic"),
                         {(self.employee_guard_a, "traffic"): "missing"})
        # bureau staff are no school's staff
        bureau_staff = self.env["hr.employee"].create({"name": "Bureau Clerk", "company_id": self.bureau.id,
                                                       "safety_position": "bureau"})
        self.assertFalse(self._compliance(bureau_staff))

    @freeze_time("2026-06-01")
    def test_report_groups_by_school_and_state(self):
        self._training(attendees=self.staff_a, date=date(2026, 5, 1)).action_done()
        Compliance = self.env["safety.training.compliance"].with_user(self.user_inspector)
        groups = dict(
            ((company, state), count) for company, state, count in Compliance._read_group(
                [("company_id", "=", self.school_a.id)], ["company_id", "state"], ["__count"])
        )
        # 4 staff hold fire safety; evacuation for all 4, drowning (teacher) and guard duty are missing
        self.assertEqual(groups, {(self.school_a, "valid"): 4, (self.school_a, "missing"): 6})
        totals = Compliance._read_group([("company_id", "=", self.school_a.id)], [],
                                        ["is_valid:sum", "is_missing:sum", "days_left:min"])
        self.assertEqual(totals[0][:2], (4, 6))

    def test_bureau_wide_session(self):
        with freeze_time("2026-06-01"):
            Training = self.env["safety.training"].with_user(self.user_manager)
            training = Training.create({
                "name": "District guard training", "company_id": self.bureau.id,
                "course_id": self._course("guard_duty").id, "date": date(2026, 5, 20),
            })
            self.assertTrue(training.is_bureau_wide)
            training.action_add_required_staff()
            self.assertEqual(training.attendance_ids.employee_id, self.employee_guard_a | self.employee_guard_b)
            self.assertEqual(training.attendance_ids.company_id, self.school_a | self.school_b,
                             "each attendance belongs to the attendee's school")
            training.attendance_ids.write({"status": "present", "score": 80})
            training.action_done()
            self.assertEqual(training.certificate_ids.employee_id, self.employee_guard_a | self.employee_guard_b)
            self.assertEqual(self._state(self.employee_guard_a, "guard_duty"), "valid")
            self.assertEqual(self._state(self.employee_guard_b, "guard_duty"), "valid")
            # a bureau session takes staff of the bureau's schools, not of another bureau's
            other_bureau = self.env["res.company"].create({"name": "Other Bureau", "safety_is_bureau": True})
            other_school = self.env["res.company"].create({
                "name": "Other School", "parent_id": other_bureau.id, "safety_school_type": "primary"})
            stranger = self.env["hr.employee"].create({"name": "Stranger", "company_id": other_school.id})
            draft = self._training(self.bureau, course_id=self._course("guard_duty").id,
                                   attendees=self.employee_guard_a)
            with self.assertRaisesRegex(Exception, "its attendees work at the bureau or at one of its schools"):
                draft.write({"attendance_ids": [Command.create({"employee_id": stranger.id})]})
