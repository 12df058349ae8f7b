from collections import defaultdict

from odoo import api, models
from odoo.exceptions import UserError


class MailMessage(models.Model):
    """The chatter of an evidence record (its tracked changes: who moved it from which state
    to which) is part of the record: once the record is kept, its messages are neither moved
    to another record nor deleted, except by the server itself."""

    _inherit = "mail.message"

    def _safety_kept_record(self):
        evidence = {name for name, _fields in self.env["safety.evidence.mixin"]._safety_evidence_models()}
        # the records of each evidence model these messages are on, read at once
        res_ids = defaultdict(list)
        for message in self.sudo():
            if message.model in evidence and message.res_id:
                res_ids[message.model].append(message.res_id)
        for model, ids in res_ids.items():
            records = self.env[model].sudo().with_context(active_test=False).browse(ids).exists()
            kept = records.filtered(lambda record: record._safety_is_kept())
            if kept:
                return kept[0]
        return None

    def _safety_check_kept(self):
        if self.env.su:
            return
        record = self._safety_kept_record()
        if record:
            raise UserError(
                self.env._(
                    "The history of %(record)s is part of the record and cannot be removed.",
                    record=record.display_name,
                )
            )

    def write(self, vals):
        if {"model", "res_id", "tracking_value_ids"} & set(vals):
            self._safety_check_kept()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_safety_evidence(self):
        self._safety_check_kept()
