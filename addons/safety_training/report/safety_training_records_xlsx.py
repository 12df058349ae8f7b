from odoo import models


class SafetyTrainingRecordsXlsx(models.AbstractModel):
    """The training records of the selected sessions as an Excel file: one sheet of sessions,
    one of attendance (who, status, score, the certificate given and until when). Rows are
    those the user may read."""

    _name = "report.safety_training.training_records_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Training Records (Excel)"

    def generate_xlsx_report(self, workbook, data, trainings):
        bold = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
        day = workbook.add_format({"num_format": "yyyy-mm-dd"})
        trainings = trainings.sorted(lambda t: (t.date, t.id))
        yes, no = self.env._("Yes"), self.env._("No")
        label = {
            name: dict(self.env[model]._fields[name]._description_selection(self.env))
            for model, name in (("safety.training", "state"), ("safety.training", "trainer_type"),
                                ("safety.training.attendance", "status"))
        }

        sheet = workbook.add_worksheet(self.env._("Sessions"))
        sheet.write_row(0, 0, [
            self.env._("Start Date"),
            self.env._("End Date"),
            self.env._("Held By"),
            self.env._("Bureau-Wide"),
            self.env._("Course"),
            self.env._("Title"),
            self.env._("Hours"),
            self.env._("Trainer"),
            self.env._("Location"),
            self.env._("Present"),
            self.env._("External Attendees"),
            self.env._("Certificates"),
            self.env._("Status"),
        ], bold)
        for row, training in enumerate(trainings, start=1):
            trainer = (training.trainer_employee_id.name if training.trainer_type == "internal"
                       else training.trainer) or ""
            sheet.write_datetime(row, 0, training.date, day)
            if training.date_end:
                sheet.write_datetime(row, 1, training.date_end, day)
            sheet.write_row(row, 2, [
                training.company_id.name, yes if training.is_bureau_wide else no, training.course_id.name,
                training.name, training.hours, trainer, training.location or "", training.present_count,
                training.external_count, training.certificate_count, label["state"][training.state],
            ])
        sheet.set_column(0, 1, 12)
        sheet.set_column(2, 8, 20)
        sheet.freeze_panes(1, 0)

        sheet = workbook.add_worksheet(self.env._("Attendance"))
        sheet.write_row(0, 0, [
            self.env._("Start Date"),
            self.env._("Course"),
            self.env._("Session"),
            self.env._("School"),
            self.env._("Employee"),
            self.env._("Job Title"),
            self.env._("Status"),
            self.env._("Score"),
            self.env._("Passed"),
            self.env._("Certificate No."),
            self.env._("Valid Until"),
        ], bold)
        row = 1
        for training in trainings:
            for line in training.attendance_ids.sorted(lambda a: (a.company_id.name, a.employee_id.name)):
                sheet.write_datetime(row, 0, training.date, day)
                sheet.write_row(row, 1, [
                    training.course_id.name, training.name, line.company_id.name, line.employee_id.name,
                    line.job_title or "", label["status"][line.status],
                ])
                if training.pass_mark:
                    sheet.write_number(row, 7, line.score)
                sheet.write(row, 8, yes if line.passed else no)
                sheet.write(row, 9, line.certificate_id.name or "")
                if line.certificate_id.expiry_date:
                    sheet.write_datetime(row, 10, line.certificate_id.expiry_date, day)
                row += 1
        sheet.set_column(0, 0, 12)
        sheet.set_column(1, 9, 18)
        sheet.set_column(10, 10, 12)
        sheet.freeze_panes(1, 0)
