from datetime import date, datetime

from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.school_safety.tests.common_scorecard import assert_scoped_as_whole, assert_stored_as_live

from .common import SafetyTrainingCase

NOW = datetime(2026, 5, 20, 4, 0)


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestScorecardTraining(SafetyTrainingCase):
    """Drill and training compliance on the scorecard, and the monthly report's drills and
    trainings, against the records behind them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for day in (date(2026, 1, 15), date(2026, 3, 10), date(2026, 3, 20), date(2026, 5, 5)):
            cls._done_drill(cls.school_a, day)
        cls.drill_k = cls._done_drill(cls.kindergarten, date(2026, 2, 10))
        # fire safety (required of everyone, valid 12 months) in April last year and in March;
        # first aid (required of no one here) in February
        last_year = cls._training(date=date(2025, 4, 10), attendees=cls.employee_officer_a | cls.employee_staff_a)
        march = cls._training(date=date(2026, 3, 1), attendees=cls.employee_officer_a | cls.employee_principal_a)
        first_aid = cls._training(date=date(2026, 2, 1), course_id=cls._course("first_aid").id,
                                  attendees=cls.employee_guard_a)
        first_aid.attendance_ids.score = 90
        (last_year | march | first_aid).action_done()
        cls.march_training = march

    def _row(self, school, period_type, start):
        return self.env["safety.school.scorecard"].search([
            ("company_id", "=", school.id), ("period_type", "=", period_type), ("period_start", "=", start),
        ])

    def test_drill_compliance(self):
        months = [self._row(self.school_a, "month", date(2026, m, 1)) for m in (1, 2, 3, 4, 5)]
        self.assertEqual([m.drills_done for m in months], [1, 0, 2, 0, 1])
        self.assertEqual([m.drills_required for m in months], [1, 1, 1, 1, 1])
        self.assertEqual([m.drill_compliance_pct for m in months], [100.0, 0.0, 100.0, 0.0, 100.0])
        self.assertEqual([m.drill_compliance_pct_color for m in months], ["green", "red", "green", "red", "green"])
        self.assertEqual(self._row(self.school_a, "quarter", date(2026, 1, 1)).drill_compliance_pct, 66.7)
        self.assertEqual(self._row(self.school_a, "quarter", date(2026, 4, 1)).drill_compliance_pct, 50.0)
        year = self._row(self.school_a, "year", date(2026, 1, 1))
        self.assertEqual((year.drills_required, year.drills_credited, year.drill_compliance_pct), (5, 3, 60.0))
        # quarterly for the kindergarten: counted in the quarter's last month, this one not over yet
        self.assertEqual(self._row(self.kindergarten, "month", date(2026, 3, 1)).drill_compliance_pct, 100.0)
        self.assertFalse(self._row(self.kindergarten, "month", date(2026, 5, 1)).drills_required)
        self.assertFalse(self._row(self.kindergarten, "month", date(2026, 5, 1)).drill_compliance_pct_color)
        # the figures open their records
        march = months[2]
        self.assertEqual(len(self.env["safety.drill"].search(march.action_open_drills()["domain"])), 2)
        rows = self.env["safety.drill.compliance"].search(march.action_open_drill_compliance()["domain"])
        self.assertEqual((rows.company_id, sum(rows.mapped("required_count"))), (self.school_a, 1))

    def test_training_compliance(self):
        months = [self._row(self.school_a, "month", date(2026, m, 1)) for m in (1, 2, 3, 4, 5)]
        # what today's staff must hold, as the compliance report lists it
        compliance = self.env["safety.training.compliance"].search([("company_id", "=", self.school_a.id)])
        self.assertGreater(len(compliance), 4)
        self.assertEqual({m.training_required for m in months}, {len(compliance)})
        # trained in April last year: valid up to April this year; the officer trained again in
        # March counts once; first aid is required of no one
        self.assertEqual([m.training_valid for m in months], [2, 2, 3, 2, 2])
        self.assertEqual(months[2].training_compliance_pct, round(300.0 / len(compliance), 1))
        self.assertEqual(self._row(self.school_a, "quarter", date(2026, 1, 1)).training_valid, 3)
        self.assertEqual(self._row(self.school_a, "quarter", date(2026, 4, 1)).training_valid, 2)
        # the compliance report says the same today
        held = compliance.filtered(lambda row: row.state in ("valid", "expiring"))
        self.assertEqual(len(held), months[-1].training_valid)
        # the figure opens the certificates held at the end of the period
        certificates = self.env["safety.training.certificate"].search(months[2].action_open_trainings()["domain"])
        self.assertEqual(set(certificates.mapped("employee_id")),
                         {self.employee_officer_a, self.employee_staff_a, self.employee_principal_a,
                          self.employee_guard_a})
        self.assertIn(self.march_training, certificates.training_id)

    def test_only_the_periods_asked_for(self):
        """Built for the periods a read asks for only, drills and trainings are those of the
        whole scorecard: certificates held from before the periods, drills at their edges."""
        (self.school_a | self.kindergarten).write({"safety_start_date": date(2025, 1, 1)})
        self._done_drill(self.school_a, date(2025, 12, 31))
        self._done_drill(self.kindergarten, date(2025, 6, 3))
        assert_scoped_as_whole(self, self.school_a | self.kindergarten)
        # and the months the refresh job stores read the same
        assert_stored_as_live(self, self.school_a | self.kindergarten)

    def test_monthly_report_sections(self):
        report = self.env["safety.monthly.report"]._safety_generate(date(2026, 3, 1), self.school_a, render=False)
        sections = {s["key"]: s for s in report.sections}
        trainings = sections["trainings"]
        self.assertEqual([f["value"] for f in trainings["figures"]], [1, 2])
        self.assertEqual(trainings["tables"][0]["rows"][0][1], self.march_training.name)
        drills = sections["drills"]
        figures = {f["label"]: f["value"] for f in drills["figures"]}
        self.assertEqual((figures["Drills held"], figures["Participants"]), (2, 2 * 640))
        self.assertEqual((figures["Drills required (periods ending this month)"], figures["Shortfall"]), (1, 0))
        self.assertEqual(drills["tables"][0]["rows"], [["Fire", 2, 1200, 80, 110]])
        self.assertEqual(len(drills["tables"][1]["rows"]), 2)
        april = self.env["safety.monthly.report"]._safety_generate(date(2026, 4, 1), self.school_a, render=False)
        april_drills = next(s for s in april.sections if s["key"] == "drills")
        self.assertEqual(april_drills["tables"][0]["rows"], [])
        self.assertEqual(april_drills["tables"][0]["empty"], "No drill this month.")
        self.assertEqual({f["label"]: f["value"] for f in april_drills["figures"]}["Shortfall"], 1)
