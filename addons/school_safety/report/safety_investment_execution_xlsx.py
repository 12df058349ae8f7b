from datetime import date

from odoo import models
from odoo.tools.misc import format_date

MONTHS = range(1, 13)


class SafetyInvestmentExecutionXlsx(models.AbstractModel):
    """Budget execution of the selected budgets' schools and years, as Excel: per school and
    category, the budget, the committed costs, the spending of each month, the spending from
    special funds and from the school's own money, what remains and the execution rate; a
    second sheet per special fund and school. The figures are the execution report's, read as
    the user (a principal gets their own school only)."""

    _name = "report.school_safety.safety_investment_execution_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Safety Budget Execution (Excel)"

    def generate_xlsx_report(self, workbook, data, budgets):
        styles = {
            "head": workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True}),
            "text": workbook.add_format({"border": 1}),
            "money": workbook.add_format({"border": 1, "num_format": "#,##0.00"}),
            "rate": workbook.add_format({"border": 1, "num_format": "0.0%"}),
            "total_text": workbook.add_format({"border": 1, "bold": True, "bg_color": "#F2F2F2"}),
            "total_money": workbook.add_format(
                {"border": 1, "bold": True, "bg_color": "#F2F2F2", "num_format": "#,##0.00"}
            ),
            "total_rate": workbook.add_format({"border": 1, "bold": True, "bg_color": "#F2F2F2", "num_format": "0.0%"}),
        }
        schools = budgets.company_id
        years = sorted(set(budgets.mapped("year")))
        self._safety_execution_sheet(workbook, styles, schools, years)
        self._safety_fund_sheet(workbook, styles, schools, years)

    def _safety_rows(self, domain, groupby, measures):
        return self.env["safety.investment.execution"]._read_group(
            domain, groupby, [f"{name}:sum" for name in measures]
        )

    @staticmethod
    def _safety_write_row(sheet, styles, row, texts, numbers, rate, total=False):
        text, money, percent = (
            ("total_text", "total_money", "total_rate") if total else ("text", "money", "rate")
        )
        col = 0
        for value in texts:
            sheet.write(row, col, value, styles[text])
            col += 1
        for value in numbers:
            sheet.write_number(row, col, value, styles[money])
            col += 1
        sheet.write_number(row, col, rate, styles[percent])

    def _safety_execution_sheet(self, workbook, styles, schools, years):
        sheet = workbook.add_worksheet(self.env._("Execution"))
        months = [format_date(self.env, date(2000, month, 1), date_format="MMM") for month in MONTHS]
        header = [
            self.env._("School"), self.env._("Year"), self.env._("Category"), self.env._("Budget"),
            self.env._("Committed"), *months, self.env._("Spent"), self.env._("Spent from Special Funds"),
            self.env._("Spent from Own Money"), self.env._("Remaining"), self.env._("Execution (%)"),
        ]
        for col, title in enumerate(header):
            sheet.write(0, col, title, styles["head"])
        sheet.set_column(0, 0, 28)
        sheet.set_column(2, 2, 40)
        sheet.set_column(3, len(header), 12)
        sheet.freeze_panes(1, 3)
        domain = [("company_id", "in", schools.ids), ("year", "in", years)]
        table = {}
        for school, year, category, totals in (
            (s, y, c, t) for s, y, c, *t in self._safety_rows(
                domain, ["company_id", "year", "category_id"], ["budget", "committed", "actual", "actual_fund"]
            )
        ):
            if category:
                table[(school, year, category)] = dict(zip(("budget", "committed", "actual", "actual_fund"), totals,
                                                           strict=True))
        for school, year, category, month, actual in self._safety_rows(
            domain + [("source", "=", "spending")], ["company_id", "year", "category_id", "date:month"], ["actual"]
        ):
            if category:
                table[(school, year, category)].setdefault("months", {})[month.month] = actual
        row = 1
        grand = dict.fromkeys(("budget", "committed", "actual", "actual_fund"), 0.0)
        grand_months = dict.fromkeys(MONTHS, 0.0)
        keys = sorted(table, key=lambda k: (k[0].name, k[1], k[2].code or "", k[2].name))
        for school, year in sorted({(k[0], k[1]) for k in keys}, key=lambda k: (k[0].name, k[1])):
            subtotal = dict.fromkeys(("budget", "committed", "actual", "actual_fund"), 0.0)
            sub_months = dict.fromkeys(MONTHS, 0.0)
            for key in (k for k in keys if k[:2] == (school, year)):
                figures = table[key]
                by_month = figures.get("months", {})
                self._safety_write_row(
                    sheet, styles, row, [school.name, str(year), key[2].display_name],
                    self._safety_numbers(figures, by_month), self._safety_rate(figures),
                )
                row += 1
                for name in subtotal:
                    subtotal[name] += figures[name]
                for month in MONTHS:
                    sub_months[month] += by_month.get(month, 0.0)
            self._safety_write_row(
                sheet, styles, row, [school.name, str(year), self.env._("Total")],
                self._safety_numbers(subtotal, sub_months), self._safety_rate(subtotal), total=True,
            )
            row += 1
            for name in grand:
                grand[name] += subtotal[name]
            for month in MONTHS:
                grand_months[month] += sub_months[month]
        self._safety_write_row(
            sheet, styles, row, [self.env._("All Schools"), ", ".join(map(str, years)), self.env._("Total")],
            self._safety_numbers(grand, grand_months), self._safety_rate(grand), total=True,
        )

    @staticmethod
    def _safety_numbers(figures, by_month):
        actual, fund = figures["actual"], figures["actual_fund"]
        return [figures["budget"], figures["committed"], *(by_month.get(month, 0.0) for month in MONTHS),
                actual, fund, actual - fund, figures["budget"] - figures["committed"] - actual]

    @staticmethod
    def _safety_rate(figures, actual="actual", base="budget"):
        return figures[actual] / figures[base] if figures[base] else 0.0

    def _safety_fund_sheet(self, workbook, styles, schools, years):
        sheet = workbook.add_worksheet(self.env._("Special Funds"))
        header = [
            self.env._("Special Fund"), self.env._("Source"), self.env._("Year"), self.env._("School"),
            self.env._("Allocated"), self.env._("Committed"), self.env._("Spent"), self.env._("Remaining"),
            self.env._("Execution (%)"),
        ]
        for col, title in enumerate(header):
            sheet.write(0, col, title, styles["head"])
        sheet.set_column(0, 0, 40)
        sheet.set_column(1, 3, 18)
        sheet.set_column(4, len(header), 14)
        Fund = self.env["safety.fund"]
        sources = dict(Fund._fields["source"]._description_selection(self.env))
        rows = self._safety_rows(
            [("company_id", "in", schools.ids), ("fund_id", "!=", False), ("fund_id.year", "in", years)],
            ["fund_id", "company_id"], ["allocated", "committed_fund", "actual_fund"],
        )
        row = 1
        for fund, school, allocated, committed, actual in sorted(rows, key=lambda r: (r[0].sudo().name, r[1].name)):
            fund = fund.sudo()
            figures = {"allocated": allocated, "actual": actual}
            self._safety_write_row(
                sheet, styles, row, [fund.name, sources.get(fund.source, ""), str(fund.year), school.name],
                [allocated, committed, actual, allocated - committed - actual],
                self._safety_rate(figures, base="allocated"),
            )
            row += 1
