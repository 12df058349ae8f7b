import base64
import io

import qrcode

from odoo import api, models

# two columns of four slips fill an A4 page; a slip is never cut by a page break
SLIPS_PER_PAGE = 8


class SafetyLetterGuardianSlips(models.AbstractModel):
    """Paper slips for the guardians: one per guardian still to sign, with the QR code of their
    signing link. Rendering hands the links out: it is refused (AccessError) to whoever may not
    hand them out, whatever route asks (/report/pdf/..., /report/html/..., the print menu, an
    RPC), and each rendering is logged on every letter printed."""

    _name = "report.school_safety.safety_letter_guardian_slips"
    _description = "Guardian Signing Slips"

    @api.model
    def _get_report_values(self, docids, data=None):
        letters, _skipped = self.env["safety.letter"].browse(docids)._safety_guardian_letters_to_hand_out()
        urls = {letter.id: letter._safety_portal_url("b") for letter in letters}
        letters._safety_log_hand_out("b")
        return {
            "doc_ids": letters.ids,
            "doc_model": "safety.letter",
            "docs": letters,
            "pages": [letters[i:i + SLIPS_PER_PAGE] for i in range(0, len(letters), SLIPS_PER_PAGE)],
            "qr_codes": {letter_id: self._safety_qr_data_uri(url) for letter_id, url in urls.items()},
            "langs": {letter.id: letter._safety_lang() for letter in letters},
        }

    @api.model
    def _safety_qr_data_uri(self, payload):
        """The QR code as an inline PNG: the link never goes into a /report/barcode URL (nor
        into any server log)."""
        qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=8, border=4)
        qr.add_data(payload)
        qr.make(fit=True)
        buffer = io.BytesIO()
        qr.make_image().save(buffer, format="PNG")
        return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()
