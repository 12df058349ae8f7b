import io
from datetime import date

import openpyxl

from odoo.tests import tagged

from .common_investment import SafetyInvestmentCase


@tagged("post_install", "-at_install")
class TestExecution(SafetyInvestmentCase):
    """Actual spending is every analytic line charged to a category of safety investment; per
    line, school, fund and bureau: budget, committed, actual, remaining, execution rate."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._approve(cls.budget_a)
        cls.budget_b = cls._approve(cls._budget(cls.school_b, guards=50000, fire=10000))
        month = date(cls.year, 3, 10)
        cls._spend(cls.school_a, "guards", 30000, day=month)
        cls._spend(cls.school_a, "guards", 25000, day=date(cls.year, 9, 10))
        cls._spend(cls.school_a, "technical", 6000, fund=cls.fund, day=month)
        cls._spend(cls.school_a, "insurance", 1200, day=month)  # no line of the budget
        cls._spend(cls.school_b, "fire", 9000, day=month)
        cls._spend(cls.school_a, "guards", 99999, day=date(cls.year - 1, 12, 31))  # last year

    def test_manual_lines_count(self):
        lines = {line.category_id: line for line in self.budget_a.line_ids}
        guards = lines[self.cat["guards"]]
        self.assertEqual((guards.amount, guards.actual, guards.remaining, guards.execution_rate),
                         (100000, 55000, 45000, 55.0))
        technical = lines[self.cat["technical"]]
        self.assertEqual((technical.actual, technical.actual_fund, technical.execution_rate), (6000, 6000, 30.0))
        # the school: spending without a budget line counts too
        self.assertEqual((self.budget_a.amount_total, self.budget_a.actual), (135000, 62200))
        self.assertEqual(self.budget_a.remaining, 135000 - 62200)
        self.assertAlmostEqual(self.budget_a.execution_rate, 100.0 * 62200 / 135000)
        self.assertEqual(self.budget_a.fund_allocated, 60000)

    def test_read_group_by_school_fund_and_bureau(self):
        Execution = self.env["safety.investment.execution"].with_user(self.user_finance)
        domain = [("year", "=", self.year), ("bureau_id", "=", self.bureau.id)]
        fields = ["budget:sum", "committed:sum", "actual:sum", "remaining:sum", "execution_rate:avg",
                  "fund_execution_rate:avg"]
        [bureau] = Execution.read_group(domain, fields, ["bureau_id"])
        self.assertEqual((bureau["budget"], bureau["actual"]), (195000, 71200))
        self.assertEqual(bureau["remaining"], 195000 - 71200)
        self.assertAlmostEqual(bureau["execution_rate"], 100.0 * 71200 / 195000)
        schools = {g["company_id"][0]: g for g in Execution.read_group(domain, fields, ["company_id"])}
        self.assertEqual(schools[self.school_b.id]["actual"], 9000)
        self.assertAlmostEqual(schools[self.school_b.id]["execution_rate"], 15.0)
        funds = {g["fund_id"] and g["fund_id"][0]: g for g in Execution.read_group(domain, fields, ["fund_id"])}
        self.assertAlmostEqual(funds[self.fund.id]["fund_execution_rate"], 10.0)
        months = Execution.read_group(domain + [("source", "=", "spending")], ["actual:sum"], ["date:month"])
        self.assertEqual(sorted(g["actual"] for g in months), [25000, 46200])

    def test_roles_see_their_execution(self):
        Execution = self.env["safety.investment.execution"]
        for user in (self.user_officer_a, self.user_principal_a):
            rows = Execution.with_user(user).search([])
            self.assertEqual(rows.company_id, self.school_a, user.login)
        self.assertEqual(
            Execution.with_user(self.user_finance).search([("year", "=", self.year)]).company_id,
            self.school_a | self.school_b,
        )
        self.assertFalse(Execution.with_user(self.user_finance_2).search([("company_id", "=", self.school_a.id)]))

    def test_school_form_at_a_glance(self):
        school = self.school_a.with_user(self.user_officer_a)
        self.assertEqual((school.safety_budget_amount, school.safety_budget_actual), (135000, 62200))
        self.assertEqual(school.safety_budget_actual_fund, 6000)
        self.assertEqual(school.safety_budget_remaining, 135000 - 62200)
        self.assertEqual(self.school_a.with_user(self.user_principal_a).safety_budget_id, self.budget_a)

    def test_excel_parsed_back(self):
        content, kind = self.env["ir.actions.report"].with_user(self.user_finance)._render(
            "school_safety.safety_investment_execution_xlsx_report", (self.budget_a | self.budget_b).ids
        )
        self.assertEqual(kind, "xlsx")
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
        rows = list(workbook.worksheets[0].iter_rows(values_only=True))
        header = rows[0]
        self.assertEqual(header[:5], ("School", "Year", "Category", "Budget", "Committed"))
        self.assertEqual(header[5:17], ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
                                        "Nov", "Dec"))
        column = {title: index for index, title in enumerate(header)}
        table = {(row[0], row[2]): row for row in rows[1:]}
        guards = table[(self.school_a.name, self.cat["guards"].display_name)]
        self.assertEqual(guards[column["Budget"]], 100000)
        self.assertEqual((guards[column["Mar"]], guards[column["Sep"]], guards[column["Spent"]]),
                         (30000, 25000, 55000))
        self.assertEqual(guards[column["Remaining"]], 45000)
        self.assertAlmostEqual(guards[column["Execution (%)"]], 0.55)
        technical = table[(self.school_a.name, self.cat["technical"].display_name)]
        self.assertEqual((technical[column["Spent from Special Funds"]], technical[column["Spent from Own Money"]]),
                         (6000, 0))
        insurance = table[(self.school_a.name, self.cat["insurance"].display_name)]
        self.assertEqual((insurance[column["Budget"]], insurance[column["Spent"]]), (0, 1200))
        total_a = table[(self.school_a.name, "Total")]
        self.assertEqual((total_a[column["Budget"]], total_a[column["Spent"]]), (135000, 62200))
        total = table[("All Schools", "Total")]
        self.assertEqual((total[column["Budget"]], total[column["Spent"]], total[column["Mar"]]),
                         (195000, 71200, 46200))
        funds = list(workbook.worksheets[1].iter_rows(values_only=True))
        self.assertEqual(funds[1][0], self.fund.name)
        self.assertEqual(funds[1][3:8], (self.school_a.name, 60000, 0, 6000, 54000))
        self.assertAlmostEqual(funds[1][8], 0.1)
        # a principal's file holds their school only
        content, _kind = self.env["ir.actions.report"].with_user(self.user_principal_a)._render(
            "school_safety.safety_investment_execution_xlsx_report", self.budget_a.ids
        )
        rows = list(openpyxl.load_workbook(io.BytesIO(content), read_only=True).worksheets[0].iter_rows(
            values_only=True
        ))
        self.assertEqual({row[0] for row in rows[1:-1]}, {self.school_a.name})
