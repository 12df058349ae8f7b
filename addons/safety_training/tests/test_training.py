from datetime import date

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import Form, tagged, users

from .common import SafetyTrainingCase


@tagged("post_install", "-at_install")
@freeze_time("2026-06-01 09:00:00")
class TestTraining(SafetyTrainingCase):
    """Sessions, their attendance and the certificates they give."""

    def test_done_needs_an_attendee(self):
        training = self._training(attendees=self.env["hr.employee"])
        with self.assertRaisesRegex(UserError, "at least one attendee"):
            training.action_done()
        self.assertEqual(training.state, "draft")
        training.external_count = 4  # outside staff only is an attendance too
        training.action_done()
        self.assertEqual(training.state, "done")
        self.assertEqual(training.attendee_count, 4)
        self.assertFalse(training.certificate_ids)
        with self.assertRaisesRegex(UserError, "already done"):
            training.action_done()
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            training.unlink()
        with self.assertRaisesRegex(UserError, "can no longer change"):
            training.with_user(self.user_officer_a).state = "draft"
        with self.assertRaisesRegex(UserError, "can no longer change"):
            training.state = "draft"
        # a done training is not reset either (it was, and could then be deleted)
        self.assertFalse(hasattr(type(training), "action_draft"))
        self.assertEqual(training.state, "done")

    def test_done_gives_certificates_to_those_present(self):
        training = self._training(attendees=self.staff_a, date=date(2026, 5, 20), date_end=date(2026, 5, 21))
        lines = {line.employee_id: line for line in training.attendance_ids}
        lines[self.employee_guard_a].status = "absent"
        lines[self.employee_principal_a].status = "excused"
        self.env.invalidate_all()
        training.with_user(self.user_officer_a).action_done()
        certificates = training.certificate_ids
        self.assertEqual(certificates.employee_id, self.employee_officer_a | self.employee_staff_a)
        for certificate in certificates:
            self.assertEqual(certificate.source, "training")
            self.assertEqual(certificate.course_id, self._course())
            self.assertEqual(certificate.issue_date, date(2026, 5, 21), "dated from the session's last day")
            self.assertEqual(certificate.expiry_date, date(2027, 5, 21), "12 months of validity")
            self.assertEqual(certificate.issuer, self.school_a.name)
            self.assertRegex(certificate.name, r"^PX2026-\d{5}$")
            self.assertEqual(certificate.attendance_id.certificate_id, certificate)
            self.assertEqual(certificate.state, "valid")
        self.assertEqual(training.present_count, 2)
        # the session's certificates are filed with it
        certificate = certificates[0].with_user(self.user_officer_a)
        with self.assertRaisesRegex(UserError, "can no longer change"):
            certificate.expiry_date = date(2030, 1, 1)
        with self.assertRaisesRegex(UserError, "can no longer change"):
            certificate.unlink()
        with self.assertRaisesRegex(UserError, "can no longer change"):
            lines[self.employee_guard_a].with_user(self.user_officer_a).status = "present"
        with self.assertRaisesRegex(UserError, "can no longer change"):
            self.env["safety.training.attendance"].with_user(self.user_officer_a).create({
                "training_id": training.id, "employee_id": self.employee_guard_a.id,
            })

    def test_pass_mark(self):
        course = self._course("guard_duty")
        training = self._training(attendees=self.employee_guard_a | self.employee_staff_a | self.employee_officer_a,
                                  course_id=course.id)
        self.assertEqual(training.pass_mark, 60, "the course's default pass mark")
        lines = {line.employee_id: line for line in training.attendance_ids}
        lines[self.employee_guard_a].score = 72
        lines[self.employee_staff_a].score = 59.5
        with self.assertRaisesRegex(UserError, "give the score of Safety Officer A"):
            training.action_done()
        lines[self.employee_officer_a].status = "absent"
        self.assertTrue(lines[self.employee_guard_a].passed)
        self.assertFalse(lines[self.employee_staff_a].passed)
        training.action_done()
        self.assertEqual(training.certificate_ids.employee_id, self.employee_guard_a, "failed: no certificate")

    def test_expected_attendees_are_marked_first(self):
        training = self._training(attendees=self.env["hr.employee"])
        training.action_add_required_staff()
        # everyone of school A must hold fire safety; listed once, whatever the clicks
        self.assertEqual(training.attendance_ids.employee_id, self.staff_a)
        self.assertEqual(set(training.attendance_ids.mapped("status")), {"expected"})
        training.action_add_required_staff()
        self.assertEqual(len(training.attendance_ids), len(self.staff_a))
        with self.assertRaisesRegex(UserError, "mark 4 attendees present, absent or excused first"):
            training.action_done()
        training.attendance_ids[:2].action_present()
        training.attendance_ids[2:3].action_absent()
        training.attendance_ids[3:].action_excused()
        training.action_done()
        self.assertEqual(len(training.certificate_ids), 2)

    def test_not_done_before_it_is_held(self):
        training = self._training(date=date(2026, 6, 2))
        with self.assertRaisesRegex(UserError, "once it is held"):
            training.action_done()
        self.assertEqual(training.state, "draft")

    def test_defaults_from_the_course(self):
        form = Form(self.env["safety.training"].with_user(self.user_officer_a))
        form.name = "Guards"
        form.course_id = self._course("guard_duty")
        self.assertEqual(form.hours, 4)
        self.assertEqual(form.pass_mark, 60)
        form.date = date(2026, 5, 3)
        self.assertEqual(form.date_end, date(2026, 5, 3))
        training = form.save()
        self.assertEqual(training.company_id, self.school_a)
        self.assertFalse(training.is_bureau_wide)

    @users("t_officer_a")
    def test_officer_takes_attendance(self):
        training = self._training(attendees=self.staff_a).with_env(self.env)
        action = training.action_take_attendance()
        self.assertEqual(action["res_model"], "safety.training.attendance")
        lines = self.env["safety.training.attendance"].search(action["domain"])
        self.assertEqual(lines.employee_id, self.staff_a)
        lines.filtered(lambda a: a.employee_id == self.employee_guard_a).action_absent()
        training.action_done()
        self.assertEqual(training.certificate_ids.employee_id, self.staff_a - self.employee_guard_a)

    def test_employee_form_shows_compliance(self):
        self._training(attendees=self.employee_staff_a).action_done()
        form = Form(self.employee_staff_a.with_user(self.user_principal_a))
        self.assertEqual(form.safety_training_state, "missing", "evacuation guiding and drowning are missing")
        rows = self.employee_staff_a.with_user(self.user_principal_a).safety_training_compliance_ids
        self.assertEqual(
            {row.course_id: row.state for row in rows},
            {self._course(): "valid", self._course("evacuation_guiding"): "missing",
             self._course("drowning_prevention"): "missing"},
        )
        # officers read it on the public profile
        public = self.env["hr.employee.public"].with_user(self.user_officer_a).browse(self.employee_staff_a.id)
        self.assertEqual(public.safety_training_state, "missing")
        self.assertEqual(len(public.safety_training_compliance_ids), 3)
        Employee = self.env["hr.employee"].with_user(self.user_principal_a)
        self.assertIn(self.employee_staff_a, Employee.search([("safety_training_state", "=", "missing")]))
        self.assertNotIn(self.employee_staff_a, Employee.search([("safety_training_state", "=", "valid")]))

    @users("t_officer_a")
    def test_views_load(self):
        for xmlid, model in (
            ("safety_training.safety_training_action", "safety.training"),
            ("safety_training.safety_training_attendance_action_take", "safety.training.attendance"),
            ("safety_training.safety_training_certificate_action", "safety.training.certificate"),
            ("safety_training.safety_training_compliance_action", "safety.training.compliance"),
        ):
            action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
            modes = action["view_mode"].split(",")
            views = self.env[model].get_views([(False, mode) for mode in modes] + [(False, "search")])
            self.assertEqual(set(views["views"]), set(modes) | {"search"})
        public = self.env["hr.employee.public"].get_views([(False, "form")])
        self.assertIn("safety_training_compliance_ids", public["views"]["form"]["arch"])
