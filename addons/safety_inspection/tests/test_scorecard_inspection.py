from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from odoo.addons.school_safety.tests.common_scorecard import assert_scoped_as_whole, assert_stored_as_live

from .common import SafetyInspectionCase

NOW = datetime(2026, 5, 20, 4, 0)


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestScorecardInspection(SafetyInspectionCase):
    """The scorecard's hazards, inspections and patrols against the records behind them, and
    the monthly report's sections of this addon."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        (cls.school_a | cls.school_b).write({"safety_start_date": date(2026, 1, 1)})
        cls.h_closed_march = cls._hazard(found_date=date(2026, 3, 10))
        cls.h_overdue = cls._hazard(found_date=date(2026, 4, 1), level="major", deadline=date(2026, 4, 15))
        cls.h_open = cls._hazard(found_date=date(2026, 4, 20), deadline=date(2026, 5, 30))
        cls.h_february = cls._hazard(found_date=date(2026, 2, 1), level="major", deadline=date(2026, 2, 10))
        cls.env.flush_all()
        # their rectification steps are tested elsewhere: here only where they ended
        cls.env.cr.execute(
            "UPDATE safety_hazard SET state = 'closed', closed_date = %s WHERE id = %s",
            [date(2026, 4, 5), cls.h_closed_march.id],
        )
        cls.env.cr.execute(
            "UPDATE safety_hazard SET state = 'closed', closed_date = %s WHERE id = %s",
            [date(2026, 3, 1), cls.h_february.id],
        )
        cls.inspections = cls._inspection(date=date(2026, 3, 15)) | cls._inspection(date=date(2026, 5, 5))
        cls.env.flush_all()
        for inspection, done, score in zip(cls.inspections, (date(2026, 3, 15), date(2026, 5, 5)), (80.0, 95.0),
                                           strict=True):
            cls.env.cr.execute(
                "UPDATE safety_inspection SET state = 'done', date_done = %s, score = %s WHERE id = %s",
                [done, score, inspection.id],
            )
        checkpoint = cls.env["safety.patrol.checkpoint"].create({"name": "Gate", "company_id": cls.school_a.id})
        route = cls.env["safety.patrol.route"].create({
            "name": "Round A", "company_id": cls.school_a.id,
            "line_ids": [Command.create({"checkpoint_id": checkpoint.id})],
        })
        starts = [datetime(2026, 4, day, 1, 0) for day in (2, 3, 4, 5, 6)]
        cls.rounds = cls.env["safety.patrol.round"].create([{
            "company_id": cls.school_a.id, "route_id": route.id, "planned_start": start,
            "planned_end": start + timedelta(hours=1),
        } for start in starts])
        cls.scans = cls.env["safety.patrol.scan"].sudo().create([{
            "company_id": cls.school_a.id, "round_id": cls.rounds[0].id, "checkpoint_id": checkpoint.id,
            "guard_id": cls.user_guard_a.id, "client_id": f"scorecard-{index}",
            "device_time": starts[0] + timedelta(minutes=index),
        } for index in range(3)])
        cls.env.flush_all()
        for patrol, state in zip(cls.rounds, ("completed", "completed", "completed", "missed", "planned"), strict=True):
            cls.env.cr.execute("UPDATE safety_patrol_round SET state = %s WHERE id = %s", [state, patrol.id])
        cls.env.cr.execute("UPDATE safety_patrol_scan SET review_state = 'pending', flag_gap = TRUE, flagged = TRUE "
                           "WHERE id IN %s",
                           [tuple(cls.scans[:2].ids)])
        cls.env.invalidate_all()

    def _row(self, period_type, start):
        return self.env["safety.school.scorecard"].search([
            ("company_id", "=", self.school_a.id), ("period_type", "=", period_type), ("period_start", "=", start),
        ])

    def _figures(self, row):
        return (row.hazards_found, row.hazards_closed, row.hazards_open, row.hazards_overdue,
                row.hazards_major_open, row.hazards_avg_close_days)

    def test_hazards_month_by_month(self):
        self.assertEqual(self._figures(self._row("month", date(2026, 1, 1))), (0, 0, 0, 0, 0, 0.0))
        self.assertEqual(self._figures(self._row("month", date(2026, 2, 1))), (1, 0, 1, 1, 1, 0.0))
        self.assertEqual(self._figures(self._row("month", date(2026, 3, 1))), (1, 1, 1, 0, 0, 28.0))
        self.assertEqual(self._figures(self._row("month", date(2026, 4, 1))), (2, 1, 2, 1, 1, 26.0))
        # today: the hazard due on the 30th is not overdue yet
        self.assertEqual(self._figures(self._row("month", date(2026, 5, 1))), (0, 0, 2, 1, 1, 0.0))
        self.assertEqual(self._figures(self._row("quarter", date(2026, 1, 1))), (2, 1, 1, 0, 0, 28.0))
        self.assertEqual(self._figures(self._row("quarter", date(2026, 4, 1))), (2, 1, 2, 1, 1, 26.0))
        self.assertEqual(self._figures(self._row("year", date(2026, 1, 1))), (4, 2, 2, 1, 1, 27.0))
        other = self.env["safety.school.scorecard"].search(
            [("company_id", "=", self.school_b.id), ("period_type", "=", "year")])
        self.assertEqual(self._figures(other), (0, 0, 0, 0, 0, 0.0))

    def test_hazard_figures_open_their_records(self):
        Hazard = self.env["safety.hazard"]
        april = self._row("month", date(2026, 4, 1))
        self.assertEqual(Hazard.search(april.action_open_hazards_open()["domain"]), self.h_overdue | self.h_open)
        self.assertEqual(Hazard.search(april.action_open_hazards_overdue()["domain"]), self.h_overdue)
        self.assertEqual(Hazard.search(april.action_open_hazards_major()["domain"]), self.h_overdue)
        self.assertEqual(Hazard.search(april.action_open_hazards_closed()["domain"]), self.h_closed_march)
        february = self._row("month", date(2026, 2, 1))
        self.assertEqual(Hazard.search(february.action_open_hazards_overdue()["domain"]), self.h_february)
        for row in self.env["safety.school.scorecard"].search([("company_id", "=", self.school_a.id)]):
            self.assertEqual(Hazard.search_count(row.action_open_hazards_open()["domain"]), row.hazards_open, row.name)
            self.assertEqual(Hazard.search_count(row.action_open_hazards_overdue()["domain"]), row.hazards_overdue,
                             row.name)

    def test_inspections_and_patrols(self):
        scores = [self._row("month", date(2026, m, 1)).inspection_score_last for m in (1, 2, 3, 4, 5)]
        self.assertEqual(scores, [0.0, 0.0, 80.0, 80.0, 95.0])
        self.assertFalse(self._row("month", date(2026, 2, 1)).inspection_score_last_color)
        self.assertEqual(self._row("month", date(2026, 3, 1)).inspection_score_last_color, "amber")
        self.assertEqual(self._row("month", date(2026, 5, 1)).inspection_score_last_color, "green")
        self.assertEqual(self._row("quarter", date(2026, 1, 1)).inspection_score_last, 80.0)
        self.assertEqual(self._row("year", date(2026, 1, 1)).inspections_done, 2)
        april = self._row("month", date(2026, 4, 1))
        self.assertEqual((april.patrol_rounds_due, april.patrol_rounds_completed, april.patrol_completed_pct),
                         (4, 3, 75.0))
        self.assertEqual(april.patrol_completed_pct_color, "red")
        self.assertEqual(april.scans_flagged_waiting, 2)
        self.assertEqual(self.env["safety.patrol.round"].search(april.action_open_patrol_rounds()["domain"]),
                         self.rounds[:4])
        self.assertEqual(self.env["safety.patrol.scan"].search(april.action_open_scans_waiting()["domain"]),
                         self.scans[:2])
        self.assertEqual(self.env["safety.inspection"].search(
            self._row("month", date(2026, 4, 1)).action_open_inspections()["domain"]), self.inspections[0])

    def test_only_the_periods_asked_for(self):
        """Built for the periods a read asks for only, the hazards, inspections and patrols are
        those of the whole scorecard: stocks carried over from before the periods, flows at the
        edges of a month in the school's time zone."""
        self.school_a.safety_start_date = date(2025, 1, 1)
        open_2025 = self._hazard(found_date=date(2025, 5, 10), level="major", deadline=date(2025, 6, 1))
        late_2025 = self._hazard(found_date=date(2025, 11, 20), deadline=date(2025, 12, 1))
        self.env.flush_all()
        self.env.cr.execute("UPDATE safety_hazard SET state = 'closed', closed_date = %s WHERE id = %s",
                            [date(2026, 2, 3), late_2025.id])
        self.env.cr.execute("UPDATE safety_inspection SET date_done = %s WHERE id = %s",
                            [date(2025, 9, 15), self.inspections[0].id])
        # 16:30 UTC on December 31: January 1 in Shanghai
        self.env.cr.execute("UPDATE safety_patrol_round SET planned_start = %s WHERE id = %s",
                            [datetime(2025, 12, 31, 16, 30), self.rounds[3].id])
        self.env.cr.execute("UPDATE safety_patrol_scan SET device_time = %s WHERE id = %s",
                            [datetime(2025, 12, 31, 15, 30), self.scans[1].id])
        self.env.invalidate_all()
        assert_scoped_as_whole(self, self.school_a | self.school_b)
        # and the months the refresh job stores read the same
        assert_stored_as_live(self, self.school_a | self.school_b)
        january = self._row("month", date(2026, 1, 1))
        self.assertEqual((january.hazards_open, january.hazards_overdue, january.patrol_rounds_due), (2, 2, 1))
        self.assertEqual(self._row("year", date(2025, 1, 1)).scans_flagged_waiting, 1)
        self.assertTrue(open_2025)

    def test_monthly_report_sections(self):
        report = self.env["safety.monthly.report"]._safety_generate(date(2026, 4, 1), self.school_a, render=False)
        hazards = next(s for s in report.sections if s["key"] == "hazards")
        figures = [f["value"] for f in hazards["figures"]]
        self.assertEqual(figures, [0, 2, 1, 2, 1])
        majors = hazards["tables"][1]["rows"]
        self.assertEqual([row[0] for row in majors], [self.h_overdue.name])
        guards = {f["label"]: f["value"] for f in next(s for s in report.sections if s["key"] == "guards")["figures"]}
        self.assertEqual((guards["Patrol rounds due"], guards["Completed"], guards["Missed"]), (4, 3, 1))
        self.assertEqual((guards["Flagged scans"], guards["of which still to review"]), (2, 2))
        self.assertEqual(guards["Guards required (GB/T 29315)"], 2)
        march = self.env["safety.monthly.report"]._safety_generate(date(2026, 3, 1), self.school_a, render=False)
        table = next(s for s in march.sections if s["key"] == "hazards")["tables"][0]
        self.assertEqual([row[1] for row in table["rows"]], [self.inspections[0].name])
