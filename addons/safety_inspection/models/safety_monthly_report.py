from odoo import models

from odoo.addons.school_safety.models.safety_monthly_report import report_figure, report_section, report_table

from .safety_school_scorecard import PATROL_CLOSED_STATES


class SafetyMonthlyReport(models.Model):
    """The monthly report's inspections and hazards, and its patrols (this addon's sections)."""

    _inherit = "safety.monthly.report"

    def _safety_monthly_sections(self):
        period = self._safety_period()
        return super()._safety_monthly_sections() + [
            self._safety_section_hazards(period), self._safety_section_patrol(period),
        ]

    def _safety_section_hazards(self, period):
        schools = period.schools.ids
        Hazard = self.env["safety.hazard"].sudo()
        inspections = self.env["safety.inspection"].sudo().search([
            ("company_id", "in", schools), ("state", "=", "done"),
            ("date_done", ">=", period.start), ("date_done", "<=", period.end),
        ], order="date_done, id")
        found = Hazard.search_count([
            ("company_id", "in", schools), ("found_date", ">=", period.start), ("found_date", "<=", period.end),
        ])
        closed = Hazard.search_count([
            ("company_id", "in", schools), ("state", "=", "closed"),
            ("closed_date", ">=", period.start), ("closed_date", "<=", period.end),
        ])
        still_open = [
            ("company_id", "in", schools), ("found_date", "<=", period.end),
            "|", ("state", "!=", "closed"), ("closed_date", ">", period.end),
        ]
        open_count = Hazard.search_count(still_open)
        overdue = Hazard.search_count(still_open + [("deadline", "<", period.end)])
        # the major hazards the school lived with during the month: open at some point in it
        majors = Hazard.search([
            ("company_id", "in", schools), ("level", "=", "major"), ("found_date", "<=", period.end),
            "|", ("state", "!=", "closed"), ("closed_date", ">=", period.start),
        ], order="found_date, id")
        inspection_columns = [
            self.env._("Carried Out On"),
            self.env._("Reference"),
            self.env._("Type"),
            self.env._("Score"),
            self.env._("Result"),
        ]
        inspection_rows = [[
            self._safety_format_date(i.date_done), i.name,
            self._safety_selection_label("safety.inspection", "inspection_type", i.inspection_type),
            round(i.score, 1), self._safety_selection_label("safety.inspection", "result", i.result),
        ] for i in inspections]
        major_columns = [
            self.env._("Reference"),
            self.env._("Location"),
            self.env._("Level"),
            self.env._("Owner"),
            self.env._("Deadline"),
            self.env._("Status"),
        ]
        major_rows = [[
            h.name, h.location, self._safety_selection_label("safety.hazard", "level", h.level),
            h.owner_id.name or "", self._safety_format_date(h.deadline),
            self._safety_selection_label("safety.hazard", "state", h.state),
        ] for h in majors]
        if period.is_bureau:
            for columns, rows, records in ((inspection_columns, inspection_rows, inspections),
                                           (major_columns, major_rows, majors)):
                columns.insert(0, self.env._("School"))
                for row, record in zip(rows, records, strict=True):
                    row.insert(0, record.company_id.name)
        return report_section("hazards", 20, self.env._("Inspections and Hazards"), figures=[
            report_figure(self.env._("Inspections carried out"), len(inspections)),
            report_figure(self.env._("Hazards found"), found),
            report_figure(self.env._("Hazards rectified and closed"), closed),
            report_figure(self.env._("Hazards still open at the end of the month"), open_count),
            report_figure(self.env._("of which overdue"), overdue),
        ], tables=[
            report_table(self.env._("Inspections"), inspection_columns, inspection_rows,
                         self.env._("No inspection this month.")),
            report_table(self.env._("Major hazards"), major_columns, major_rows, self.env._("No major hazard.")),
        ])

    def _safety_section_patrol(self, period):
        schools = period.schools.ids
        rounds = dict(self.env["safety.patrol.round"].sudo()._read_group([
            ("company_id", "in", schools), ("state", "in", PATROL_CLOSED_STATES),
            ("planned_start", ">=", period.utc_start), ("planned_start", "<", period.utc_next),
        ], ["state"], ["__count"]))
        due = sum(rounds.values())
        scans = dict(self.env["safety.patrol.scan"].sudo()._read_group([
            ("company_id", "in", schools), ("flagged", "=", True),
            ("device_time", ">=", period.utc_start), ("device_time", "<", period.utc_next),
        ], ["review_state"], ["__count"]))
        days = (period.next - period.start).days
        return report_section("guards", 40, self.env._("Patrol and Guard Duty"), figures=[
            report_figure(self.env._("Patrol rounds due"), due),
            report_figure(self.env._("Completed"), rounds.get("completed", 0)),
            report_figure(self.env._("Incomplete"), rounds.get("incomplete", 0)),
            report_figure(self.env._("Missed"), rounds.get("missed", 0)),
            report_figure(self.env._("Completed (%)"),
                          round(100.0 * rounds.get("completed", 0) / due, 1) if due else "-"),
            report_figure(self.env._("Rounds per day (GB/T 29315: key areas at least 5)"),
                          round(due / days / max(len(schools), 1), 1)),
            report_figure(self.env._("Flagged scans"), sum(scans.values())),
            report_figure(self.env._("of which still to review"), scans.get("pending", 0)),
        ])
