from dateutil.relativedelta import relativedelta

from odoo import fields, models
from odoo.exceptions import UserError

# staff need a fire-safety training at least this often
FIRE_TRAINING_MONTHS = 12


class HrEmployeeBase(models.AbstractModel):
    """The fire-safety follow-up, on employees and on their public profiles (which safety
    officers, who are not HR users, read and search): both share the employees' ids."""

    _inherit = "hr.employee.base"

    safety_fire_training_date = fields.Date(
        string="Last Fire-Safety Training", compute="_compute_safety_fire_training",
    )
    safety_fire_training_overdue = fields.Boolean(
        string="Fire-Safety Training Overdue", compute="_compute_safety_fire_training",
        search="_search_safety_fire_training_overdue",
        help="No done fire-safety training in the last 12 months.",
    )

    def _safety_fire_training_limit(self):
        return fields.Date.context_today(self) - relativedelta(months=FIRE_TRAINING_MONTHS)

    def _compute_safety_fire_training(self):
        last = {
            employee.id: day
            for employee, day in self.env["safety.training"].sudo()._read_group(
                [("state", "=", "done"), ("topic", "=", "fire_safety"),
                 ("attendee_ids", "in", self._origin.ids)],
                ["attendee_ids"],
                ["date:max"],
            )
        }
        limit = self._safety_fire_training_limit()
        for employee in self:
            day = last.get(employee._origin.id)
            employee.safety_fire_training_date = day
            employee.safety_fire_training_overdue = not day or day < limit

    def _search_safety_fire_training_overdue(self, operator, value):
        if operator not in ("=", "!="):
            raise UserError(self.env._("Unsupported search on fire-safety training overdue."))
        trained = self.env["safety.training"].sudo().search([
            ("state", "=", "done"), ("topic", "=", "fire_safety"),
            ("date", ">=", self._safety_fire_training_limit()),
        ]).attendee_ids
        overdue = (operator == "=") == bool(value)
        return [("id", "not in" if overdue else "in", trained.ids)]
