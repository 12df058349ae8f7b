from odoo import fields, models
from odoo.exceptions import UserError


class SafetyHazardLedgerWizard(models.TransientModel):
    _name = "safety.hazard.ledger.wizard"
    _description = "Export the Hazard Ledger"

    company_id = fields.Many2one(
        "res.company", string="School", required=True, default=lambda self: self.env.company,
        domain="[('id', 'in', allowed_company_ids)]",
    )
    allowed_company_ids = fields.Many2many("res.company", compute="_compute_allowed_company_ids")
    date_from = fields.Date(string="Found From", required=True)
    date_to = fields.Date(string="Found Until", required=True, default=fields.Date.context_today)

    def _compute_allowed_company_ids(self):
        for wizard in self:
            wizard.allowed_company_ids = self.env.user.company_ids

    def action_export(self):
        self.ensure_one()
        if self.date_to < self.date_from:
            raise UserError(self.env._("The period ends before it starts."))
        data = {
            "company_id": self.company_id.id,
            "date_from": fields.Date.to_string(self.date_from),
            "date_to": fields.Date.to_string(self.date_to),
        }
        return self.env.ref("safety_inspection.action_report_safety_hazard_ledger_xlsx").report_action(
            self, data=data
        )
