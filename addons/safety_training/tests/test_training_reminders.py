from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from .common import SafetyTrainingCase


@tagged("post_install", "-at_install")
class TestTrainingReminders(SafetyTrainingCase):
    """The daily job: before expiry the employee and the officer are told, the officer for what
    is missing or expired; run again, it tells nobody twice; a renewed course closes them."""

    def _reminders(self, employees=None):
        return self.env["mail.activity"].search([
            ("activity_type_id", "=", self.env.ref("safety_training.mail_activity_type_training_renewal").id),
            ("res_model", "=", "hr.employee"), ("res_id", "in", (employees or self.staff_a).ids),
        ])

    def _by_key(self, activities):
        return {
            (self.env["hr.employee"].browse(a.res_id), a.user_id, a.safety_training_course_id): a.date_deadline
            for a in activities
        }

    def test_reminders_run_twice(self):
        Compliance = self.env["safety.training.compliance"]
        # teacher A: fire safety expiring on 2026-06-20; guard A: fire safety expired
        self._certificate(self.employee_staff_a, issued=date(2025, 6, 20))
        self._certificate(self.employee_guard_a, issued=date(2025, 5, 1))
        # everything else of school A valid, to keep the count readable
        for employee in self.staff_a:
            self._certificate(employee, "evacuation_guiding", issued=date(2026, 5, 1))
        self._certificate(self.employee_staff_a, "drowning_prevention", issued=date(2026, 5, 1))
        officer = self.user_officer_a
        with freeze_time("2026-06-01"):
            first = Compliance._cron_remind(today=date(2026, 6, 1))
            reminders = self._reminders()
            fire = self._course()
            self.assertEqual(self._by_key(reminders), {
                (self.employee_staff_a, self.user_staff_a, fire): date(2026, 6, 20),
                (self.employee_staff_a, officer, fire): date(2026, 6, 20),
                (self.employee_guard_a, officer, fire): date(2026, 6, 1),
                (self.employee_guard_a, officer, self._course("guard_duty")): date(2026, 6, 1),
                (self.employee_principal_a, officer, fire): date(2026, 6, 1),
                (self.employee_officer_a, officer, fire): date(2026, 6, 1),
            })
            mine = reminders.filtered(lambda a: a.user_id == self.user_staff_a)
            self.assertIn("Your Fire Safety training expires on 2026-06-20", mine.summary)
            expired = reminders.filtered(lambda a: a.res_id == self.employee_guard_a.id
                                         and a.safety_training_course_id == fire)
            self.assertIn("expired on 2026-05-01", expired.summary)
            missing = reminders.filtered(lambda a: a.res_id == self.employee_guard_a.id
                                         and a.safety_training_course_id == self._course("guard_duty"))
            self.assertIn("Security Guard Duty missing", missing.summary)
            # school B: no officer, its principal is told
            self.assertTrue(self._reminders(self.employee_guard_b).filtered(
                lambda a: a.user_id == self.user_principal_b))
            second = Compliance._cron_remind(today=date(2026, 6, 1))
            self.assertEqual(self._reminders(), reminders, "nobody told twice")
            self.assertEqual(second["created"], 0)
            school_b = self._reminders(self.employee_guard_b | self.employee_principal_b)
            self.assertEqual(len(school_b), 5, "fire and evacuation of both, guard duty of the guard")
            self.assertGreaterEqual(first["created"], len(reminders) + len(school_b))
        # the teacher attends the session: their two reminders are closed the next day
        with freeze_time("2026-06-05"):
            self._training(attendees=self.employee_staff_a, date=date(2026, 6, 3)).action_done()
            third = Compliance._cron_remind(today=date(2026, 6, 5))
            self.assertGreaterEqual(third["closed"], 2)
            self.assertFalse(self._reminders(self.employee_staff_a))
            done = self.env["mail.activity"].with_context(active_test=False).search([
                ("res_model", "=", "hr.employee"), ("res_id", "=", self.employee_staff_a.id),
                ("active", "=", False)])
            self.assertEqual(len(done), 2, "marked done, kept in the chatter")
            self.assertEqual(len(self._reminders()), len(reminders) - 2)
            self.assertEqual(Compliance._cron_remind(today=date(2026, 6, 5))["created"], 0)

    def test_the_cron_is_scheduled(self):
        cron = self.env.ref("safety_training.ir_cron_safety_training_remind")
        self.assertTrue(cron.active)
        self.assertEqual((cron.interval_number, cron.interval_type), (1, "days"))
        self.assertEqual(cron.model_id.model, "safety.training.compliance")
