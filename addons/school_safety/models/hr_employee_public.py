from odoo import fields, models

from .hr_employee import SAFETY_POSITIONS


class HrEmployeePublic(models.Model):
    """The safety position is part of the school's directory.

    Users who are not HR officers (safety officers, staff) read employees through their public
    profile: a field of ``hr.employee`` missing here makes any read of an employee record in
    their name (``training.attendee_ids`` in a step of theirs) fail on that field.
    """

    _inherit = "hr.employee.public"

    safety_position = fields.Selection(SAFETY_POSITIONS, readonly=True)
