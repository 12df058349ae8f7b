from odoo import fields, models

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


class HrEmployee(models.Model):
    _inherit = "hr.employee"

    safety_position = fields.Selection(
        SAFETY_POSITIONS,
        string="Safety Position",
        index=True,
        tracking=True,
        help="Position in the school's safety organisation: it decides which "
        "responsibility letter the employee signs and with whom.",
    )
    safety_school_type = fields.Selection(related="company_id.safety_school_type")
