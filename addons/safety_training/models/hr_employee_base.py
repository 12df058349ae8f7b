from odoo import api, fields, models
from odoo.exceptions import UserError

from .safety_training_compliance import COMPLIANCE_STATES

# the worst state first: an employee's training state is the worst of their courses'
STATE_ORDER = ("missing", "expired", "expiring", "valid")
# who may read the compliance rows: an HR user outside the suite opens employees without them
SUITE_READERS = "school_safety.group_school_staff,school_safety.group_bureau_inspector"


class HrEmployeeBase(models.AbstractModel):
    """The trainings an employee must hold and their state, on employees and on their public
    profiles (which safety officers, who are not HR users, read and search): both share the
    employees' ids."""

    _inherit = "hr.employee.base"

    safety_canteen = fields.Boolean(
        string="Canteen Staff",
        help="Works in the canteen or handles food: needs the canteen's trainings and a health certificate.",
    )
    safety_training_compliance_ids = fields.Many2many(
        "safety.training.compliance", string="Required Trainings", compute="_compute_safety_training",
        groups=SUITE_READERS,
    )
    safety_training_state = fields.Selection(
        COMPLIANCE_STATES, string="Training Status", compute="_compute_safety_training",
        search="_search_safety_training_state", groups=SUITE_READERS,
        help="The worst state of the trainings the employee must hold: missing, expired, expiring or valid.",
    )

    @api.depends_context("uid")
    def _compute_safety_training(self):
        rows = self.env["safety.training.compliance"].search([("employee_id", "in", self._origin.ids)])
        by_employee = {}
        for row in rows:
            by_employee.setdefault(row.employee_id.id, self.env["safety.training.compliance"])
            by_employee[row.employee_id.id] |= row
        for employee in self:
            mine = by_employee.get(employee._origin.id, rows.browse())
            employee.safety_training_compliance_ids = mine
            states = set(mine.mapped("state"))
            employee.safety_training_state = next((s for s in STATE_ORDER if s in states), False)

    def _search_safety_training_state(self, operator, value):
        if operator not in ("=", "!=", "in", "not in") or value is False:
            raise UserError(self.env._("Unsupported search on the training status."))
        values = {value} if isinstance(value, str) else set(value or ())
        groups = self.env["safety.training.compliance"].sudo()._read_group(
            [], ["employee_id"], ["is_missing:sum", "is_expired:sum", "is_expiring:sum"],
        )
        ids = []
        for employee, missing, expired, expiring in groups:
            counts = {"missing": missing, "expired": expired, "expiring": expiring}
            state = next((s for s in STATE_ORDER[:3] if counts[s]), "valid")
            if state in values:
                ids.append(employee.id)
        return [("id", "in" if operator in ("=", "in") else "not in", ids)]
