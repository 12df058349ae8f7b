from odoo import fields, models


class SafetyHazardReturnWizard(models.TransientModel):
    _name = "safety.hazard.return.wizard"
    _description = "Return a Rectification"

    hazard_id = fields.Many2one("safety.hazard", required=True)
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        self.hazard_id.action_return(self.reason)
        return {"type": "ir.actions.act_window_close"}
