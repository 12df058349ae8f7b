from odoo import fields, models

from .hr_employee import SAFETY_POSITIONS


class HrEmployeePublic(models.Model):
    """Users who are not HR officers (safety officers, teachers, guards) read employees
    through their public profile: the suite's fields are on it too (its view reads them
    from hr_employee), so that attendee lists, drill records and pickers work for them."""

    _inherit = "hr.employee.public"

    safety_position = fields.Selection(SAFETY_POSITIONS, readonly=True)
    safety_school_type = fields.Selection(related="company_id.safety_school_type")
