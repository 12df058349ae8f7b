from datetime import date, timedelta

from freezegun import freeze_time

from odoo.tests import tagged
from odoo.tools import format_date

from .common import SafetyInspectionCase


@tagged("post_install", "-at_install")
class TestHazardOverdue(SafetyInspectionCase):
    """The daily overdue job: flags, and escalations sent once each at the right day."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.hazard = cls._hazard(**cls._six_fixed(deadline=date(2026, 6, 15)))
        cls.on_time = cls._hazard(**cls._six_fixed(deadline=date(2026, 6, 30)))
        cls.no_deadline = cls._hazard()
        cls.activity_type = cls.env.ref("safety_inspection.mail_activity_type_hazard_overdue")

    def _run(self, day):
        with freeze_time(day):
            return self.env["safety.hazard"]._cron_check_overdue(batch_size=2)

    def _escalations(self, hazard):
        return self.env["mail.activity"].search([
            ("res_model", "=", "safety.hazard"), ("res_id", "=", hazard.id),
            ("activity_type_id", "=", self.activity_type.id),
        ])

    def test_escalation_timing(self):
        self._run("2026-06-14")
        self.assertFalse(self._escalations(self.hazard))
        self.assertFalse(self.hazard.is_overdue)
        # due day: the owner, by activity and by a digest email
        mails_before = self.env["mail.mail"].search([])
        self._run("2026-06-15")
        self.assertEqual(self._escalations(self.hazard).user_id, self.user_staff_a)
        digest = self.env["mail.mail"].search([]) - mails_before
        self.assertEqual(digest.recipient_ids, self.user_staff_a.partner_id)
        self.assertIn(self.hazard.name, digest.body_html)
        self.assertFalse(self.hazard.is_overdue, "not overdue on its due day")
        self.assertEqual(self.hazard.escalation_level, 1)
        # next days: overdue, nothing new until the principal's turn
        self._run("2026-06-16")
        self.assertTrue(self.hazard.is_overdue)
        with freeze_time("2026-06-16"):
            self.hazard.invalidate_recordset(["days_overdue"])
            self.assertEqual(self.hazard.days_overdue, 1)
        self._run("2026-06-17")
        self.assertEqual(len(self._escalations(self.hazard)), 1)
        self._run("2026-06-18")
        self.assertEqual(self._escalations(self.hazard).user_id, self.user_staff_a | self.user_principal_a)
        self._run("2026-06-18")
        self.assertEqual(len(self._escalations(self.hazard)), 2, "never sent twice")
        # after 7 days: the bureau (the bureau's safety officer when no inspector is set)
        self._run("2026-06-22")
        self.assertEqual(
            self._escalations(self.hazard).user_id,
            self.user_staff_a | self.user_principal_a | self.user_inspector,
        )
        self.assertEqual(self.hazard.escalation_level, 3)
        self.assertFalse(self.on_time.is_overdue)
        self.assertFalse(self._escalations(self.on_time) | self._escalations(self.no_deadline))

    def test_late_first_run_tells_every_level_reached(self):
        """The job first meets a hazard ten days late: its owner is told too, not only the
        bureau (they were never told before)."""
        self._run("2026-06-25")
        escalations = self._escalations(self.hazard)
        self.assertEqual(escalations.user_id, self.user_staff_a | self.user_principal_a | self.user_inspector)
        self.assertEqual(len(escalations), 3)
        self.assertTrue(self.hazard.is_overdue)
        self.assertEqual(self.hazard.escalation_level, 3)
        digests = self.env["mail.mail"].search([("subject", "ilike", "need your attention")])
        self.assertIn(self.user_staff_a.partner_id, digests.recipient_ids)

    def test_days_configurable(self):
        self.env["ir.config_parameter"].set_param("safety_inspection.escalation_principal_days", 1)
        self._run("2026-06-16")
        self.assertEqual(self.hazard.escalation_level, 2)

    def test_flag_cleared_after_extension_and_closure(self):
        self._run("2026-06-20")
        self.assertTrue(self.hazard.is_overdue)
        self.hazard.with_user(self.user_officer_a).action_issue_notice()
        extension = self.env["safety.hazard.extension"].with_user(self.user_staff_a).create({
            "hazard_id": self.hazard.id, "new_deadline": date(2026, 7, 31), "reason": "Delivery",
        })
        extension.with_user(self.user_principal_a).action_approve()
        self.assertFalse(self.hazard.is_overdue)
        self.assertEqual(self.hazard.escalation_level, 0)
        self._run("2026-06-21")
        self.assertFalse(self.hazard.is_overdue)
        # a flag left on a hazard no longer open is cleared by the job
        self.env.cr.execute("UPDATE safety_hazard SET is_overdue = TRUE WHERE id = %s", [self.on_time.id])
        self.on_time.invalidate_recordset()
        self._run("2026-06-21")
        self.assertFalse(self.on_time.is_overdue)

    def test_digest_lists_fifty_and_counts_the_rest(self):
        hazards = self.env["safety.hazard"].create([
            dict(self._six_fixed(deadline=date(2026, 6, 10) + timedelta(days=i % 5)), company_id=self.school_a.id,
                 location=f"Room {i}", category="fire", description="Blocked exit", found_date=date(2026, 6, 1))
            for i in range(53)
        ])
        self.env["ir.config_parameter"].set_param("safety_inspection.escalation_principal_days", 100)
        self.env["ir.config_parameter"].set_param("safety_inspection.escalation_bureau_days", 200)
        result = self.env["safety.hazard"]._cron_check_overdue(today=date(2026, 6, 20))
        self.assertEqual(result["escalated"], 53 + 1, "and the hazard of the class, due on the 15th")
        digest = self.env["mail.mail"].search([("recipient_ids", "in", self.user_staff_a.partner_id.ids)])
        self.assertEqual(len(digest), 1)
        self.assertEqual(digest.subject, "54 hazards need your attention: rectification overdue")
        self.assertEqual(digest.body_html.count("<li>"), 50)
        self.assertIn("And 4 more.", digest.body_html)
        # most overdue first, with its school, location and deadline in the person's language
        first = hazards.filtered(lambda h: h.deadline == date(2026, 6, 10))[0]
        self.assertIn(
            f"{first.name} — {self.school_a.name}: {first.location}, deadline "
            f"{format_date(self.env, first.deadline, lang_code='en_US')}",
            " ".join(digest.body_html.split()),
        )
        self.assertIn("Room 4,", digest.body_html)
        self.assertNotIn("Room 49,", digest.body_html, "the last due on the 14th: among the four not listed")
