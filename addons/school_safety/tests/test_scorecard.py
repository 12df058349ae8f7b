from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import SchoolSafetyCase
from .common_investment import SafetyInvestmentCase
from .common_letter import SIGNATURE, SafetyLetterCase
from .common_scorecard import assert_scoped_as_whole, assert_stored_as_live

NOW = datetime(2026, 5, 20, 4, 0)  # noon in Shanghai


def card(env, school, period_type, start):
    rows = env["safety.school.scorecard"].search([
        ("company_id", "=", school.id), ("period_type", "=", period_type), ("period_start", "=", start),
    ])
    assert len(rows) <= 1, rows
    return rows


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestScorecard(SchoolSafetyCase):
    """The scorecard's rows and school_safety's figures, checked against the records, and the
    colours of the bureau's thresholds at their boundaries."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        (cls.school_a | cls.school_b).write({"safety_start_date": date(2026, 1, 1)})
        Incident = cls.env["safety.incident"].with_user(cls.user_officer_a)
        cls.incidents = Incident.create([
            {"company_id": cls.school_a.id, "occurred_at": datetime(2026, 4, 3, 2, 0), "location": "Stairs",
             "category": "accident", "injured_count": 2, "description": "Fall", "measures_taken": "First aid"},
            # 23:30 on April 30 in Shanghai, 15:30 UTC: April for the school
            {"company_id": cls.school_a.id, "occurred_at": datetime(2026, 4, 30, 15, 30), "location": "Gate",
             "category": "public_security", "description": "Intruder", "measures_taken": "Police called"},
            {"company_id": cls.school_a.id, "occurred_at": datetime(2026, 5, 2, 1, 0), "location": "Field",
             "category": "natural_disaster", "death_count": 1, "description": "Lightning",
             "measures_taken": "Emergency plan"},
        ])

    def test_periods_and_incidents(self):
        april = card(self.env, self.school_a, "month", date(2026, 4, 1))
        self.assertEqual((april.name, april.period_end, april.as_of), ("2026-04", date(2026, 4, 30), date(2026, 4, 30)))
        self.assertEqual((april.incident_count, april.incident_injured, april.incident_deaths), (2, 2, 0))
        may = card(self.env, self.school_a, "month", date(2026, 5, 1))
        self.assertTrue(may.is_current)
        self.assertEqual(may.as_of, date(2026, 5, 20))
        self.assertEqual((may.incident_count, may.incident_deaths), (1, 1))
        quarter = card(self.env, self.school_a, "quarter", date(2026, 4, 1))
        self.assertEqual((quarter.name, quarter.period_end, quarter.incident_count), ("2026 Q2", date(2026, 6, 30), 3))
        year = card(self.env, self.school_a, "year", date(2026, 1, 1))
        self.assertEqual((year.name, year.incident_count, year.incident_injured), ("2026", 3, 2))
        # months from the school's first one to this one, none after
        months = self.env["safety.school.scorecard"].search(
            [("company_id", "=", self.school_a.id), ("period_type", "=", "month")]
        )
        self.assertEqual(sorted(months.mapped("name")), ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05"])
        self.assertEqual(card(self.env, self.school_b, "year", date(2026, 1, 1)).incident_count, 0)
        # the figure opens the records behind it
        action = april.action_open_incidents()
        self.assertEqual(self.env["safety.incident"].search(action["domain"]), self.incidents[:2])
        self.assertEqual(self.env["safety.incident"].search(year.action_open_incidents()["domain"]), self.incidents)
        # a row opens again by its id
        self.assertEqual(self.env["safety.school.scorecard"].browse(april.id).incident_count, 2)

    def test_only_the_periods_asked_for(self):
        """A read builds only the periods its domain or its ids ask for, with the same answer as
        the whole scorecard, across years (the schools kept their records since 2024 and 2025)."""
        self.school_a.safety_start_date = date(2024, 7, 1)
        self.school_b.safety_start_date = date(2025, 3, 1)
        self.env["safety.incident"].with_user(self.user_officer_a).create([
            {"company_id": self.school_a.id, "occurred_at": datetime(2025, month, 3, 2, 0), "location": "Hall",
             "category": "other", "injured_count": 1, "description": "Slip", "measures_taken": "Care"}
            for month in (1, 6, 12)
        ])
        assert_scoped_as_whole(self, self.school_a | self.school_b)
        # as each role, through the record rules: the same rows as the whole query
        Card = self.env["safety.school.scorecard"]
        year = [("period_type", "=", "year"), ("period_start", "=", date(2025, 1, 1))]
        self.assertEqual(Card.with_user(self.user_principal_a).search(year).company_id, self.school_a)
        self.assertEqual(Card.with_user(self.user_principal_a).search(year).incident_count, 3)
        self.assertEqual(Card.with_user(self.user_inspector).search(year).company_id, self.school_a | self.school_b)

    def test_guards_against_the_requirement(self):
        row = card(self.env, self.school_a, "month", date(2026, 5, 1))
        # 850 pupils going home daily: 2 guards required, one guard employee
        self.assertEqual((row.guards_required, row.guards_employed, row.guards_pct), (2, 1, 50.0))
        self.school_a.safety_guards_contracted = 1
        row.invalidate_recordset()
        self.assertEqual((row.guards_employed, row.guards_pct), (2, 100.0))
        self.assertEqual(row.guards_pct_color, "green")
        self.assertEqual(row.action_open_school()["res_id"], self.school_a.id)

    def _threshold(self, measure, green, amber, period_type=False):
        Threshold = self.env["safety.scorecard.threshold"]
        existing = Threshold.search([("bureau_id", "=", self.bureau.id), ("measure", "=", measure),
                                     ("period_type", "=", period_type)])
        values = {"green_limit": green, "amber_limit": amber}
        if existing:
            existing.write(values)
        else:
            Threshold.create(dict(values, bureau_id=self.bureau.id, measure=measure, period_type=period_type))
        self.env.invalidate_all()

    def test_colours_at_the_boundaries(self):
        april = card(self.env, self.school_a, "month", date(2026, 4, 1))  # 2 incidents
        may = card(self.env, self.school_a, "month", date(2026, 5, 1))  # 1 incident
        quarter = card(self.env, self.school_a, "quarter", date(2026, 4, 1))  # 3 incidents
        other = card(self.env, self.school_b, "month", date(2026, 5, 1))  # none
        # the shipped default: lower is better, green up to 0, amber up to 1
        self.assertEqual((april.incident_count_color, may.incident_count_color, other.incident_count_color),
                         ("red", "amber", "green"))
        # the bureau's own row takes precedence: green up to 1, amber up to 2
        self._threshold("incident_count", 1, 2)
        self.assertEqual((may.incident_count_color, april.incident_count_color, quarter.incident_count_color),
                         ("green", "amber", "red"))
        # a row for quarters takes precedence for quarters only
        self._threshold("incident_count", 3, 5, "quarter")
        self.assertEqual((quarter.incident_count_color, april.incident_count_color), ("green", "amber"))
        # higher is better (guards: 50 %): green from the green limit, amber from the amber limit
        for green, amber, colour in ((50, 40, "green"), (50.1, 50, "amber"), (60, 50.1, "red")):
            self._threshold("guards_pct", green, amber)
            self.assertEqual(may.guards_pct_color, colour, (green, amber))
        # no value, no colour: no letters, nothing to colour
        self.assertFalse(may.letters_total)
        self.assertFalse(may.letters_signed_pct_color)
        # archived: the default applies again
        self.env["safety.scorecard.threshold"].search([("bureau_id", "=", self.bureau.id)]).active = False
        self.env.invalidate_all()
        self.assertEqual(april.incident_count_color, "red")

    def test_score_and_ranking(self):
        rows = self.env["safety.school.scorecard"].search(
            [("company_id", "in", (self.school_a | self.school_b).ids), ("period_type", "=", "month"),
             ("period_start", "=", date(2026, 5, 1))], order="score desc",
        )
        self.assertEqual(len(rows), 2)
        self.assertGreaterEqual(rows[0].score, rows[1].score)
        measures = self.env["safety.school.scorecard"]._safety_scorecard_measures()
        for row in rows:
            colours = [row[f"{measure}_color"] for measure in measures]
            counts = {colour: colours.count(colour) for colour in ("green", "amber", "red")}
            self.assertEqual((row.green_count, row.amber_count, row.red_count),
                             (counts["green"], counts["amber"], counts["red"]))
            self.assertAlmostEqual(
                row.score, round((100 * counts["green"] + 50 * counts["amber"]) / sum(counts.values()), 1)
            )
        # pivot and graph read the same figures
        groups = self.env["safety.school.scorecard"].read_group(
            [("company_id", "=", self.school_a.id), ("period_type", "=", "month")],
            ["incident_count:sum", "guards_pct:avg"], ["period_start:quarter"],
        )
        self.assertEqual([g["incident_count"] for g in groups], [0, 3])

    def test_as_many_queries_for_more_schools(self):
        """The list and the dashboard's grouped reads are one query each, whatever the number of
        schools and figures (no query per row or per figure)."""
        Card = self.env["safety.school.scorecard"]
        # every figure the inspector may read (the budget figures are finance's and the schools')
        fnames = [name for name, field in Card._fields.items()
                  if field.store and field.type != "one2many" and not field.groups]

        def queries():
            self.env.invalidate_all()
            card = Card.with_user(self.user_inspector)
            before = self.env.cr.sql_log_count
            rows = card.search_read([("period_type", "=", "year")], fnames)
            card._read_group([("period_type", "=", "month")], ["period_start:month"],
                             [f"{measure}:avg" for measure in Card._safety_scorecard_measures()])
            card._read_group([("period_type", "=", "year")], ["company_id"], ["score:avg"])
            return self.env.cr.sql_log_count - before, len(rows)

        queries()  # warm the caches of the access rights and the rules
        few, few_rows = queries()
        more = self.env["res.company"].create([
            {"name": f"Test School {i}", "parent_id": self.bureau.id, "safety_school_type": "primary",
             "safety_start_date": date(2025, 1, 1)}
            for i in range(3)
        ])
        self.user_inspector.company_ids |= more
        queries()
        many, many_rows = queries()
        self.assertGreater(many_rows, few_rows)
        self.assertEqual(many, few)

    def test_each_school_sees_its_own_row(self):
        Card = self.env["safety.school.scorecard"]
        domain = [("company_id", "in", (self.school_a | self.school_b).ids), ("period_type", "=", "year")]
        self.assertEqual(Card.with_user(self.user_principal_a).search(domain).company_id, self.school_a)
        self.assertEqual(Card.with_user(self.user_officer_a).search(domain).company_id, self.school_a)
        self.assertEqual(Card.with_user(self.user_principal_b).search(domain).company_id, self.school_b)
        for user in (self.user_inspector, self.user_finance, self.user_manager):
            self.assertEqual(Card.with_user(user).search(domain).company_id, self.school_a | self.school_b)
        other = card(self.env, self.school_b, "year", date(2026, 1, 1))
        with self.assertRaises(AccessError):
            other.with_user(self.user_principal_a).read(["score"])
        for user in (self.user_staff_a, self.user_guard_a):
            with self.assertRaises(AccessError):
                Card.with_user(user).search(domain)
        # the principal's pivot holds their school only
        groups = Card.with_user(self.user_principal_a).read_group(domain, ["score:avg"], ["company_id"])
        self.assertEqual([g["company_id"][0] for g in groups], [self.school_a.id])


@tagged("post_install", "-at_install")
class TestScorecardThresholds(SchoolSafetyCase):
    """Who sets the thresholds, and the limits they may set."""

    def test_bureau_manager_keeps_their_bureau_thresholds(self):
        Threshold = self.env["safety.scorecard.threshold"].with_user(self.user_manager)
        mine = Threshold.create({"bureau_id": self.bureau.id, "measure": "letters_signed_pct",
                                 "green_limit": 90, "amber_limit": 70})
        self.assertEqual(mine.direction, "higher")
        mine.write({"green_limit": 98})
        default = self.env.ref("school_safety.safety_scorecard_threshold_letters")
        self.assertIn(default, Threshold.search([]))
        with self.assertRaises(AccessError):
            default.with_user(self.user_manager).write({"green_limit": 10})
        with self.assertRaises(AccessError):
            Threshold.create({"measure": "guards_pct", "period_type": "year", "green_limit": 90, "amber_limit": 70})
        other = self.env["res.company"].create({"name": "Other Bureau", "safety_is_bureau": True})
        with self.assertRaises(AccessError):
            Threshold.create({"bureau_id": other.id, "measure": "guards_pct", "green_limit": 90, "amber_limit": 70})
        for user in (self.user_inspector, self.user_principal_a, self.user_finance):
            with self.assertRaises(AccessError):
                self.env["safety.scorecard.threshold"].with_user(user).create(
                    {"bureau_id": self.bureau.id, "measure": "guards_pct", "green_limit": 90, "amber_limit": 70}
                )
        self.assertEqual(default.green_limit, 95)

    def test_bad_limits_are_refused(self):
        Threshold = self.env["safety.scorecard.threshold"].with_user(self.user_manager)
        cases = [
            ({"measure": "letters_signed_pct", "green_limit": 80, "amber_limit": 90}, "cannot be above"),
            ({"measure": "incident_count", "green_limit": 2, "amber_limit": 1}, "cannot be below"),
            ({"measure": "incident_count", "green_limit": -1, "amber_limit": 1}, "negative"),
        ]
        for values, message in cases:
            with self.subTest(values=values), self.assertRaisesRegex(ValidationError, message), \
                    self.env.cr.savepoint():
                Threshold.create(dict(values, bureau_id=self.bureau.id))
        Threshold.create({"bureau_id": self.bureau.id, "measure": "incident_count", "green_limit": 0,
                          "amber_limit": 1})
        with self.assertRaisesRegex(ValidationError, "already a threshold"), self.env.cr.savepoint():
            Threshold.create({"bureau_id": self.bureau.id, "measure": "incident_count", "green_limit": 0,
                              "amber_limit": 2})
        with self.assertRaisesRegex(ValidationError, "not an education bureau"), self.env.cr.savepoint():
            self.env["safety.scorecard.threshold"].create(
                {"bureau_id": self.school_a.id, "measure": "incident_count", "green_limit": 0, "amber_limit": 2}
            )
        self.assertEqual(Threshold.search_count([("bureau_id", "=", self.bureau.id)]), 1)


@tagged("post_install", "-at_install")
class TestScorecardLetters(SafetyLetterCase):
    """Letters signed, as of the end of each period."""

    def test_letters_signed(self):
        self.campaign._safety_generate(sync=True)
        letters = self.campaign.letter_ids.filtered(lambda letter: letter.company_id == self.school_a)
        self.env["safety.letter"].sudo()._safety_issue(self.campaign, letters.ids)
        signed = letters[:3]
        for letter in signed:
            letter._safety_sign("a", SIGNATURE, "A", "10.0.0.1")
            letter._safety_sign("b", SIGNATURE, "B", "10.0.0.2")
        letters[3]._safety_supersede()
        self.env.flush_all()
        today = self.env["safety.school.scorecard"].search([
            ("company_id", "=", self.school_a.id), ("period_type", "=", "month"), ("is_current", "=", True),
        ])
        self.assertEqual(today.letters_total, len(letters) - 1)
        self.assertEqual(today.letters_signed, 3)
        self.assertEqual(today.letters_signed_pct, round(100.0 * 3 / (len(letters) - 1), 1))
        opened = self.env["safety.letter"].search(today.action_open_letters()["domain"])
        self.assertEqual(opened, letters)


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestScorecardBudget(SafetyInvestmentCase):
    """The safety investment of the period's year: the approved budget, spent to date, and
    execution; school B's rows do not see school A's money."""

    PERIODS = (("month", date(2026, 2, 1)), ("month", date(2026, 3, 1)), ("month", date(2026, 4, 1)),
               ("month", date(2026, 5, 1)), ("quarter", date(2026, 1, 1)), ("quarter", date(2026, 4, 1)),
               ("year", date(2026, 1, 1)))

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        (cls.school_a | cls.school_b).write({"safety_start_date": date(2026, 1, 1)})

    def _budget_figures(self, school, env=None):
        """{(period type, start): (budget, spent to date, execution %)} of the school's rows."""
        self.env.invalidate_all()
        figures = {}
        for period_type, start in self.PERIODS:
            row = card(env or self.env, school, period_type, start)
            figures[period_type, start] = (row.budget_total, row.budget_spent, row.budget_execution_pct)
        return figures

    def _executions(self, school):
        """How many of the school's rows have an execution (not empty: the ORM reads NULL as 0)."""
        [(count,)] = self.env["safety.school.scorecard"]._read_group(
            [("company_id", "=", school.id)], [], ["budget_execution_pct:count"]
        )
        return count

    def test_budget_spent_and_execution(self):
        school_b_before = self._budget_figures(self.school_b)
        # no approved budget yet: spending shows, the execution is empty (not 0 %)
        self._spend(self.school_a, "guards", 30000, day=date(2026, 3, 10))
        self.assertEqual(self._budget_figures(self.school_a)["month", date(2026, 3, 1)], (0, 30000, 0))
        self.assertEqual(self._executions(self.school_a), 0)
        self._approve(self.budget_a)  # 135,000
        self._budget(self.school_b, guards=50000)  # a draft: not a budget yet
        self._spend(self.school_a, "technical", 6000, fund=self.fund, day=date(2026, 3, 10))
        self._spend(self.school_a, "insurance", 1200, day=date(2026, 4, 30))  # no line of the budget: counts
        self._spend(self.school_a, "guards", 4000, day=date(2026, 5, 5))
        self._spend(self.school_a, "guards", 7000, day=date(2026, 5, 25))  # after today: not spent yet
        self._spend(self.school_a, "guards", 99999, day=date(2025, 12, 31))  # last year's
        figures = self._budget_figures(self.school_a)
        self.assertEqual(figures, {
            ("month", date(2026, 2, 1)): (135000, 0, 0.0),
            ("month", date(2026, 3, 1)): (135000, 36000, 26.7),
            ("month", date(2026, 4, 1)): (135000, 37200, 27.6),
            ("month", date(2026, 5, 1)): (135000, 41200, 30.5),
            ("quarter", date(2026, 1, 1)): (135000, 36000, 26.7),
            ("quarter", date(2026, 4, 1)): (135000, 41200, 30.5),
            ("year", date(2026, 1, 1)): (135000, 41200, 30.5),
        })
        # school B: unchanged, no budget, nothing spent, no execution
        self.assertEqual(self._budget_figures(self.school_b), school_b_before)
        self.assertEqual(set(school_b_before.values()), {(0, 0, 0)})
        self.assertEqual((self._executions(self.school_a), self._executions(self.school_b)), (5 + 2 + 1, 0))
        # the pivot's average leaves out the school without a budget
        [group] = self.env["safety.school.scorecard"].read_group(
            [("company_id", "in", (self.school_a | self.school_b).ids), ("period_type", "=", "year")],
            ["budget_execution_pct:avg", "budget_total:sum"], [],
        )
        self.assertEqual((group["budget_execution_pct"], group["budget_total"]), (30.5, 135000))
        # the budget as revised (its lines as they are now) is the budget of every period of the year
        self.budget_a.line_ids.filtered(lambda line: line.category_id == self.cat["guards"]).sudo().amount = 65000
        self.assertEqual(self._budget_figures(self.school_a)["year", date(2026, 1, 1)], (100000, 41200, 41.2))
        # finance reads the figures; the figure opens the budget's execution
        year = card(self.env, self.school_a, "year", date(2026, 1, 1))
        self.assertEqual(self._budget_figures(self.school_a, self.env(user=self.user_finance)),
                         self._budget_figures(self.school_a))
        execution = self.env["safety.investment.execution"].search(year.action_open_budget()["domain"])
        self.assertEqual((execution.company_id, set(execution.mapped("year"))), (self.school_a, {2026}))
        self.assertEqual(sum(execution.mapped("budget")), 100000)
        # the school's money is finance's and the school's own: the bureau's inspector reads the
        # scorecard but not its budget figures, and the principal reads their school's
        self.assertEqual(self._budget_figures(self.school_a, self.env(user=self.user_principal_a)),
                         self._budget_figures(self.school_a))
        inspector_year = year.with_user(self.user_inspector)
        inspector_year.read(["score"])
        for name in ("budget_total", "budget_spent", "budget_execution_pct"):
            with self.assertRaises(AccessError):
                inspector_year.read([name])
        self.assertNotIn("budget_total", inspector_year.fields_get())
        # the months the refresh job stores hold the same money (numbers, the currency, no budget)
        revised = self._budget_figures(self.school_a)
        assert_stored_as_live(self, self.school_a | self.school_b)
        self.assertEqual(self._budget_figures(self.school_a), revised)
        self.assertEqual(self._budget_figures(self.school_b), school_b_before)
        self.assertEqual(card(self.env, self.school_a, "year", date(2026, 1, 1)).currency_id, self.school_a.currency_id)
