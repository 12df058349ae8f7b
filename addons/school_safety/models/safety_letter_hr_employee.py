from odoo import api, models

LETTER_TRIGGER_FIELDS = {"safety_position", "parent_id", "company_id", "active"}


class HrEmployee(models.Model):
    """Joiners get their letter (and a signing activity) at once; leavers' letters are superseded."""

    _inherit = "hr.employee"

    @api.model_create_multi
    def create(self, vals_list):
        employees = super().create(vals_list)
        placed = employees.filtered("safety_position")
        if placed:
            self.env["safety.letter.campaign"]._safety_sync_schools(placed.company_id)
        return employees

    def write(self, vals):
        res = super().write(vals)
        if "active" in vals and not vals["active"]:
            self.env["safety.letter"]._safety_supersede_parties("party_b_employee_id", self)
        elif LETTER_TRIGGER_FIELDS & set(vals):
            self.env["safety.letter.campaign"]._safety_sync_schools(self.company_id)
        return res
