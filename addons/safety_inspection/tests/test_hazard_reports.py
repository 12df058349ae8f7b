import io
from datetime import date

import openpyxl
from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import SafetyInspectionCase


@tagged("post_install", "-at_install")
class TestHazardReports(SafetyInspectionCase):
    """The ledger as Excel, parsed back; the rectification notice as PDF."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.h1 = cls._hazard(found_date=date(2026, 4, 3), location="Gym", category="electricity",
                             **cls._six_fixed(deadline=date(2026, 4, 20), funding_estimated=1200.5))
        cls.h2 = cls._hazard(found_date=date(2026, 5, 9), location="Canteen", category="canteen",
                             level="major", description="Expired flour")
        cls.outside = cls._hazard(found_date=date(2026, 1, 9), location="Too early")
        cls.other_school = cls._hazard(cls.school_b, found_date=date(2026, 4, 5), location="B")

    def _export(self, user, company, date_from=date(2026, 4, 1), date_to=date(2026, 6, 30)):
        wizard = self.env["safety.hazard.ledger.wizard"].with_user(user).create({
            "company_id": company.id, "date_from": date_from, "date_to": date_to,
        })
        action = wizard.action_export()
        report = self.env["ir.actions.report"].with_user(user)
        content, kind = report._render_xlsx(action["report_name"], wizard.ids, action["data"])
        self.assertEqual(kind, "xlsx")
        return openpyxl.load_workbook(io.BytesIO(content), read_only=True).active

    def test_ledger_rows_checked_one_by_one(self):
        sheet = self._export(self.user_officer_a, self.school_a)
        rows = list(sheet.iter_rows(values_only=True))
        self.assertIn(self.school_a.name, rows[0][0])
        header = rows[2]
        self.assertEqual(header[0], "Reference")
        self.assertEqual(header[3], "Exact Location")
        data = rows[3:]
        self.assertEqual(len(data), 2, "school and period filter")
        for row, hazard in zip(data, self.h1 | self.h2, strict=True):
            self.assertEqual(row[0], hazard.name)
            self.assertEqual(row[1], self.school_a.name)
            self.assertEqual(row[2].date(), hazard.found_date)
            self.assertEqual(row[3], hazard.location)
            self.assertEqual(row[7], hazard.description)
            self.assertEqual(row[8], hazard.found_by_id.name)
            self.assertEqual(row[16], "Registered")
            self.assertEqual(row[18], "No")
        self.assertEqual(data[0][4], "Electricity")
        self.assertEqual(data[0][5], "General")
        self.assertEqual(data[0][9], "Replace the extinguisher")
        self.assertEqual(data[0][10], 1200.5)
        self.assertEqual(data[0][12], self.user_staff_a.name)
        self.assertEqual(data[0][13].date(), date(2026, 4, 20))
        self.assertEqual(data[0][14], self.user_officer_a.name)
        self.assertEqual(data[1][4], "Canteen and Food")
        self.assertEqual(data[1][5], "Major")
        self.assertIsNone(data[1][13])

    def test_ledger_respects_rights(self):
        # school B is refused to a school A officer, the bureau may export it
        with self.assertRaises(AccessError):
            self._export(self.user_officer_a, self.school_b)
        sheet = self._export(self.user_inspector, self.school_b)
        rows = list(sheet.iter_rows(min_row=4, values_only=True))
        self.assertEqual([r[0] for r in rows], [self.other_school.name])
        # staff only get the hazards they are a party to
        sheet = self._export(self.user_staff_a, self.school_a)
        self.assertEqual([r[0] for r in sheet.iter_rows(min_row=4, values_only=True)], [self.h1.name])
        with self.assertRaises(UserError):
            self.env["safety.hazard.ledger.wizard"].create({
                "company_id": self.school_a.id, "date_from": date(2026, 6, 1), "date_to": date(2026, 5, 1),
            }).action_export()

    @freeze_time("2026-04-05")
    @mute_logger("odoo.addons.base.models.ir_actions_report")  # wkhtmltopdf's qt notes
    def test_notice_pdf(self):
        with self.assertRaisesRegex(UserError, "notice first"):
            self.h1.action_print_notice()
        self.h1.with_user(self.user_officer_a).action_issue_notice()
        html = self.env["ir.actions.report"]._render_qweb_html(
            "safety_inspection.report_safety_hazard_notice", self.h1.ids
        )[0].decode()
        for text in (self.h1.notice_number, self.school_a.name, "Gym", "Replace the extinguisher",
                     "Re-check Date", "signature"):
            self.assertIn(text, html)
        pdf, kind = self.env["ir.actions.report"].with_context(force_report_rendering=True)._render_qweb_pdf(
            "safety_inspection.report_safety_hazard_notice", self.h1.ids
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        action = self.h1.with_user(self.user_officer_a).action_print_notice()
        self.assertEqual(action["report_name"], "safety_inspection.report_safety_hazard_notice")
