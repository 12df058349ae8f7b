from datetime import date, timedelta

from freezegun import freeze_time

from odoo.tests import tagged, warmup
from odoo.tools import format_date

from .common import SafetyInspectionCase

# queries of one batch of the overdue job (the flags and levels, the activities, the digests),
# however many hazards it escalates
OVERDUE_JOB_QUERIES = 39


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

    # what each run of the job below meets: (school, days past the deadline, owner, inspector)
    PATTERNS = (
        ("school_a", 0, "user_staff_a", None),  # due today: the owner
        ("school_a", 3, "user_staff_a", None),  # and the principal
        ("school_a", 7, "user_staff_a", None),  # and the bureau (its safety officer)
        ("school_b", 4, "user_principal_b", None),  # an owner who is the principal, told twice
        ("school_b", 12, "user_principal_b", "user_inspector"),  # all three, the inspector named
    )
    DAY = date(2026, 6, 22)

    def _overdue_hazards(self, count):
        vals_list = []
        for i in range(count):
            school, late, owner, inspector = self.PATTERNS[i % len(self.PATTERNS)]
            vals_list.append(dict(
                self._six_fixed(deadline=self.DAY - timedelta(days=late), owner_id=getattr(self, owner).id),
                company_id=getattr(self, school).id, location="Building 2, east corridor", category="fire",
                description="Extinguisher without pressure", found_date=date(2026, 6, 1),
                inspector_id=inspector and getattr(self, inspector).id or False,
            ))
        return self.env["safety.hazard"].create(vals_list)

    @warmup
    def test_query_count_does_not_grow_with_the_hazards(self):
        """One batch of the job: a fixed number of queries, whether it escalates 5 hazards or
        20 (9 activities or 36, and one digest to each of the same four people)."""
        self.env["safety.hazard"]._cron_check_overdue(today=self.DAY)  # the hazards of the class
        self.env["mail.mail"].search([]).unlink()
        for count in (5, 20):
            with self.subTest(count=count):
                hazards = self._overdue_hazards(count)
                self.env.invalidate_all()
                with self.assertQueryCount(__system__=OVERDUE_JOB_QUERIES):
                    result = self.env["safety.hazard"]._cron_check_overdue(today=self.DAY)
                # per five hazards: 1 + 2 + 3 levels at school A, 1 + 2 at school B (the principal once each)
                self.assertEqual(result["escalated"], count // 5 * 9)
                activities = self.env["mail.activity"].search([("res_model", "=", "safety.hazard"),
                                                               ("res_id", "in", hazards.ids)])
                self.assertEqual(len(activities), count // 5 * 9)
                self.assertTrue(all(activities.mapped("automated")))
                self.assertEqual(set(activities.mapped("date_deadline")), {self.DAY})
                self.assertEqual(
                    activities.user_id,
                    self.user_staff_a | self.user_principal_a | self.user_inspector | self.user_principal_b,
                )
                digests = self.env["mail.mail"].search([("subject", "ilike", "need your attention")])
                self.assertEqual(len(digests), 4, "one email per person told")
                digests.unlink()

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
