from odoo import api, fields, models
from odoo.exceptions import AccessError


class SafetyLetterGuardianLinks(models.TransientModel):
    """The names and signing links of a class's guardians, to paste into the class group chat.

    The text holds signing links: it is written only by ``safety.letter.action_guardian_link_list``
    after its checks (as the server: a client's create or write is refused, whatever it
    carries), and only its own user reads it back (record rule on ``create_uid``).
    """

    _name = "safety.letter.guardian.links"
    _description = "Guardian Signing Links for the Class Group"

    text = fields.Text(string="Names and Links", readonly=True)
    letter_count = fields.Integer(string="Links", readonly=True)
    skipped_count = fields.Integer(string="Letters Skipped", readonly=True)

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise AccessError(self._safety_refusal())
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            raise AccessError(self._safety_refusal())
        return super().write(vals)

    def _safety_refusal(self):
        return self.env._(
            "The list of signing links is made by the letters' Links for the Class Group button only."
        )
