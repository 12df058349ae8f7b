from odoo import api, models
from odoo.exceptions import UserError

# what makes an attachment the evidence it is: its content and where it belongs
EVIDENCE_FIELDS = {"datas", "raw", "db_datas", "store_fname", "url", "type", "res_model", "res_id"}


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    def _safety_check_closed_hazard_evidence(self):
        """Photos before and after are the evidence of a closed (销号) hazard: the ledger
        keeps them as they were, whoever asks and through whichever door."""
        if not self.ids:
            return
        hazard = self.env["safety.hazard"].sudo().search(
            [
                ("state", "=", "closed"),
                "|",
                ("photo_before_ids", "in", self.ids),
                ("photo_after_ids", "in", self.ids),
            ],
            limit=1,
        )
        if hazard:
            raise UserError(
                self.env._(
                    "%(hazard)s is closed: its photos are evidence and can no longer change.",
                    hazard=hazard.name,
                )
            )

    def write(self, vals):
        if EVIDENCE_FIELDS & set(vals):
            self._safety_check_closed_hazard_evidence()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_closed_hazard_evidence(self):
        self._safety_check_closed_hazard_evidence()
