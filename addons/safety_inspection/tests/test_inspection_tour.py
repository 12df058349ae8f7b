from odoo import Command
from odoo.tests import HttpCase, tagged

from .common import SafetyInspectionCase


@tagged("post_install", "-at_install")
class TestInspectionTour(HttpCase, SafetyInspectionCase):
    """A safety officer carries out a self-inspection on a phone."""

    browser_size = "375x667"
    touch_enabled = True

    def test_carry_out_inspection_on_phone(self):
        inspection = self._inspection(
            inspection_type="self_monthly",
            inspector_ids=[Command.set(self.user_officer_a.ids)],
        )
        self.start_tour(
            f"/odoo/action-safety_inspection.safety_inspection_action/{inspection.id}",
            "safety_inspection_phone_tour",
            login="t_officer_a",
        )
        self.assertEqual(inspection.state, "done")
        self.assertEqual(
            inspection.line_ids.sorted("sequence").mapped("result"), ["pass", "fail", "na"]
        )
        self.assertEqual(inspection.result, "fail")
        hazard = inspection.hazard_ids
        self.assertEqual(len(hazard), 1)
        self.assertEqual(hazard.category, "electricity")
        self.assertIn("Box 3 open in the gym", hazard.description)
