from odoo import models


class SafetyMonthlyReportXlsx(models.AbstractModel):
    """The monthly safety report as a workbook: a sheet per report, its header, then each
    section's figures and tables as on paper, in the school's language."""

    _name = "report.school_safety.safety_monthly_report_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Monthly Safety Report (Excel)"

    def generate_xlsx_report(self, workbook, data, reports):
        title = workbook.add_format({"bold": True, "font_size": 14})
        heading = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
        label = workbook.add_format({"border": 1})
        cell = workbook.add_format({"border": 1, "text_wrap": True, "valign": "top"})
        italic = workbook.add_format({"italic": True})
        bold = workbook.add_format({"bold": True})
        for report in reports:
            report = report.with_context(lang=report._safety_lang())
            sheet = workbook.add_worksheet(f"{report.month:%Y-%m} {report.id}")
            sheet.set_column(0, 0, 34)
            sheet.set_column(1, 8, 18)
            sheet.write(0, 0, report.name, title)
            state = dict(report._fields["state"]._description_selection(report.env))[report.state]
            header = [
                (report.env._("School"), report.company_id.name),
                (report.env._("Month"), f"{report.month:%Y-%m}"),
                (report.env._("Enrollment"), report.enrollment),
                (report.env._("Filed By"), report.submitted_by_id.name or report.env._("Not submitted yet")),
                (report.env._("Status"), state),
            ]
            row = 2
            for name, value in header:
                sheet.write(row, 0, name, heading)
                sheet.write(row, 1, value, label)
                row += 1
            for section in report.sections or []:
                row += 1
                sheet.write(row, 0, section["title"], title)
                row += 1
                for figure in section["figures"]:
                    sheet.write(row, 0, figure["label"], label)
                    sheet.write(row, 1, figure["value"], label)
                    if figure["unit"]:
                        sheet.write(row, 2, figure["unit"])
                    row += 1
                for table in section["tables"]:
                    if table["title"]:
                        sheet.write(row, 0, table["title"], bold)
                        row += 1
                    if not table["rows"]:
                        if table["empty"]:
                            sheet.write(row, 0, table["empty"], italic)
                            row += 1
                        continue
                    for col, column in enumerate(table["columns"]):
                        sheet.write(row, col, column, heading)
                    row += 1
                    for values in table["rows"]:
                        for col, value in enumerate(values):
                            sheet.write(row, col, value, cell)
                        row += 1
                for note in section["notes"]:
                    sheet.write(row, 0, note, bold)
                    row += 1
            row += 1
            for name, value in (
                (report.env._("Open Problems"), report.open_problems),
                (report.env._("Next Month's Plan"), report.next_month_plan),
                (report.env._("Comments"), report.school_comment),
            ):
                sheet.write(row, 0, name, heading)
                sheet.write(row, 1, value or "", cell)
                row += 1
