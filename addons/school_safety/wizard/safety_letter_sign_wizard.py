from odoo import api, fields, models
from odoo.http import request


class SafetyLetterSignWizard(models.TransientModel):
    _name = "safety.letter.sign.wizard"
    _description = "Sign a Safety Letter"

    letter_id = fields.Many2one("safety.letter", required=True, readonly=True)
    content = fields.Html(related="letter_id.content")
    name = fields.Char(string="Your Name", required=True, default=lambda self: self.env.user.name)
    signature = fields.Binary()

    @api.model
    def _safety_remote_ip(self):
        return request.httprequest.remote_addr if request else ""

    def action_sign(self):
        self.ensure_one()
        self.letter_id.with_context(safety_signer_ip=self._safety_remote_ip()).action_sign(
            self.signature, self.name
        )
        return {"type": "ir.actions.act_window_close"}
