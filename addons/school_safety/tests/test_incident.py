from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged, users
from odoo.tools import mute_logger

from .common import SchoolSafetyCase

NOW = datetime(2026, 5, 20, 6, 0)  # 14:00 in Shanghai


def incident_values(school, **values):
    return dict({
        "company_id": school.id,
        "occurred_at": NOW - timedelta(hours=2),
        "location": "Playground",
        "category": "accident",
        "injured_count": 1,
        "death_count": 0,
        "description": "A pupil fell from the climbing frame.",
        "measures_taken": "First aid by the school doctor, parents called, frame closed.",
    }, **values)


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestIncident(SchoolSafetyCase):
    """Incidents: who reports, who is told, who acknowledges; kept as reported."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.user_inspector.write({"lang": "zh_CN", "email": "inspector@example.com"})
        cls.user_manager.write({"email": "manager@example.com"})

    def _report(self, user, school, **values):
        return self.env["safety.incident"].with_user(user).create(incident_values(school, **values))

    @users("t_officer_a", "t_principal_a")
    def test_school_reports_without_delay(self):
        incident = self.env["safety.incident"].create(incident_values(self.school_a.with_env(self.env)))
        self.assertEqual(incident.state, "reported")
        self.assertEqual(incident.reported_by_id, self.env.user)
        self.assertEqual(incident.reported_on, NOW)
        self.assertTrue(incident.name.startswith("SG2026-"))
        # the bureau is told at once: an activity for each inspector and manager of the school
        activities = incident.sudo().activity_ids
        self.assertEqual(activities.user_id, self.user_inspector | self.user_manager)
        chinese = activities.filtered(lambda a: a.user_id == self.user_inspector)
        self.assertIn("事故", chinese.summary)
        english = activities.filtered(lambda a: a.user_id == self.user_manager)
        self.assertIn("Incident at", english.summary)
        mails = self.env["mail.mail"].sudo().search([("model", "=", "safety.incident"), ("res_id", "=", incident.id)])
        self.assertEqual(mails.recipient_ids, self.user_inspector.partner_id | self.user_manager.partner_id)
        self.assertEqual(len(mails), 2, "one email per language")
        # kept as reported, whoever asks: the lock (a UserError, as AccessError is) refuses
        # before the access rights are read
        with self.assertRaises(UserError):
            incident.write({"injured_count": 0})
        self.assertEqual(incident.injured_count, 1)
        with self.assertRaises(AccessError):
            incident.unlink()

    def test_the_bureau_safety_officer_is_told_first(self):
        officer = self.env["hr.employee"].create({
            "name": "Bureau Safety Officer", "company_id": self.bureau.id, "user_id": self.user_inspector.id,
        })
        self.bureau.safety_officer_id = officer
        incident = self._report(self.user_officer_a, self.school_a)
        self.assertEqual(incident.activity_ids.user_id, self.user_inspector)

    def test_roles_that_do_not_report(self):
        for user in (self.user_staff_a, self.user_guard_a, self.user_finance, self.user_inspector, self.user_manager):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self._report(user, self.school_a)
        # nor for another school
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            self._report(self.user_officer_a, self.school_b)
        schools = (self.school_a | self.school_b).ids
        self.assertFalse(self.env["safety.incident"].search([("company_id", "in", schools)]))

    def test_bad_input_is_refused_and_nothing_is_made(self):
        Incident = self.env["safety.incident"].with_user(self.user_officer_a)
        cases = [
            ({"occurred_at": NOW + timedelta(hours=1)}, "in the future"),
            ({"injured_count": -1}, "cannot be negative"),
            ({"death_count": -2}, "cannot be negative"),
        ]
        for values, message in cases:
            with self.subTest(values=values), self.assertRaisesRegex(ValidationError, message), \
                    self.env.cr.savepoint():
                Incident.create(incident_values(self.school_a, **values))
        # a phone a few minutes ahead is no report from the future
        self.assertTrue(Incident.create(incident_values(self.school_a, occurred_at=NOW + timedelta(minutes=2))))
        self.assertEqual(Incident.search_count([("company_id", "=", self.school_a.id)]), 1)

    def test_future_time_message_is_translated(self):
        self.user_officer_a.lang = "zh_CN"
        Incident = self.env["safety.incident"].with_user(self.user_officer_a).with_context(lang="zh_CN")
        with self.assertRaisesRegex(ValidationError, "未来"):
            Incident.create(incident_values(self.school_a, occurred_at=NOW + timedelta(days=1)))

    def test_acknowledge_and_follow_up_by_the_bureau_only(self):
        incident = self._report(self.user_officer_a, self.school_a)
        for user in (self.user_principal_a, self.user_officer_a, self.user_finance):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                incident.with_user(user).action_acknowledge()
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.env["safety.incident.followup"].with_user(user).create(
                    {"incident_id": incident.id, "note": "Nothing"}
                )
        self.assertEqual(incident.state, "reported")
        incident.with_user(self.user_inspector).action_acknowledge()
        self.assertEqual((incident.state, incident.acknowledged_by_id), ("acknowledged", self.user_inspector))
        self.assertFalse(incident.activity_ids)
        with self.assertRaises(UserError):
            incident.with_user(self.user_manager).action_acknowledge()
        followup = self.env["safety.incident.followup"].with_user(self.user_manager).create(
            {"incident_id": incident.id, "note": "Check every climbing frame of the district."}
        )
        self.assertEqual((followup.author_id, followup.company_id), (self.user_manager, self.school_a))
        self.assertIn(followup, incident.followup_ids)
        with self.assertRaises(ValidationError):
            self.env["safety.incident.followup"].with_user(self.user_manager).create(
                {"incident_id": incident.id, "note": "   "}
            )
        with self.assertRaises(UserError):
            followup.with_user(self.user_manager).write({"note": "Changed"})
        self.assertEqual(followup.note, "Check every climbing frame of the district.")
        with self.assertRaises(AccessError):
            followup.with_user(self.user_manager).unlink()
        # the school adds to it in the chatter
        incident.with_user(self.user_principal_a).message_post(body="The frame was repaired.")

    def test_each_school_sees_its_own(self):
        mine = self._report(self.user_officer_a, self.school_a)
        theirs = self._report(self.user_principal_b, self.school_b)
        Incident = self.env["safety.incident"]
        self.assertEqual(Incident.with_user(self.user_principal_a).search([("id", "in", (mine | theirs).ids)]), mine)
        self.assertEqual(Incident.with_user(self.user_principal_b).search([("id", "in", (mine | theirs).ids)]), theirs)
        for user in (self.user_inspector, self.user_finance, self.user_manager):
            self.assertEqual(Incident.with_user(user).search([("id", "in", (mine | theirs).ids)]), mine | theirs)
        with self.assertRaises(AccessError):
            theirs.with_user(self.user_principal_a).read(["location"])
        for user in (self.user_staff_a, self.user_guard_a):
            with self.assertRaises(AccessError):
                Incident.with_user(user).search([])

    def test_reported_on_is_the_servers(self):
        Incident = self.env["safety.incident"].with_user(self.user_officer_a)
        for values in ({"state": "acknowledged"}, {"reported_on": fields.Datetime.to_string(NOW - timedelta(days=3))},
                       {"reported_by_id": self.user_principal_a.id}, {"acknowledged_by_id": self.user_inspector.id}):
            with self.subTest(values=values), self.assertRaises(AccessError):
                Incident.create(incident_values(self.school_a, **values))
        self.assertFalse(Incident.search([("company_id", "=", self.school_a.id)]))
