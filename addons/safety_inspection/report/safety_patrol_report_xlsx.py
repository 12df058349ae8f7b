from collections import defaultdict

import pytz

from odoo import models


class SafetyPatrolReportXlsx(models.AbstractModel):
    """Patrol report of the selected rounds (the period): planned against done,
    missed checkpoints (漏检) and checkpoints scanned at the wrong time (误点)."""

    _name = "report.safety_inspection.safety_patrol_report_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Patrol Report (Excel)"

    def generate_xlsx_report(self, workbook, data, rounds):
        bold = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
        percent = workbook.add_format({"num_format": "0.0%"})
        state_labels = dict(rounds._fields["state"]._description_selection(self.env))
        rounds = rounds.sorted(lambda r: (r.company_id.name, r.planned_start))
        scans = rounds.scan_ids

        summary = defaultdict(lambda: defaultdict(int))
        sheet = workbook.add_worksheet(self.env._("Rounds"))
        headers = [
            self.env._("School"),
            self.env._("Route"),
            self.env._("Planned Start"),
            self.env._("Outcome"),
            self.env._("Guards"),
            self.env._("Checkpoints Planned"),
            self.env._("Checkpoints Done"),
            self.env._("Missed Checkpoints (漏检)"),
            self.env._("Wrong-Time Checkpoints (误点)"),
            self.env._("Flagged Scans"),
            self.env._("Reason"),
        ]
        sheet.write_row(0, 0, headers, bold)
        sheet.freeze_panes(1, 0)
        for row, patrol in enumerate(rounds, start=1):
            tz = pytz.timezone(patrol.schedule_id.tz or self.env.user.tz or "Asia/Shanghai")
            start = pytz.utc.localize(patrol.planned_start).astimezone(tz).strftime("%Y-%m-%d %H:%M")
            round_scans = scans.filtered(lambda s, p=patrol: s.round_id == p and s.counted)
            wrong_time = round_scans.filtered("flag_timing").checkpoint_id
            sheet.write_row(row, 0, [
                patrol.company_id.name, patrol.route_id.name, start, state_labels[patrol.state],
                ", ".join(patrol.guard_ids.mapped("name")), patrol.checkpoint_total,
                patrol.checkpoint_done, ", ".join(patrol.missed_checkpoint_ids.mapped("name")),
                ", ".join(wrong_time.mapped("name")), patrol.flagged_count,
                patrol.incomplete_reason or "",
            ])
            line = summary[patrol.company_id.name]
            line["rounds"] += 1
            line[patrol.state] += 1
            line["planned"] += patrol.checkpoint_total
            line["done"] += patrol.checkpoint_done
            line["missed_checkpoints"] += len(patrol.missed_checkpoint_ids)
            line["wrong_time"] += len(wrong_time)
        sheet.set_column(0, 1, 24)
        sheet.set_column(2, 10, 16)

        total = workbook.add_worksheet(self.env._("Summary"))
        headers = [
            self.env._("School"),
            self.env._("Rounds Planned"),
            self.env._("Completed"),
            self.env._("Incomplete"),
            self.env._("Missed"),
            self.env._("Checkpoints Planned"),
            self.env._("Checkpoints Done"),
            self.env._("Missed Checkpoints (漏检)"),
            self.env._("Wrong-Time Checkpoints (误点)"),
            self.env._("Completion Rate"),
        ]
        total.write_row(0, 0, headers, bold)
        for row, (school, line) in enumerate(sorted(summary.items()), start=1):
            total.write_row(row, 0, [
                school, line["rounds"], line["completed"], line["incomplete"], line["missed"],
                line["planned"], line["done"], line["missed_checkpoints"], line["wrong_time"],
            ])
            total.write(row, 9, line["done"] / line["planned"] if line["planned"] else 0, percent)
        total.set_column(0, 0, 24)
        total.set_column(1, 9, 16)
