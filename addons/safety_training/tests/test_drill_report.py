from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import SafetyTrainingCase


@tagged("post_install", "-at_install")
class TestDrillReport(SafetyTrainingCase):
    """The drill record people file, as HTML and as PDF."""

    @freeze_time("2026-05-12 09:00:00")
    @mute_logger("odoo.addons.base.models.ir_actions_report")  # wkhtmltopdf's qt notes
    def test_drill_record_pdf(self):
        drill = self._drill(supplies="Six megaphones", assessment="Orderly, east stairs slow", problem_ids=[
            Command.create({"description": "Stairs blocked", "location": "East stairs", "category": "building"}),
        ])
        drill.action_done()
        report = "safety_training.report_safety_drill"
        html = self.env["ir.actions.report"]._render_qweb_html(report, drill.ids)[0].decode()
        for text in (drill.name, self.school_a.name, self.employee_officer_a.name, "Six megaphones",
                     "East stairs", drill.problem_ids.hazard_id.name, "Emergency Drill Record"):
            self.assertIn(text, html)
        pdf, kind = self.env["ir.actions.report"].with_context(force_report_rendering=True)._render_qweb_pdf(
            report, drill.ids
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
