from odoo import fields, models


class HrEmployeePublic(models.Model):
    """The fire-safety follow-up on the public profile, which safety officers (not HR
    users) read and search instead of hr.employee."""

    _inherit = "hr.employee.public"

    safety_fire_training_date = fields.Date(
        string="Last Fire-Safety Training", compute="_compute_safety_fire_training",
    )
    safety_fire_training_overdue = fields.Boolean(
        string="Fire-Safety Training Overdue", compute="_compute_safety_fire_training",
        search="_search_safety_fire_training_overdue",
        help="No done fire-safety training in the last 12 months.",
    )

    def _compute_safety_fire_training(self):
        employees = self.env["hr.employee"].sudo().browse(self.ids)
        for public, employee in zip(self, employees, strict=True):
            public.safety_fire_training_date = employee.safety_fire_training_date
            public.safety_fire_training_overdue = employee.safety_fire_training_overdue

    def _search_safety_fire_training_overdue(self, operator, value):
        return self.env["hr.employee"]._search_safety_fire_training_overdue(operator, value)
