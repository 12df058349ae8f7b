from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged, users

from .common import SafetyTrainingCase


@tagged("post_install", "-at_install")
class TestDrillCompliance(SafetyTrainingCase):
    """Drills required by school type and boarding status, and done against them.

    Kindergarten K: one drill a quarter. Primary school A (day school): one a month.
    Junior school B boards: two a month.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time("2026-07-15 10:00:00"):
            cls.k_may = cls._done_drill(cls.kindergarten, date(2026, 5, 10))
            cls.a_may = cls._done_drill(cls.school_a, date(2026, 5, 3))
            cls.a_june = cls._done_drill(cls.school_a, date(2026, 6, 30), mode="tabletop")
            cls.b_may = cls._done_drill(cls.school_b, date(2026, 5, 20))
            cls.b_june = cls._done_drill(cls.school_b, date(2026, 6, 2)) | cls._done_drill(
                cls.school_b, date(2026, 6, 16), drill_type="earthquake"
            )
            # neither a cancelled nor a planned drill counts
            cls._drill(cls.school_a, date_planned=date(2026, 4, 8)).action_cancel()
            cls._drill(cls.school_a, date_planned=date(2026, 4, 20))
        cls.Requirement = cls.env["safety.drill.requirement"]

    def _row(self, school, start):
        rows = self.env["safety.drill.compliance"].search(
            [("company_id", "=", school.id), ("period_start", "=", start)]
        )
        self.assertEqual(len(rows), 1, f"one row for {school.name} from {start}")
        return rows

    def _assert_row(self, row, required, done, compliant):
        self.assertEqual(
            (row.required_count, row.done_count, row.compliant, row.shortfall),
            (required, done, compliant, max(required - done, 0)),
        )

    def test_requirement_by_type_and_boarding(self):
        k = self.Requirement._for_school(self.kindergarten)
        a = self.Requirement._for_school(self.school_a)
        b = self.Requirement._for_school(self.school_b)
        self.assertEqual((k.period, k.min_count, k.boarding_only), ("quarter", 1, False))
        self.assertEqual((a.period, a.min_count, a.boarding_only), ("month", 1, False))
        self.assertEqual((b.period, b.min_count, b.boarding_only), ("month", 2, True))
        self.assertEqual(b.school_type, "junior_secondary")
        special = self.Requirement._for_school(
            self.env["res.company"].create({
                "name": "Test Special School", "parent_id": self.bureau.id,
                "safety_school_type": "special_education",
            })
        )
        self.assertEqual((special.period, special.min_count), ("month", 2))
        self.assertFalse(self.Requirement._for_school(self.bureau))

    def test_bureau_rule_overrides_default(self):
        own = self.Requirement.create({
            "bureau_id": self.bureau.id, "school_type": "primary", "period": "month", "min_count": 2,
        })
        self.assertEqual(self.Requirement._for_school(self.school_a), own)
        self.env.flush_all()
        self._assert_row(self._row(self.school_a, date(2026, 5, 1)), 2, 1, False)
        with self.assertRaises(ValidationError):
            self.Requirement.create({
                "bureau_id": self.bureau.id, "school_type": "primary", "period": "quarter", "min_count": 1,
            })

    def test_kindergarten_per_quarter(self):
        q2 = self._row(self.kindergarten, date(2026, 4, 1))
        self.assertEqual((q2.period, q2.period_end), ("quarter", date(2026, 6, 30)))
        self._assert_row(q2, 1, 1, True)
        self._assert_row(self._row(self.kindergarten, date(2026, 1, 1)), 1, 0, False)
        self.assertFalse(self.env["safety.drill.compliance"].search(
            [("company_id", "=", self.kindergarten.id), ("period_start", "=", date(2026, 5, 1))]
        ), "a kindergarten has no monthly rows")

    def test_primary_per_month(self):
        may = self._row(self.school_a, date(2026, 5, 1))
        self.assertEqual((may.period, may.period_end, may.is_boarding), ("month", date(2026, 5, 31), False))
        self._assert_row(may, 1, 1, True)
        self._assert_row(self._row(self.school_a, date(2026, 6, 1)), 1, 1, True)
        self._assert_row(self._row(self.school_a, date(2026, 4, 1)), 1, 0, False)

    def test_no_shortfall_before_the_school_used_the_suite(self):
        """A school that starts on 15 March is short of nothing before April (its first whole
        month); a kindergarten starting on 1 April counts from the second quarter."""
        with freeze_time("2026-06-10 10:00:00"):
            late, late_k = self.env["res.company"].create([
                {"name": "Late Primary", "parent_id": self.bureau.id, "safety_school_type": "primary",
                 "safety_start_date": date(2026, 3, 15)},
                {"name": "Late Kindergarten", "parent_id": self.bureau.id,
                 "safety_school_type": "kindergarten", "safety_start_date": date(2026, 4, 1)},
            ])
            self.env.flush_all()
            # (the view counts up to the database's own date, which freeze_time does not move)
            rows = self.env["safety.drill.compliance"].search([("company_id", "=", late.id)])
            self.assertEqual(min(rows.mapped("period_start")), date(2026, 4, 1))
            self.assertEqual(rows.filtered(lambda r: r.period_start < date(2026, 7, 1)).mapped("shortfall"),
                             [1, 1, 1])
            rows_k = self.env["safety.drill.compliance"].search([("company_id", "=", late_k.id)])
            self.assertEqual(min(rows_k.mapped("period_start")), date(2026, 4, 1))
            # a school registered today starts counting from its first whole period
            new = self.env["res.company"].create(
                {"name": "New Primary", "parent_id": self.bureau.id, "safety_school_type": "primary"}
            )
            self.assertEqual(new.safety_start_date, date(2026, 6, 10))
            self.env.flush_all()
            rows_new = self.env["safety.drill.compliance"].search([("company_id", "=", new.id)])
            self.assertFalse(rows_new.filtered(lambda r: r.period_start < date(2026, 7, 1)))

    def test_drill_counts_on_the_school_day(self):
        """A drill at 07:30 on 1 August in Shanghai is 23:30 on 31 July in UTC: it counts
        for August, the month the school held it."""
        with freeze_time("2026-08-20 10:00:00"):
            self.school_a.partner_id.tz = "Asia/Shanghai"
            drill = self._drill(self.school_a, date_planned=date(2026, 8, 1),
                                date_actual=datetime(2026, 7, 31, 23, 30))
            drill.action_done()
            self._assert_row(self._row(self.school_a, date(2026, 8, 1)), 1, 1, True)
            self._assert_row(self._row(self.school_a, date(2026, 7, 1)), 1, 0, False)

    def test_boarding_school_needs_two_a_month(self):
        may = self._row(self.school_b, date(2026, 5, 1))
        self.assertTrue(may.is_boarding)
        self._assert_row(may, 2, 1, False)
        self._assert_row(self._row(self.school_b, date(2026, 6, 1)), 2, 2, True)

    def test_school_becoming_boarding(self):
        self.school_a.safety_enrollment_boarding = 50
        self.env.flush_all()
        self._assert_row(self._row(self.school_a, date(2026, 5, 1)), 2, 1, False)

    def test_non_compliant_filter(self):
        Compliance = self.env["safety.drill.compliance"]
        bad = Compliance.search([("compliant", "=", False), ("company_id", "in", self.school_a.ids),
                                 ("period_start", ">=", date(2026, 4, 1)),
                                 ("period_start", "<=", date(2026, 6, 1))])
        self.assertEqual(bad.mapped("period_start"), [date(2026, 4, 1)])
        groups = Compliance._read_group(
            [("company_id", "=", self.school_b.id), ("period_start", "in", [date(2026, 5, 1), date(2026, 6, 1)])],
            [], ["shortfall:sum", "done_count:sum"],
        )
        self.assertEqual(groups, [(1, 3)])

    @users("t_officer_a")
    def test_school_sees_own_rows(self):
        rows = self.env["safety.drill.compliance"].search([])
        self.assertEqual(rows.company_id, self.school_a)

    @users("t_inspector", "t_manager")
    def test_bureau_sees_all_schools(self):
        rows = self.env["safety.drill.compliance"].search([])
        self.assertEqual(rows.company_id, self.school_a | self.school_b | self.kindergarten)

    @users("t_staff_a", "t_guard_a", "t_finance")
    def test_others_see_nothing(self):
        with self.assertRaises(AccessError):
            self.env["safety.drill.compliance"].search([])

    @users("t_officer_a")
    def test_requirements_read_only_for_schools(self):
        self.assertTrue(self.env["safety.drill.requirement"].search([]))
        with self.assertRaises(AccessError):
            self.env["safety.drill.requirement"].create({"school_type": "primary", "min_count": 3,
                                                         "bureau_id": self.bureau.id})

    @users("t_manager")
    def test_manager_configures_requirements(self):
        req = self.env["safety.drill.requirement"].create({
            "bureau_id": self.bureau.id, "school_type": "vocational", "period": "month", "min_count": 3,
        })
        req.min_count = 4
        req.unlink()

    @users("t_manager")
    def test_one_requirement_per_bureau_school_type_and_boarding(self):
        Requirement = self.env["safety.drill.requirement"]
        vals = {"bureau_id": self.bureau.id, "school_type": "vocational", "period": "month", "min_count": 3}
        first = Requirement.create(vals)
        with self.assertRaises(ValidationError):
            Requirement.create(dict(vals, min_count=2))
        with self.assertRaises(ValidationError):
            Requirement.create([dict(vals, school_type="special_education") for _i in range(2)])
        boarding = Requirement.create(dict(vals, boarding_only=True))  # another row: boarding schools
        first.action_archive()
        second = Requirement.create(dict(vals, min_count=2))  # the archived one no longer counts
        with self.assertRaises(ValidationError):
            first.action_unarchive()
        self.assertTrue(boarding.active and second.active)

    @users("t_officer_a", "t_inspector")
    def test_report_views_load(self):
        views = self.env["safety.drill.compliance"].get_views(
            [(False, "pivot"), (False, "list"), (False, "graph"), (False, "search")]
        )
        self.assertIn("non_compliant", views["views"]["search"]["arch"])
        self.env["safety.drill.compliance"].read_group(
            [("compliant", "=", False)], ["shortfall:sum"], ["company_id", "period_start:month"], lazy=False
        )


@tagged("post_install", "-at_install")
class TestDrillComplianceModes(SafetyTrainingCase):
    """A requirement row counts tabletop exercises too, or real drills only."""

    def test_real_drills_only(self):
        self._done_drill(self.kindergarten, date(2026, 2, 10), mode="tabletop", evacuation_seconds=0)
        Compliance = self.env["safety.drill.compliance"]

        def first_quarter():
            self.env.invalidate_all()
            return Compliance.search([("company_id", "=", self.kindergarten.id),
                                      ("period_start", "=", date(2026, 1, 1))])

        self.assertEqual((first_quarter().done_count, first_quarter().compliant), (1, True))
        requirement = self.env.ref("safety_training.drill_requirement_kindergarten")
        requirement.drill_modes = "real"
        self.assertEqual((first_quarter().done_count, first_quarter().compliant), (0, False))
        self.assertIn("real drills only", requirement.display_name)
        self._done_drill(self.kindergarten, date(2026, 3, 3))
        self.assertEqual((first_quarter().done_count, first_quarter().compliant), (1, True))
