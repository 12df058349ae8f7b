from odoo import api, fields, models

SAFETY_POSITIONS = [
    ("bureau", "Bureau Staff"),
    ("principal", "Principal"),
    ("deputy", "Deputy Principal"),
    ("middle_manager", "Middle Manager"),
    ("class_teacher", "Class Teacher"),
    ("teacher", "Teacher"),
    ("logistics", "Logistics Staff"),
    ("guard", "Security Guard"),
]
LETTER_TRIGGER_FIELDS = {"safety_position", "parent_id", "company_id", "active"}


class HrEmployee(models.Model):
    """The employee's place in the safety organisation. Joiners get their letter (and a
    signing activity) at once; leavers' letters are superseded."""

    _inherit = "hr.employee"

    safety_position = fields.Selection(
        SAFETY_POSITIONS,
        index=True,
        tracking=True,
        help="Position in the school's safety organisation: it decides which "
        "responsibility letter the employee signs and with whom.",
    )
    safety_school_type = fields.Selection(related="company_id.safety_school_type")

    @api.model_create_multi
    def create(self, vals_list):
        employees = super().create(vals_list)
        placed = employees.filtered("safety_position")
        # staff without an account read the school's language (their letter, its link)
        for employee in placed.sudo().filtered(lambda e: not e.user_id and e.work_contact_id):
            lang = employee.company_id._safety_lang()
            if employee.work_contact_id.lang != lang:
                employee.work_contact_id.lang = lang
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
