from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.school_safety.models.res_company import SCHOOL_TYPES

# Who a requirement row is for, by the employee's place in the school's safety
# organisation (``safety_position``) or, for canteen staff, their canteen flag.
SAFETY_ROLES = [
    ("all", "All Staff"),
    ("leader", "School Leaders"),
    ("class_teacher", "Class Teachers"),
    ("teacher", "Teachers"),
    ("logistics", "Logistics Staff"),
    ("canteen", "Canteen Staff"),
    ("guard", "Security Guards"),
]
# the safety positions each role covers (canteen: the employee's flag instead)
ROLE_POSITIONS = {
    "leader": ("principal", "deputy", "middle_manager"),
    "class_teacher": ("class_teacher",),
    "teacher": ("class_teacher", "teacher"),
    "logistics": ("logistics",),
    "guard": ("guard",),
}


class SafetyTrainingRequirement(models.Model):
    """Which course which staff must hold: by safety role, optionally narrowed to a job
    position and to a school type. An employee must hold every course of every row that
    applies to them; rows without a bureau are the shipped defaults of every bureau, a
    bureau adds its own."""

    _name = "safety.training.requirement"
    _description = "Training Requirement"
    _order = "bureau_id, course_id, safety_role, id"

    course_id = fields.Many2one("safety.training.course", required=True, ondelete="cascade", index=True)
    bureau_id = fields.Many2one(
        "res.company", index=True, ondelete="cascade",
        domain="[('safety_is_bureau', '=', True)]",
        help="Leave empty for a requirement of every bureau.",
    )
    safety_role = fields.Selection(SAFETY_ROLES, string="Staff", required=True, default="all")
    job_id = fields.Many2one(
        "hr.job", string="Job Position", ondelete="cascade",
        help="Only the employees of this job position (within the staff above).",
    )
    school_type = fields.Selection(SCHOOL_TYPES, help="Only in schools of this type; empty: every school.")
    active = fields.Boolean(default=True)

    @api.depends("course_id", "safety_role", "job_id", "school_type")
    def _compute_display_name(self):
        roles = dict(self._fields["safety_role"]._description_selection(self.env))
        types = dict(self._fields["school_type"]._description_selection(self.env))
        for req in self:
            who = roles.get(req.safety_role, "")
            if req.job_id:
                who = f"{who} / {req.job_id.name}"
            if req.school_type:
                who = f"{who} ({types[req.school_type]})"
            req.display_name = self.env._("%(course)s: %(who)s", course=req.course_id.name or "", who=who)

    @api.constrains("course_id", "bureau_id")
    def _check_course_bureau(self):
        for req in self:
            if req.course_id.bureau_id and req.course_id.bureau_id != req.bureau_id:
                raise ValidationError(self.env._(
                    "%(course)s is a course of %(bureau)s: only that bureau's requirements may ask for it.",
                    course=req.course_id.name, bureau=req.course_id.bureau_id.name,
                ))
