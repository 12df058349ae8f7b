from odoo import models

from ..models.safety_letter import PROGRESS


class SafetyLetterStatusXlsx(models.AbstractModel):
    """Signing status of a campaign: one row per school and level, counts per progress."""

    _name = "report.school_safety.safety_letter_status_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Safety Letter Signing Status (Excel)"

    def generate_xlsx_report(self, workbook, data, campaigns):
        _ = self.env._
        bold = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
        cell = workbook.add_format({"border": 1})
        Letter = self.env["safety.letter"]
        levels = dict(Letter._fields["level"]._description_selection(self.env))
        progress_labels = dict(Letter._fields["progress"]._description_selection(self.env))
        states = [key for key, _label in PROGRESS]
        for campaign in campaigns:
            sheet = workbook.add_worksheet(f"{campaign.year} {campaign.id}")
            header = [
                self.env._("School"), self.env._("Level"), *(progress_labels[s] for s in states), self.env._("Total"),
            ]
            for col, title in enumerate(header):
                sheet.write(0, col, title, bold)
            sheet.set_column(0, 0, 30)
            sheet.set_column(1, 1, 26)
            sheet.set_column(2, len(header), 12)
            groups = Letter._read_group(
                [("campaign_id", "=", campaign.id)], ["company_id", "level", "progress"], ["__count"]
            )
            table = {}
            for company, level, progress, count in groups:
                table.setdefault((company.name, level), {})[progress] = count
            for row, ((school, level), counts) in enumerate(sorted(table.items()), start=1):
                sheet.write(row, 0, school, cell)
                sheet.write(row, 1, levels.get(level, level), cell)
                for col, state in enumerate(states, start=2):
                    sheet.write_number(row, col, counts.get(state, 0), cell)
                sheet.write_number(row, len(header) - 1, sum(counts.values()), cell)
