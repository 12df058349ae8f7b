from odoo import models


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    def session_info(self):
        """Each role of the suite lands on its own work (unless the user chose a home action)."""
        info = super().session_info()
        if info.get("is_internal_user") and not info.get("home_action_id"):
            action = self.env.user._safety_home_action()
            if action:
                info["home_action_id"] = action.id
        return info
