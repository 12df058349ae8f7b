import io
from datetime import date, datetime

import openpyxl
from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import SafetyTrainingCase


@tagged("post_install", "-at_install")
@freeze_time("2026-06-01 09:00:00")
class TestTrainingReports(SafetyTrainingCase):
    """Training records and the drill ledger as Excel files, parsed back; the certificate PDF."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.training = cls._training(attendees=cls.employee_staff_a | cls.employee_guard_a | cls.employee_officer_a,
                                     course_id=cls._course("guard_duty").id, date=date(2026, 5, 12))
        lines = {line.employee_id: line for line in cls.training.attendance_ids}
        lines[cls.employee_staff_a].score = 81
        lines[cls.employee_guard_a].score = 40
        lines[cls.employee_officer_a].status = "absent"
        cls.training.action_done()
        cls.other = cls._training(date=date(2026, 4, 2), name="Older session")

    def _xlsx(self, report, records, user):
        content, kind = self.env["ir.actions.report"].with_user(user)._render_xlsx(report, records.ids, {})
        self.assertEqual(kind, "xlsx")
        return openpyxl.load_workbook(io.BytesIO(content), read_only=True)

    def test_training_records_xlsx(self):
        book = self._xlsx("safety_training.training_records_xlsx", self.training | self.other, self.user_officer_a)
        self.assertEqual(book.sheetnames, ["Sessions", "Attendance"])
        sessions = list(book["Sessions"].iter_rows(values_only=True))
        self.assertEqual(sessions[0][:6], ("Start Date", "End Date", "Held By", "Bureau-Wide", "Course", "Title"))
        self.assertEqual([row[5] for row in sessions[1:]], ["Older session", self.training.name], "by date")
        row = sessions[2]
        self.assertEqual(row[0].date(), date(2026, 5, 12))
        self.assertEqual(row[2:5], (self.school_a.name, "No", "Security Guard Duty"))
        self.assertEqual(row[6], 2)
        self.assertEqual(row[7], "District fire brigade")
        self.assertEqual(row[9:13], (2, 0, 1, "Done"))
        rows = list(book["Attendance"].iter_rows(values_only=True))
        self.assertEqual(rows[0][4:11], ("Employee", "Job Title", "Status", "Score", "Passed", "Certificate No.",
                                         "Valid Until"))
        by_name = {row[4]: row for row in rows[1:] if row[2] == self.training.name}
        self.assertEqual(set(by_name), {"Teacher A", "Guard A", "Safety Officer A"})
        teacher = by_name["Teacher A"]
        certificate = self.training.certificate_ids
        self.assertEqual(teacher[6:10], ("Present", 81, "Yes", certificate.name))
        self.assertEqual(teacher[10].date(), date(2027, 5, 12))
        self.assertEqual(by_name["Guard A"][6:10], ("Present", 40, "No", None))
        self.assertEqual(by_name["Safety Officer A"][6], "Absent")
        self.assertEqual(rows[1][3], self.school_a.name)
        # another school's records are not the officer's to export
        training_b = self._training(self.school_b)
        with self.assertRaises(AccessError):
            self._xlsx("safety_training.training_records_xlsx", training_b, self.user_officer_a)

    def test_drill_ledger_xlsx(self):
        done = self._drill(problem_ids=[Command.create({"description": "Door locked", "location": "Gym",
                                                        "category": "building"})],
                           date_planned=date(2026, 5, 10), date_actual=datetime(2026, 5, 10, 2, 0))
        done.action_done()
        tabletop = self._drill(mode="tabletop", drill_type="intruder", date_planned=date(2026, 5, 20),
                               date_actual=False, evacuation_seconds=0)
        book = self._xlsx("safety_training.drill_ledger_xlsx", done | tabletop, self.user_inspector)
        rows = list(book.active.iter_rows(values_only=True))
        self.assertEqual(rows[0][:7], ("Reference", "School", "Drill Type", "Mode", "No-Notice Drill", "Planned Date",
                                       "Held On"))
        self.assertEqual(len(rows), 3)
        first, second = rows[1], rows[2]
        self.assertEqual(first[:5], (done.name, self.school_a.name, "Fire", "Real Evacuation", "No"))
        self.assertEqual(first[5].date(), date(2026, 5, 10))
        self.assertEqual(first[6], "2026-05-10 10:00", "held at 10:00 in the school's time zone")
        self.assertEqual(first[7:13], ("Safety Officer A", 600, 40, 110, 120, "Yes"))
        self.assertEqual(first[15:18], (1, done.problem_ids.hazard_id.name, "Done"))
        self.assertEqual(second[2:4], ("Intruder", "Tabletop Exercise"))
        self.assertEqual(second[10:13], (None, None, None), "no evacuation time for a tabletop exercise")
        self.assertEqual(second[17], "Planned")

    @mute_logger("odoo.addons.base.models.ir_actions_report")  # wkhtmltopdf's qt notes
    def test_certificate_pdf(self):
        certificate = self.training.certificate_ids
        html = self.env["ir.actions.report"]._render_qweb_html(
            "safety_training.report_safety_training_certificate", certificate.ids)[0].decode()
        for text in ("Training Certificate", certificate.name, "Teacher A", self.school_a.name, "Security Guard Duty",
                     self.training.name, "05/12/2027", "81"):
            self.assertIn(text, html)
        pdf, kind = self.env["ir.actions.report"].with_context(force_report_rendering=True)._render_qweb_pdf(
            "safety_training.report_safety_training_certificate", certificate.ids)
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        action = certificate.with_user(self.user_staff_a).action_print()
        self.assertEqual(action["report_name"], "safety_training.report_safety_training_certificate")
        outside = self._certificate(self.employee_staff_a, "health_certificate", issuer="District CDC")
        html = self.env["ir.actions.report"]._render_qweb_html(
            "safety_training.report_safety_training_certificate", outside.ids)[0].decode()
        self.assertIn("District CDC", html)
