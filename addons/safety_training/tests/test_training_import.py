import io
from datetime import date

import openpyxl

from odoo.tests import tagged

from .common import SafetyTrainingCase


@tagged("post_install", "-at_install")
class TestTrainingImport(SafetyTrainingCase):
    """The sign-in sheet of a session, an Excel file, imported with Odoo's import into the
    session's attendance, as the safety officer does from the attendance list."""

    def _sheet(self, rows):
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.append(["Employee", "Status", "Score", "Note"])
        for row in rows:
            sheet.append(row)
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()

    def _import(self, training, rows, dryrun=False):
        env = self.env(user=self.user_officer_a, context={"default_training_id": training.id})
        wizard = env["base_import.import"].create({
            "res_model": "safety.training.attendance",
            "file": self._sheet(rows),
            "file_name": "sign-in.xlsx",
            "file_type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        })
        options = {"has_headers": True, "quoting": '"', "separator": ",", "float_thousand_separator": ",",
                   "float_decimal_separator": "."}
        preview = wizard.parse_preview(options)
        self.assertNotIn("error", preview, preview.get("error"))
        fields = ["employee_id", "status", "score", "note"]
        return wizard.execute_import(fields, preview["headers"], options, dryrun=dryrun)

    def test_sign_in_sheet(self):
        training = self._training(attendees=self.env["hr.employee"], course_id=self._course("guard_duty").id,
                                  date=date(2026, 3, 1))
        result = self._import(training, [
            ["Teacher A", "Present", 75, ""],
            ["Guard A", "present", 92.5, "came late"],
            ["Safety Officer A", "Excused", None, "on duty"],
        ])
        self.assertFalse(result["messages"], result["messages"])
        lines = {line.employee_id: line for line in training.attendance_ids}
        self.assertEqual(set(lines), {self.employee_staff_a, self.employee_guard_a, self.employee_officer_a})
        self.assertEqual(lines[self.employee_guard_a].score, 92.5)
        self.assertEqual(lines[self.employee_guard_a].note, "came late")
        self.assertEqual(lines[self.employee_officer_a].status, "excused")
        self.assertEqual(training.attendance_ids.company_id, self.school_a)
        training.with_user(self.user_officer_a).action_done()
        self.assertEqual(training.certificate_ids.employee_id, self.employee_staff_a | self.employee_guard_a)

    def test_a_bad_sheet_imports_nothing(self):
        training = self._training(attendees=self.employee_staff_a)
        for rows, reason in (
            ([["Guard A", "Present", 80, ""], ["Guard B", "Present", 80, ""]], "Guard B"),  # another school's
            ([["Guard A", "Present", 80, ""], ["Teacher A", "Present", 80, ""]], "already"),
            ([["Guard A", "Present", 180, ""]], "between 0 and 100"),
        ):
            with self.subTest(reason=reason):
                result = self._import(training, rows)
                self.assertTrue(result["messages"])
                self.assertIn(reason, " ".join(message["message"] for message in result["messages"]))
                self.assertEqual(training.attendance_ids.employee_id, self.employee_staff_a, "nothing imported")
