from datetime import date

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import Form, tagged, users

from .common import SafetyTrainingCase


@tagged("post_install", "-at_install")
@freeze_time("2026-06-01 09:00:00")
class TestTraining(SafetyTrainingCase):
    """Training records, and who is overdue for a fire-safety training."""

    def test_done_needs_an_attendee(self):
        training = self._training(attendee_ids=[Command.clear()])
        with self.assertRaisesRegex(UserError, "at least one attendee"):
            training.action_done()
        self.assertEqual(training.state, "draft")
        training.external_count = 4  # outside staff only is an attendance too
        training.action_done()
        self.assertEqual(training.state, "done")
        self.assertEqual(training.attendee_count, 4)
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

    def test_done_with_employees(self):
        training = self._training(attendee_ids=[Command.set((self.employee_staff_a | self.employee_guard_a).ids)])
        # the officer's click is a request of its own: nothing of the employees in the cache
        # (an officer reads them through their public profiles)
        self.env.invalidate_all()
        training.with_user(self.user_officer_a).action_done()
        self.assertEqual(training.state, "done")
        self.assertEqual(training.attendee_count, 2)

    def test_attendees_of_the_school_only(self):
        with self.assertRaises(UserError):
            self._training(attendee_ids=[Command.set(self.employee_guard_b.ids)])

    def test_fire_training_overdue(self):
        self._training(date=date(2026, 3, 1), attendee_ids=[Command.set(self.employee_staff_a.ids)]).action_done()
        self._training(date=date(2025, 3, 1), attendee_ids=[Command.set(self.employee_guard_a.ids)]).action_done()
        self._training(date=date(2025, 6, 1), attendee_ids=[Command.set(self.employee_guard_a.ids)]).action_done()
        self._training(date=date(2026, 4, 1), topic="first_aid",
                       attendee_ids=[Command.set(self.employee_officer_a.ids)]).action_done()
        self._training(date=date(2026, 5, 1), attendee_ids=[Command.set(self.employee_principal_a.ids)])  # draft
        staff = self.employee_staff_a | self.employee_guard_a | self.employee_officer_a | self.employee_principal_a
        self.assertEqual(self.employee_staff_a.safety_fire_training_date, date(2026, 3, 1))
        self.assertEqual(self.employee_guard_a.safety_fire_training_date, date(2025, 6, 1))
        self.assertFalse(self.employee_officer_a.safety_fire_training_date)
        # the guard's training was exactly 12 months ago: still in time today
        overdue = self.employee_officer_a | self.employee_principal_a
        self.assertEqual(staff.filtered("safety_fire_training_overdue"), overdue)
        Employee = self.env["hr.employee"]
        self.assertEqual(
            Employee.search([("safety_fire_training_overdue", "=", True), ("id", "in", staff.ids)]), overdue
        )
        self.assertEqual(
            Employee.search([("safety_fire_training_overdue", "=", False), ("id", "in", staff.ids)]),
            self.employee_staff_a | self.employee_guard_a,
        )
        self.assertEqual(
            Employee.search([("safety_fire_training_overdue", "!=", True), ("id", "in", staff.ids)]),
            self.employee_staff_a | self.employee_guard_a,
        )
        with freeze_time("2026-06-02"):  # one day later the guard is overdue too
            self.env.invalidate_all()
            self.assertTrue(self.employee_guard_a.safety_fire_training_overdue)
            self.assertEqual(
                Employee.search([("safety_fire_training_overdue", "=", True), ("id", "in", staff.ids)]),
                overdue | self.employee_guard_a,
            )

    def test_last_date_query_count_does_not_grow(self):
        self._training(date=date(2026, 3, 1), attendee_ids=[Command.set(self.employee_staff_a.ids)]).action_done()
        employees = self.env["hr.employee"].search([("company_id", "=", self.school_a.id)])
        self.assertGreater(len(employees), 3)
        counts = []
        for batch in (employees[:1], employees):
            self.env.invalidate_all()
            fields.Date.context_today(batch)  # the user's time zone, read once per request anyway
            before = self.cr.sql_log_count
            batch._compute_safety_fire_training()
            counts.append(self.cr.sql_log_count - before)
        self.assertEqual(counts[0], counts[1], "one grouped query, whatever the number of employees")
        self.assertLessEqual(counts[1], 2)

    @users("t_officer_a")
    def test_officer_follow_up_list(self):
        training = self._training(date=date(2026, 3, 1), attendee_ids=[Command.set(self.employee_staff_a.ids)])
        training.sudo().action_done()
        Public = self.env["hr.employee.public"]
        overdue = Public.search([("safety_fire_training_overdue", "=", True)])
        self.assertNotIn(self.employee_staff_a.id, overdue.ids)
        self.assertIn(self.employee_guard_a.id, overdue.ids)
        self.assertEqual(overdue.company_id, self.school_a, "the officer follows up their own school only")
        teacher = Public.browse(self.employee_staff_a.id)
        self.assertEqual(teacher.safety_fire_training_date, date(2026, 3, 1))
        self.assertFalse(teacher.safety_fire_training_overdue)

    def test_employee_form_shows_last_fire_training(self):
        self._training(date=date(2026, 3, 1), attendee_ids=[Command.set(self.employee_staff_a.ids)]).action_done()
        form = Form(self.employee_staff_a.with_user(self.user_principal_a))
        self.assertEqual(form.safety_fire_training_date, "2026-03-01")

    @users("t_officer_a")
    def test_follow_up_views_load(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "safety_training.hr_employee_public_action_fire_training_overdue"
        )
        views = self.env["hr.employee.public"].get_views([(action["view_id"][0], "list"),
                                                          (action["search_view_id"][0], "search")])
        self.assertIn("safety_fire_training_date", views["views"]["list"]["arch"])
