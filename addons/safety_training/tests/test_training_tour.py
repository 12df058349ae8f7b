from datetime import date

from odoo.tests import HttpCase, tagged

from .common import SafetyTrainingCase


@tagged("post_install", "-at_install")
class TestTrainingTour(HttpCase, SafetyTrainingCase):
    """The safety officer takes a session's attendance on a phone."""

    browser_size = "390x844"

    def test_take_attendance_on_a_phone(self):
        training = self._training(attendees=self.env["hr.employee"], date=date(2026, 3, 1))
        training.action_add_required_staff()
        self.assertEqual(set(training.attendance_ids.mapped("status")), {"expected"})
        self.start_tour(
            f"/odoo/action-safety_training.safety_training_action/{training.id}"
            "/action-safety_training.safety_training_attendance_action_take",
            "safety_training_attendance_tour",
            login="t_officer_a",
        )
        status = {line.employee_id: line.status for line in training.attendance_ids}
        self.assertEqual(status, {
            self.employee_staff_a: "present", self.employee_guard_a: "excused",
            self.employee_principal_a: "absent", self.employee_officer_a: "present",
        })
        training.with_user(self.user_officer_a).action_done()
        self.assertEqual(training.certificate_ids.employee_id, self.employee_staff_a | self.employee_officer_a)
