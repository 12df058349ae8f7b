from odoo import models


class ResUsers(models.Model):
    _inherit = "res.users"

    def _safety_home_actions(self):
        # a guard opens the patrol screen, a school's safety officer or principal the ledger
        return [
            ("school_safety.group_security_guard", "safety_inspection.safety_patrol_guard_screen_action"),
            ("school_safety.group_school_safety_officer", "safety_inspection.safety_hazard_action"),
        ] + super()._safety_home_actions()
