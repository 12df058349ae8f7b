"""The scorecard's stored months (``safety.school.scorecard.month``): what the refresh job
stores reads as the records do, a late record counts at the next refresh that covers its
month, a gap in the store is computed, and nobody but the job writes it."""

from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import SQL

from .common import SchoolSafetyCase
from .common_rpc import HOSTILE_CONTEXT, RpcCase
from .common_scorecard import assert_stored_as_live

NOW = datetime(2026, 5, 20, 4, 0)  # noon in Shanghai


class ScorecardStoreCase(SchoolSafetyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.school_a.safety_start_date = date(2024, 7, 1)
        cls.school_b.safety_start_date = date(2025, 3, 1)
        cls.Month = cls.env["safety.school.scorecard.month"]
        cls.Incident = cls.env["safety.incident"].with_user(cls.user_officer_a)
        cls.Incident.create([
            {"company_id": cls.school_a.id, "occurred_at": occurred, "location": "Hall", "category": "other",
             "injured_count": 1, "description": "Slip", "measures_taken": "Care"}
            for occurred in (datetime(2025, 1, 3, 2, 0), datetime(2025, 12, 3, 2, 0), datetime(2026, 4, 3, 2, 0),
                             datetime(2026, 5, 2, 2, 0))
        ])

    def _row(self, school, period_type, start):
        rows = self.env["safety.school.scorecard"].search([
            ("company_id", "=", school.id), ("period_type", "=", period_type), ("period_start", "=", start),
        ])
        self.assertEqual(len(rows), 1)
        return rows

    def _incident(self, occurred):
        return self.Incident.create({
            "company_id": self.school_a.id, "occurred_at": occurred, "location": "Gate", "category": "other",
            "description": "Reported late", "measures_taken": "Talked to the parents",
        })

    def _stored(self, school, month):
        return self.Month.search([("company_id", "=", school.id), ("month", "=", month)])


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestScorecardStore(ScorecardStoreCase):
    def test_stored_months_read_as_computed(self):
        months = assert_stored_as_live(self, self.school_a | self.school_b)
        # July 2024 to May 2026, and March 2025 to May 2026
        self.assertEqual(len(months), 23 + 15)
        # the reads come from the store: a stored figure changed behind the job's back shows
        self.env.cr.execute(SQL(
            """UPDATE safety_school_scorecard_month SET figures = jsonb_set(figures, '{incident_count}', '7')
                WHERE company_id = %s AND month = %s""", self.school_a.id, date(2026, 4, 1)))
        self.env.invalidate_all()
        self.assertEqual(self._row(self.school_a, "month", date(2026, 4, 1)).incident_count, 7)
        self.assertEqual(self._row(self.school_a, "quarter", date(2026, 4, 1)).incident_count, 8)
        # a second refresh has only the current month to compute: the closed ones are final
        self.assertEqual(self.Month._safety_refresh(companies=self.school_a | self.school_b), 2)
        self.assertEqual(self._row(self.school_a, "month", date(2026, 4, 1)).incident_count, 7)

    def test_a_late_record_counts_at_the_next_refresh(self):
        self.Month._safety_refresh()
        self.assertEqual(self._row(self.school_a, "month", date(2026, 4, 1)).incident_count, 1)
        self._incident(datetime(2026, 4, 10, 2, 0))
        self._incident(datetime(2026, 5, 15, 2, 0))
        self.env.invalidate_all()
        # until the job runs, the stored months stand (computed at NOW, as the list says)
        april = self._row(self.school_a, "month", date(2026, 4, 1))
        self.assertEqual((april.incident_count, april.computed_at), (1, NOW))
        self.assertEqual(self._row(self.school_a, "month", date(2026, 5, 1)).incident_count, 1)
        # every half hour: the current month
        self.Month._cron_refresh()
        self.env.invalidate_all()
        self.assertEqual(self._row(self.school_a, "month", date(2026, 5, 1)).incident_count, 2)
        self.assertEqual(self._row(self.school_a, "month", date(2026, 4, 1)).incident_count, 1)
        # each night: this year's and last year's months
        self.Month._cron_refresh(nightly=True)
        self.env.invalidate_all()
        self.assertEqual(self._row(self.school_a, "month", date(2026, 4, 1)).incident_count, 2)
        self.assertEqual(self._row(self.school_a, "year", date(2026, 1, 1)).incident_count, 4)
        # a month just over is stored again as of its last day, the new one as of today
        with freeze_time(datetime(2026, 6, 1, 1, 0)):  # 09:00 on June 1 in Shanghai
            self.Month._cron_refresh()
            may, june = self._stored(self.school_a, date(2026, 5, 1)), self._stored(self.school_a, date(2026, 6, 1))
            self.assertEqual((may.as_of, june.as_of), (date(2026, 5, 31), date(2026, 6, 1)))
            assert_stored_as_live(self, self.school_a | self.school_b)

    def test_a_gap_in_the_store_is_computed(self):
        self.Month._safety_refresh()
        for school in (self.school_a, self.school_b):
            self.env.cr.execute(SQL(
                """UPDATE safety_school_scorecard_month SET figures = jsonb_set(figures, '{incident_count}', '9')
                    WHERE company_id = %s AND month = %s""", school.id, date(2026, 4, 1)))
        # school A loses a month: its stored months are no longer read, school B's still are
        self._stored(self.school_a, date(2025, 12, 1)).unlink()
        self.env.invalidate_all()
        self.assertEqual(self._row(self.school_a, "month", date(2026, 4, 1)).incident_count, 1)
        self.assertEqual(self._row(self.school_a, "month", date(2025, 12, 1)).incident_count, 1)
        self.assertEqual(self._row(self.school_b, "month", date(2026, 4, 1)).incident_count, 9)
        # the next run of the job fills the school's months again from its first one
        self.Month._cron_refresh()
        self.assertTrue(self._stored(self.school_a, date(2025, 12, 1)))
        self.assertEqual(self._stored(self.school_a, date(2026, 4, 1)).figures["incident_count"], 1)
        # a school whose first month moves earlier is computed until the job stores it
        self.school_b.safety_start_date = date(2025, 1, 1)
        self.env.invalidate_all()
        self.assertEqual(self._row(self.school_b, "month", date(2026, 4, 1)).incident_count, 0)
        self.Month._cron_refresh()
        self.assertEqual(len(self.Month.search([("company_id", "=", self.school_b.id)])), 17)

    def test_the_store_is_the_jobs(self):
        self.Month._safety_refresh()
        stored = self._stored(self.school_a, date(2026, 4, 1))
        for user in (self.user_manager, self.user_inspector, self.user_principal_a, self.user_finance):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.Month.with_user(user).search([])
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                stored.with_user(user).write({"figures": {"incident_count": 0}})
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.Month.with_user(user).create({"company_id": self.school_a.id, "month": date(2020, 1, 1),
                                                   "as_of": date(2020, 1, 31), "stored_at": NOW})


@tagged("post_install", "-at_install")
class TestScorecardStoreRpc(RpcCase, ScorecardStoreCase):
    """*Refresh Figures* over /web/dataset/call_kw as each role, with a hostile context."""

    def test_refresh_figures_as_each_role(self):
        # the months of this test's schools (the demo's schools may have theirs)
        Month = self.Month
        schools = [("company_id", "in", (self.school_a | self.school_b).ids)]
        for login in ("t_staff_a", "t_guard_a"):
            self.assertRefused(login, "safety.school.scorecard", "action_safety_refresh", [[]])
        for login in ("t_manager", "t_inspector", "t_principal_a"):
            for method, args in (("_safety_refresh", []), ("_cron_refresh", []), ("search_read", [[]]),
                                 ("create", [{"company_id": self.school_a.id, "month": "2020-01-01",
                                              "as_of": "2020-01-31", "stored_at": "2020-02-01 00:00:00"}])):
                self.assertRefused(login, "safety.school.scorecard.month", method, args)
        self.assertFalse(Month.search(schools))
        # a school refreshes itself only, whatever companies the context claims
        self.assertAllowed("t_principal_a", "safety.school.scorecard", "action_safety_refresh", [[]],
                           context=dict(HOSTILE_CONTEXT, allowed_company_ids=[self.school_a.id]))
        self.assertEqual(Month.search(schools).company_id, self.school_a)
        self.assertRefused("t_principal_a", "safety.school.scorecard", "action_safety_refresh", [[]],
                           context=dict(HOSTILE_CONTEXT, allowed_company_ids=[self.school_a.id, self.school_b.id]))
        self.assertEqual(Month.search(schools).company_id, self.school_a)
        # the bureau its schools; pressed again at once, nothing is computed again
        self.assertAllowed("t_inspector", "safety.school.scorecard", "action_safety_refresh", [[]],
                           context=dict(HOSTILE_CONTEXT, allowed_company_ids=[
                               self.bureau.id, self.school_a.id, self.school_b.id]))
        self.assertEqual(Month.search(schools).company_id, self.school_a | self.school_b)
        stamps = Month.search(schools).mapped("stored_at")
        self.assertAllowed("t_inspector", "safety.school.scorecard", "action_safety_refresh", [[]],
                           context={"allowed_company_ids": [self.bureau.id, self.school_a.id, self.school_b.id]})
        Month.invalidate_model()
        self.assertEqual(Month.search(schools).mapped("stored_at"), stamps)
