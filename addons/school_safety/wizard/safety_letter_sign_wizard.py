from odoo import api, fields, models
from odoo.exceptions import AccessError


class SafetyLetterSignWizard(models.TransientModel):
    _name = "safety.letter.sign.wizard"
    _description = "Sign a Safety Letter"

    letter_id = fields.Many2one("safety.letter", required=True, readonly=True, ondelete="cascade")
    # read with the user's own rights: the wizard shows only a letter its user may read
    content = fields.Html(compute="_compute_content", sanitize=True)
    name = fields.Char(string="Your Name", required=True, default=lambda self: self.env.user.name)
    signature = fields.Binary()

    @api.depends("letter_id")
    def _compute_content(self):
        for wizard in self:
            wizard.content = wizard.letter_id._safety_content_html() if wizard.letter_id else False

    @api.model_create_multi
    def create(self, vals_list):
        letters = self.env["safety.letter"].browse(
            [vals["letter_id"] for vals in vals_list if vals.get("letter_id")]
            + ([self.env.context["default_letter_id"]] if self.env.context.get("default_letter_id") else [])
        )
        letters.check_access("read")
        user = self.env.user
        for letter in letters.sudo():
            if user not in (letter.party_a_employee_id.user_id | letter.party_b_employee_id.user_id):
                raise AccessError(
                    self.env._("You are not a party to this letter and cannot sign it for someone else.")
                )
        return super().create(vals_list)

    def action_sign(self):
        self.ensure_one()
        self.letter_id.action_sign(self.signature, self.name)
        return {"type": "ir.actions.act_window_close"}
