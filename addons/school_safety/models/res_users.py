from odoo import api, models


class ResUsers(models.Model):
    _inherit = "res.users"

    @api.model
    def _safety_demo_set_language(self, user_ids):
        """Demo data: the demo users read Chinese, as the schools' users do."""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.browse(user_ids).write({"lang": "zh_CN"})
