from odoo.tests import HttpCase, tagged

from .common import SchoolSafetyCase


@tagged("post_install", "-at_install")
class TestSchoolSafetyTours(HttpCase, SchoolSafetyCase):
    def test_bureau_overview_tour(self):
        """The bureau manager finds the understaffed school and fixes its guard count."""
        self.user_manager.password = "t_manager"
        self.school_b.safety_guards_contracted = 1  # B fully staffed, A one guard short
        self.start_tour("/odoo", "school_safety_bureau_overview", login="t_manager")
        self.assertEqual(self.school_a.safety_guards_contracted, 1)
        self.assertEqual(self.school_a.safety_guard_shortfall, 0)
