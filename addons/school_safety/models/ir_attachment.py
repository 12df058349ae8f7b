from odoo import api, models
from odoo.exceptions import UserError
from odoo.osv import expression

# what makes an attachment the evidence it is: its content and where it belongs
EVIDENCE_FIELDS = {"datas", "raw", "db_datas", "store_fname", "url", "type", "res_model", "res_id", "res_field"}


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    def _safety_locked_owner(self):
        """The first locked evidence record (a closed hazard, a signed letter, a done drill...)
        that these attachments belong to or are evidence of, else None."""
        if not self.ids:
            return None
        evidence = dict(self.env["safety.evidence.mixin"]._safety_evidence_models())
        # the attachment fields of evidence records (photos before and after, plans, sheets)
        for name, fields in evidence.items():
            if not fields:
                continue
            domain = expression.OR([[(field, "in", self.ids)] for field in fields])
            locked = self.env[name].sudo().with_context(active_test=False).search(domain).filtered(
                lambda record: record._safety_is_locked()
            )
            if locked:
                return locked[0]
        # attachments owned by an evidence record (signatures, chatter attachments): the
        # owners of each model read at once
        owners = self.sudo()._read_group(
            [("id", "in", self.ids), ("res_model", "in", list(evidence)), ("res_id", "!=", False)],
            ["res_model"], ["res_id:array_agg"],
        )
        for res_model, res_ids in owners:
            records = self.env[res_model].sudo().with_context(active_test=False).browse(res_ids).exists()
            locked = records.filtered(lambda record: record._safety_is_locked())
            if locked:
                return locked[0]
        return None

    def _safety_check_evidence(self):
        owner = self._safety_locked_owner()
        if owner:
            raise UserError(
                self.env._(
                    "%(locked)s Its files are evidence and can no longer change either.",
                    locked=owner._safety_locked_message(),
                )
            )

    def write(self, vals):
        if EVIDENCE_FIELDS & set(vals):
            self._safety_check_evidence()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_safety_evidence(self):
        self._safety_check_evidence()
