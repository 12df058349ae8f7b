import pytz

from odoo import models


class SafetyDrillLedgerXlsx(models.AbstractModel):
    """The drill ledger (应急演练台账) of the selected drills as an Excel file: one row per drill,
    in the order they were planned, the time held in the school's time zone."""

    _name = "report.safety_training.drill_ledger_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Drill Ledger (Excel)"

    def generate_xlsx_report(self, workbook, data, drills):
        bold = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
        day = workbook.add_format({"num_format": "yyyy-mm-dd"})
        yes, no = self.env._("Yes"), self.env._("No")
        Drill = self.env["safety.drill"]
        label = {name: dict(Drill._fields[name]._description_selection(self.env))
                 for name in ("drill_type", "mode", "state")}
        sheet = workbook.add_worksheet(self.env._("Drill Ledger"))
        sheet.write_row(0, 0, [
            self.env._("Reference"),
            self.env._("School"),
            self.env._("Drill Type"),
            self.env._("Mode"),
            self.env._("No-Notice Drill"),
            self.env._("Planned Date"),
            self.env._("Held On"),
            self.env._("Commander"),
            self.env._("Participating Students"),
            self.env._("Participating Staff"),
            self.env._("Evacuation Time (s)"),
            self.env._("Target Evacuation Time (s)"),
            self.env._("Evacuation On Time"),
            self.env._("Plan Suitable"),
            self.env._("Staff In Position"),
            self.env._("Problems Found"),
            self.env._("Hazards"),
            self.env._("Status"),
        ], bold)
        for row, drill in enumerate(drills.sorted(lambda d: (d.date_planned, d.id)), start=1):
            held = ""
            if drill.date_actual:
                tz = pytz.timezone(drill.company_id.sudo()._safety_tz())
                held = pytz.utc.localize(drill.date_actual).astimezone(tz).strftime("%Y-%m-%d %H:%M")
            sheet.write_row(row, 0, [
                drill.name, drill.company_id.name, label["drill_type"][drill.drill_type], label["mode"][drill.mode],
                yes if drill.no_notice else no,
            ])
            sheet.write_datetime(row, 5, drill.date_planned, day)
            sheet.write_row(row, 6, [
                held, drill.commander_id.name or "", drill.student_count, drill.staff_count,
                drill.evacuation_seconds if drill.mode == "real" else "",
                drill.evacuation_target_seconds if drill.mode == "real" else "",
                (yes if drill.evacuation_ok else no) if drill.mode == "real" else "",
                yes if drill.plan_suitable else no, yes if drill.staff_in_position else no,
                len(drill.problem_ids), ", ".join(drill.problem_ids.hazard_id.mapped("name")),
                label["state"][drill.state],
            ])
        sheet.set_column(0, 1, 20)
        sheet.set_column(2, 17, 14)
        sheet.freeze_panes(1, 1)
