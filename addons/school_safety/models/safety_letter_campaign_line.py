from odoo import fields, models


class SafetyLetterCampaignLine(models.Model):
    """Progress of one school in a campaign: written only by the campaign's own steps."""

    _name = "safety.letter.campaign.line"
    _description = "School of a Letter Campaign"
    _inherit = ["safety.school.record"]
    _order = "campaign_id, id"
    _safety_create_fields = frozenset()
    _safety_client_writable = frozenset()

    campaign_id = fields.Many2one(
        "safety.letter.campaign", required=True, index=True, ondelete="cascade"
    )
    state = fields.Selection(
        [("pending", "Pending"), ("done", "Done")], default="pending", required=True, readonly=True
    )
    letter_count = fields.Integer(string="Letters Done", readonly=True)
    letter_expected = fields.Integer(string="Letters Expected", readonly=True)

    _sql_constraints = [
        ("school_unique", "unique(campaign_id, company_id)", "A school is only once in a campaign."),
    ]

    def _safety_count_letters(self):
        """The letters of the campaign at this school, whichever companies the user has active."""
        self.ensure_one()
        return self.env["safety.letter"].sudo().search_count(
            [("campaign_id", "=", self.campaign_id.id), ("company_id", "=", self.company_id.id)]
        )
