from odoo.tests import HttpCase, tagged

from .common import SafetyTrainingCase


@tagged("post_install", "-at_install")
class TestDrillTour(HttpCase, SafetyTrainingCase):
    """The safety officer records a drill just held in the browser."""

    def test_record_drill(self):
        drill = self._drill(self.school_a, evacuation_seconds=0)
        self.start_tour(
            f"/odoo/action-safety_training.safety_drill_action/{drill.id}",
            "safety_drill_record_tour",
            login="t_officer_a",
        )
        self.assertEqual(drill.state, "done")
        self.assertEqual(drill.evacuation_seconds, 95)
        hazard = drill.problem_ids.hazard_id
        self.assertEqual(len(hazard), 1)
        self.assertEqual((hazard.source, hazard.source_ref), ("drill", drill))
        self.assertIn("Exit B blocked by chairs", hazard.description)
        self.assertEqual(hazard.company_id, self.school_a)
