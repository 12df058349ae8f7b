from odoo import api, fields, models
from odoo.exceptions import ValidationError


class SafetyTrainingCourse(models.Model):
    """A safety course staff are trained in, and how long what it teaches stays valid.

    The shipped courses (no bureau) apply to every bureau, in Chinese and English; a bureau
    adds its own. A certificate of the course, from a session or from outside (the fire
    brigade, a health certificate), expires ``validity_months`` after it was issued, or
    never when the course has no validity.
    """

    _name = "safety.training.course"
    _description = "Safety Training Course"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        help="Short reference of the course, for imports and reports (unique within its bureau).",
    )
    sequence = fields.Integer(default=10)
    bureau_id = fields.Many2one(
        "res.company", index=True, ondelete="cascade",
        domain="[('safety_is_bureau', '=', True)]",
        help="Leave empty for a course of every bureau.",
    )
    validity_months = fields.Integer(
        string="Validity (months)",
        help="How long a certificate of the course stays valid; 0: it never expires.",
    )
    default_hours = fields.Float(string="Usual Hours", digits=(4, 1))
    pass_mark = fields.Float(
        string="Default Pass Mark", digits=(5, 1),
        help="Score out of 100 an attendee needs for the certificate (0: attending is enough). "
        "Each session may set its own.",
    )
    outside_only = fields.Boolean(
        string="Outside Certificate",
        help="Held as a certificate issued outside the school system (a health certificate, a "
        "licence), recorded with its scan rather than taught in a session.",
    )
    description = fields.Text(translate=True)
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("code_bureau_unique", "unique(code, bureau_id)", "The course code is already used in this bureau."),
    ]

    @api.constrains("validity_months", "default_hours", "pass_mark")
    def _check_numbers(self):
        for course in self:
            if course.validity_months < 0 or course.default_hours < 0:
                raise ValidationError(self.env._(
                    "%(course)s: the validity and the usual hours cannot be negative.", course=course.name,
                ))
            if not 0 <= course.pass_mark <= 100:
                raise ValidationError(self.env._(
                    "%(course)s: the pass mark is a score between 0 and 100.", course=course.name,
                ))
