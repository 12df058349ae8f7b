"""The suite's dashboards (spreadsheet_dashboard) load, read the scorecard's own fields, and go
to who may read their figures."""

import json

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import SchoolSafetyCase
from .common_investment import SafetyInvestmentCase

SCORECARD = "safety.school.scorecard"
# the dashboards each addon of the suite ships in the group
SHIPPED = {
    "school_safety": ("school_safety.spreadsheet_dashboard_school_safety",
                      "school_safety.spreadsheet_dashboard_safety_investment"),
    "safety_inspection": ("safety_inspection.spreadsheet_dashboard_safety_inspection",),
    "safety_training": ("safety_training.spreadsheet_dashboard_safety_training",),
}
INVESTMENT = "school_safety.spreadsheet_dashboard_safety_investment"
BUDGET_MEASURES = ["budget_total:sum", "budget_spent:sum", "budget_execution_pct:avg"]


@tagged("post_install", "-at_install")
class TestDashboards(SchoolSafetyCase):
    def _dashboards(self):
        group = self.env.ref("school_safety.spreadsheet_dashboard_group_school_safety")
        return group.dashboard_ids

    def _users(self):
        return (self.user_manager | self.user_inspector | self.user_finance | self.user_principal_a
                | self.user_officer_a | self.user_staff_a | self.user_guard_a)

    def _viewers(self, dashboard):
        """The users of the fixture the dashboard is shown to."""
        return self._users().filtered(
            lambda user: self.env["spreadsheet.dashboard"].with_user(user).search([("id", "=", dashboard.id)])
        )

    def test_dashboards_are_shipped_in_their_group(self):
        dashboards = self._dashboards()
        installed = self.env["ir.module.module"].search([
            ("name", "in", tuple(SHIPPED)), ("state", "=", "installed"),
        ]).mapped("name")
        shipped = self.env["spreadsheet.dashboard"]
        for addon in installed:
            for xmlid in SHIPPED[addon]:
                shipped |= self.env.ref(xmlid)
        # exactly the dashboards of the installed addons, each at its own place in the group
        self.assertEqual(dashboards, shipped)
        self.assertEqual(len(set(dashboards.mapped("sequence"))), len(dashboards))
        zh = dashboards[0].with_context(lang="zh_CN").dashboard_group_id
        self.assertTrue(zh.name)

    def test_json_reads_existing_fields(self):
        for dashboard in self._dashboards():
            # the queries run as each user the dashboard is shown to (the superuser reads every
            # field whatever its groups)
            viewers = self._viewers(dashboard)
            self.assertTrue(viewers, dashboard.name)
            data = json.loads(dashboard.spreadsheet_data)
            for user in viewers:
                with self.subTest(dashboard=dashboard.name, user=user.login):
                    self._check_spreadsheet(dashboard, data, self.env[SCORECARD].with_user(user))

    def _check_spreadsheet(self, dashboard, data, Card):
        self.assertTrue(data["sheets"])
        self.assertTrue(data["pivots"])
        for pivot in data["pivots"].values():
            self.assertEqual(pivot["model"], SCORECARD)
            names = [m["fieldName"] for m in pivot["measures"]] + [r["fieldName"] for r in pivot["rows"]]
            names += [leaf[0] for leaf in pivot["domain"] if isinstance(leaf, list)]
            names += [match["chain"] for match in pivot["fieldMatching"].values()]
            for name in names:
                self.assertIn(name, Card._fields, f"{dashboard.name}: pivot {pivot['name']} reads {name}")
            # the pivot's query runs
            Card.read_group(
                pivot["domain"], [f"{m['fieldName']}:{Card._fields[m['fieldName']].aggregator}"
                                  for m in pivot["measures"]],
                [r["fieldName"] for r in pivot["rows"]], lazy=False,
            )
        charts = [f["data"] for sheet in data["sheets"] for f in sheet["figures"]
                  if f["data"]["type"].startswith("odoo_")]
        self.assertTrue(charts)
        for chart in charts:
            meta = chart["metaData"]
            self.assertEqual(meta["resModel"], SCORECARD)
            self.assertIn(meta["measure"], Card._fields)
            for group_by in meta["groupBy"]:
                self.assertIn(group_by.split(":")[0], Card._fields)
            # the chart's query runs
            Card.read_group(
                chart["searchParams"]["domain"], [f"{meta['measure']}:{Card._fields[meta['measure']].aggregator}"],
                meta["groupBy"], lazy=False,
            )
        # every scorecard figure reads a cell of the data sheet that exists
        cells = {f"{sheet['name']}!{ref}" for sheet in data["sheets"] for ref in sheet["cells"]}
        for sheet in data["sheets"]:
            for figure in sheet["figures"]:
                if figure["data"]["type"] == "scorecard":
                    key = figure["data"]["keyValue"]
                    self.assertIn(key, cells)

    def test_seen_by_who_reads_their_figures(self):
        """The safety dashboards go to the bureau and the principals; the investment one to who
        reads the budget figures: finance (the manager too) and the schools' safety officers
        (the principals too), not the bureau's inspector."""
        dashboards = self._dashboards()
        investment = self.env.ref(INVESTMENT)
        safety = dashboards - investment
        nothing = self.env["spreadsheet.dashboard"]
        expected = {
            self.user_manager: dashboards,
            self.user_finance: dashboards,
            self.user_principal_a: dashboards,
            self.user_inspector: safety,
            self.user_officer_a: investment,
            self.user_staff_a: nothing,
            self.user_guard_a: nothing,
        }
        Dashboard = self.env["spreadsheet.dashboard"]
        for user, seen in expected.items():
            with self.subTest(user=user.login):
                self.assertEqual(Dashboard.with_user(user).search([("id", "in", dashboards.ids)]), seen)
                for dashboard in seen:
                    loaded = dashboard.with_user(user).get_readonly_dashboard()
                    self.assertTrue(loaded["snapshot"]["sheets"])


