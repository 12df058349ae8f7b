from odoo import models

from odoo.addons.school_safety.models.safety_monthly_report import report_figure, report_section, report_table


class SafetyMonthlyReport(models.Model):
    """The monthly report's trainings and drills (this addon's sections)."""

    _inherit = "safety.monthly.report"

    def _safety_monthly_sections(self):
        period = self._safety_period()
        return super()._safety_monthly_sections() + [
            self._safety_section_trainings(period), self._safety_section_drills(period),
        ]

    def _safety_section_trainings(self, period):
        # the sessions the schools' staff attended, the bureau's included: one search of the
        # attendance (it belongs to the attendee's school), counted per session
        attendances = self.env["safety.training.attendance"].sudo().search([
            ("company_id", "in", period.schools.ids), ("training_state", "=", "done"),
            ("date", ">=", period.start), ("date", "<=", period.end),
        ])
        present = attendances.filtered(lambda a: a.status == "present")
        trainings = attendances.training_id.sorted(lambda t: (t.date, t.id))
        columns = [
            self.env._("Date"),
            self.env._("Title"),
            self.env._("Course"),
            self.env._("Held By"),
            self.env._("Hours"),
            self.env._("Participants"),
        ]
        rows = [[
            self._safety_format_date(t.date), t.name, t.course_id.name, t.company_id.name, t.hours,
            len(present.filtered(lambda a, t=t: a.training_id == t)),
        ] for t in trainings]
        return report_section("trainings", 50, self.env._("Trainings"), figures=[
            report_figure(self.env._("Trainings held"), len(trainings)),
            report_figure(self.env._("Participants"), len(present)),
        ], tables=[
            report_table(self.env._("Trainings of the month"), columns, rows, self.env._("No training this month.")),
        ])

    def _safety_section_drills(self, period):
        drills = self.env["safety.drill"].sudo().search([
            ("company_id", "in", period.schools.ids), ("state", "=", "done"),
            ("date_actual", ">=", period.utc_start), ("date_actual", "<", period.utc_next),
        ], order="date_actual, id")
        by_type = []
        for key, label in self.env["safety.drill"]._fields["drill_type"]._description_selection(self.env):
            mine = drills.filtered(lambda d, k=key: d.drill_type == k)
            if not mine:
                continue
            timed = mine.filtered(lambda d: d.mode == "real" and d.evacuation_seconds)
            by_type.append([
                label, len(mine), sum(mine.mapped("student_count")), sum(mine.mapped("staff_count")),
                round(sum(timed.mapped("evacuation_seconds")) / len(timed)) if timed else "-",
            ])
        columns = [
            self.env._("Held On"), self.env._("Type"), self.env._("Mode"), self.env._("Students"),
            self.env._("Staff"), self.env._("Evacuation (s)"), self.env._("Target (s)"), self.env._("On Time"),
        ]
        rows = [[
            self._safety_format_datetime(d.date_actual),
            self._safety_selection_label("safety.drill", "drill_type", d.drill_type),
            self._safety_selection_label("safety.drill", "mode", d.mode),
            d.student_count, d.staff_count, d.evacuation_seconds or "-", d.evacuation_target_seconds,
            (self.env._("Yes") if d.evacuation_ok else self.env._("No")) if d.mode == "real" else "-",
        ] for d in drills]
        if period.is_bureau:
            columns.insert(0, self.env._("School"))
            for row, drill in zip(rows, drills, strict=True):
                row.insert(0, drill.company_id.name)
        compliance = self.env["safety.drill.compliance"].sudo().search([
            ("company_id", "in", period.schools.ids),
            ("period_end", ">=", period.start), ("period_end", "<=", period.end),
        ])
        figures = [
            report_figure(self.env._("Drills held"), len(drills)),
            report_figure(self.env._("Participants"),
                          sum(drills.mapped("student_count")) + sum(drills.mapped("staff_count"))),
        ]
        if compliance:
            figures += [
                report_figure(self.env._("Drills required (periods ending this month)"),
                              sum(compliance.mapped("required_count"))),
                report_figure(self.env._("Shortfall"), sum(compliance.mapped("shortfall"))),
            ]
        return report_section("drills", 55, self.env._("Emergency Drills"), figures=figures, tables=[
            report_table(self.env._("By type"), [
                self.env._("Type"), self.env._("Drills"), self.env._("Students"), self.env._("Staff"),
                self.env._("Average Evacuation (s)"),
            ], by_type, self.env._("No drill this month.")),
            report_table(self.env._("Drills of the month"), columns, rows, ""),
        ])
