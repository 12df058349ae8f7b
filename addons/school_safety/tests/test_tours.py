from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import SchoolSafetyCase


@tagged("post_install", "-at_install")
class TestSchoolSafetyTours(HttpCase, SchoolSafetyCase):
    def _incident(self, location, occurred_at):
        return self.env["safety.incident"].with_user(self.user_officer_a).create({
            "company_id": self.school_a.id, "occurred_at": occurred_at, "location": location,
            "category": "public_security", "description": "A stranger at the gate.",
            "measures_taken": "Guards and police called.",
        })

    def test_bureau_overview_tour(self):
        """The bureau manager finds the understaffed school and fixes its guard count."""
        self.user_manager.password = "t_manager"
        self.school_b.safety_guards_contracted = 1  # B fully staffed, A one guard short
        self.start_tour("/odoo", "school_safety_bureau_overview", login="t_manager")
        self.assertEqual(self.school_a.safety_guards_contracted, 1)
        self.assertEqual(self.school_a.safety_guard_shortfall, 0)

    def test_incident_report_tour(self):
        """The school's officer reports an incident from the menu; the bureau manager finds it
        and acknowledges it."""
        Incident = self.env["safety.incident"]
        before = fields.Datetime.now()
        self.start_tour("/odoo", "school_safety_incident_report", login="t_officer_a")
        incident = Incident.search([("location", "=", "Tour: science lab")])
        self.assertEqual(len(incident), 1)
        self.assertRecordValues(incident, [{
            "company_id": self.school_a.id, "category": "accident", "injured_count": 2, "death_count": 0,
            "description": "A beaker broke during the experiment.",
            "measures_taken": "First aid by the nurse, parents called.",
            "state": "reported", "reported_by_id": self.user_officer_a.id,
        }])
        self.assertNotEqual(incident.name, "New")
        # yesterday morning in whatever time zone the browser has
        self.assertLess(before - timedelta(days=2), incident.occurred_at)
        self.assertLess(incident.occurred_at, before)
        self.start_tour("/odoo", "school_safety_incident_acknowledge", login="t_manager")
        self.assertRecordValues(incident, [{"state": "acknowledged", "acknowledged_by_id": self.user_manager.id}])

    def test_scorecard_tour(self):
        """The bureau manager reads the month's scorecard and opens the incidents behind school
        A's figure: this month's one, not last month's."""
        now = fields.Datetime.now().replace(microsecond=0)
        self._incident("Scorecard: playground", now)
        self._incident("Scorecard: last month", now - timedelta(days=40))
        self.start_tour("/odoo", "school_safety_scorecard", login="t_manager")

    @mute_logger("odoo.addons.base.models.ir_actions_report")
    def test_monthly_report_tour(self):
        """Last month's draft: the school's officer writes its problems and plan, the principal
        submits it, the bureau manager acknowledges it."""
        # wkhtmltopdf fetches the report's assets from the server, which in a browser test serves
        # one request at a time, the submission's first: it would wait forever. Pointed at a closed
        # port, it renders the files without them at once.
        self.env["ir.config_parameter"].set_param("report.url", "http://127.0.0.1:1")
        Report = self.env["safety.monthly.report"]
        report = Report._safety_generate(Report._safety_previous_month(self.school_a), self.school_a, render=False)
        self.assertEqual(report.state, "draft")
        self.start_tour("/odoo", "school_safety_monthly_report_write", login="t_officer_a")
        self.assertRecordValues(report, [{
            "state": "draft", "open_problems": "The fence behind the gym is too low.",
            "next_month_plan": "Raise the fence; fire drill on the 10th.",
        }])
        self.start_tour("/odoo", "school_safety_monthly_report_submit", login="t_principal_a")
        self.assertRecordValues(report, [{
            "state": "submitted", "submitted_by_id": self.user_principal_a.id,
            "school_comment": "Checked and approved.",
        }])
        # filed with its PDF and Excel file, as the bureau receives it
        filed = report.message_ids.filtered("attachment_ids")
        self.assertEqual(len(filed), 1)
        self.assertEqual(sorted(filed.attachment_ids.mapped("mimetype")), [
            "application/pdf", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ])
        self.start_tour("/odoo", "school_safety_monthly_report_acknowledge", login="t_manager")
        self.assertRecordValues(report, [{
            "state": "acknowledged", "acknowledged_by_id": self.user_manager.id,
            "open_problems": "The fence behind the gym is too low.",
        }])