@tagged("post_install", "-at_install")
class TestInvestmentDashboard(SafetyInvestmentCase):
    """The safety investment dashboard: the budgets of the year, what was spent from them and
    their execution, school by school, for finance and each school's own."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dashboard = cls.env.ref(INVESTMENT)
        cls.data = json.loads(cls.dashboard.spreadsheet_data)
        cls._approve(cls.budget_a)  # 135,000
        cls.today = fields.Date.today()
        cls._spend(cls.school_a, "guards", 6000, day=cls.today)
        cls._spend(cls.school_a, "technical", 750, fund=cls.fund, day=cls.today)
        cls._spend(cls.school_b, "fire", 900, day=cls.today)  # without a budget: spent, no execution
        cls._spend(cls.school_c, "technical", 5000, fund=cls.fund_2, day=cls.today)  # another bureau's

    def _year_domain(self, domain):
        """``domain`` as the dashboard's "Year" filter narrows it to this year."""
        year = self.today.year
        return domain + [("period_start", ">=", f"{year}-01-01"), ("period_start", "<=", f"{year}-12-31")]

    def _ranking(self, user):
        """The ranking pivot's rows for ``user``: {school: (budget, spent, execution)}."""
        [pivot] = [p for p in self.data["pivots"].values() if p["rows"]]
        self.assertEqual([r["fieldName"] for r in pivot["rows"]], ["company_id"])
        self.assertEqual([m["fieldName"] for m in pivot["measures"]],
                         ["budget_total", "budget_spent", "budget_execution_pct"])
        self.assertEqual(pivot["domain"], [["period_type", "=", "year"]])
        groups = self.env[SCORECARD].with_user(user).read_group(
            self._year_domain(pivot["domain"]), BUDGET_MEASURES, ["company_id"], lazy=False,
        )
        return {
            self.env["res.company"].browse(g["company_id"][0]):
                (g["budget_total"], g["budget_spent"], g["budget_execution_pct"])
            for g in groups
        }

    def test_finance_sees_the_schools_of_its_bureau(self):
        Dashboard = self.env["spreadsheet.dashboard"].with_user(self.user_finance)
        self.assertEqual(Dashboard.search([("id", "=", self.dashboard.id)]), self.dashboard)
        ranking = self._ranking(self.user_finance)
        # the bureau's schools only; school B spent without a budget: no execution (empty, read 0)
        self.assertEqual(ranking, {
            self.school_a: (135000, 6750, 5.0),
            self.school_b: (0, 900, 0),
        })
        # the other bureau's finance, its own school only
        self.assertEqual(self._ranking(self.user_finance_2), {self.school_c: (0, 5000, 0)})
        # the chart of spent to date by month: this month's is what the schools spent this year
        [chart] = [f["data"] for sheet in self.data["sheets"] for f in sheet["figures"]
                   if f["data"]["type"].startswith("odoo_") and f["data"]["metaData"]["measure"] == "budget_spent"]
        self.assertEqual(chart["searchParams"]["domain"], [["period_type", "=", "month"]])
        months = self.env[SCORECARD].with_user(self.user_finance).read_group(
            self._year_domain(chart["searchParams"]["domain"]), ["budget_spent:sum"],
            chart["metaData"]["groupBy"], lazy=False,
        )
        month = fields.Date.to_string(self.today.replace(day=1))
        [this_month] = [g for g in months if g["__range"]["period_start:month"]["from"] == month]
        self.assertEqual(this_month["budget_spent"], 6750 + 900)

    def test_officer_sees_their_school_only(self):
        for user in (self.user_officer_a, self.user_principal_a):
            with self.subTest(user=user.login):
                Dashboard = self.env["spreadsheet.dashboard"].with_user(user)
                self.assertEqual(Dashboard.search([("id", "=", self.dashboard.id)]), self.dashboard)
                self.assertEqual(self._ranking(user), {self.school_a: (135000, 6750, 5.0)})
        self.assertEqual(self._ranking(self.user_principal_b), {self.school_b: (0, 900, 0)})

    def test_inspector_neither_sees_it_nor_reads_the_money(self):
        Dashboard = self.env["spreadsheet.dashboard"].with_user(self.user_inspector)
        self.assertFalse(Dashboard.search([("id", "=", self.dashboard.id)]))
        with self.assertRaises(AccessError):
            self.dashboard.with_user(self.user_inspector).read(["name", "spreadsheet_data"])
        Card = self.env[SCORECARD].with_user(self.user_inspector)
        for measure in BUDGET_MEASURES:
            with self.subTest(measure=measure), self.assertRaises(AccessError):
                Card.read_group(self._year_domain([("period_type", "=", "year")]), [measure], ["company_id"])
        # nor does the menu that opens it show
        menu = self.env.ref("school_safety.safety_investment_dashboard_menu")
        self.assertNotIn(menu.id, self.env["ir.ui.menu"].with_user(self.user_inspector)._visible_menu_ids())
        self.assertIn(menu.id, self.env["ir.ui.menu"].with_user(self.user_finance)._visible_menu_ids())
        self.assertIn(menu.id, self.env["ir.ui.menu"].with_user(self.user_officer_a)._visible_menu_ids())

    def test_names_in_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"].search([("name", "=", "school_safety")])._update_translations(["zh_CN"])
        self.assertEqual(self.dashboard.with_context(lang="zh_CN").name, "安全投入")
        self.assertEqual(self.dashboard.with_context(lang="zh_CN").dashboard_group_id.name, "校园安全")
