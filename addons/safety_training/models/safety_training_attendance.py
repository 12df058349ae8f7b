from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

ATTENDANCE_STATUS = [
    ("expected", "Expected"),
    ("present", "Present"),
    ("absent", "Absent"),
    ("excused", "Excused"),
]


class SafetyTrainingAttendance(models.Model):
    """One employee at one training session: present, absent or excused, with a score when
    the session has a pass mark.

    It belongs to the attendee's school (``company_id``, the employee's), whoever held the
    session: a bureau session's attendance is seen by each attendee's school, never by the
    other schools. It is filed with its session."""

    _name = "safety.training.attendance"
    _description = "Training Attendance"
    _inherit = ["safety.school.record"]
    _order = "training_id, id"
    _rec_name = "employee_id"
    _safety_create_fields = frozenset({"training_id", "employee_id"})
    # the certificate the session gives when it is done
    _safety_locked_server_fields = frozenset({"certificate_id"})

    training_id = fields.Many2one(
        "safety.training", string="Session", required=True, ondelete="cascade", index=True,
    )
    employee_id = fields.Many2one("hr.employee", required=True, ondelete="restrict", index=True)
    company_id = fields.Many2one(
        related="employee_id.company_id", store=True, index=True, precompute=True, default=None,
    )
    course_id = fields.Many2one(related="training_id.course_id", store=True, index=True)
    date = fields.Date(related="training_id.date", store=True)
    training_state = fields.Selection(related="training_id.state", string="Session Status")
    job_title = fields.Char(related="employee_id.job_title")
    status = fields.Selection(ATTENDANCE_STATUS, required=True, default="present", index=True)
    score = fields.Float(digits=(5, 1), help="Score out of 100, when the session has a pass mark.")
    pass_mark = fields.Float(related="training_id.pass_mark")
    passed = fields.Boolean(
        compute="_compute_passed", store=True,
        help="Present, and scored at least the pass mark when the session has one.",
    )
    certificate_id = fields.Many2one(
        "safety.training.certificate", readonly=True, copy=False, index="btree_not_null",
    )
    note = fields.Char()

    _sql_constraints = [
        ("employee_unique", "unique(training_id, employee_id)", "This employee is already on the attendance list."),
        ("score_range", "CHECK(score >= 0 AND score <= 100)", "The score lies between 0 and 100."),
    ]

    @api.depends("status", "score", "training_id.pass_mark")
    def _compute_passed(self):
        for line in self:
            mark = line.training_id.pass_mark
            line.passed = line.status == "present" and (not mark or line.score >= mark)

    @api.constrains("score")
    def _check_score(self):
        for line in self:
            if not 0 <= line.score <= 100:
                raise ValidationError(self.env._(
                    "The score of %(employee)s is %(score)s: a score lies between 0 and 100.",
                    employee=line.employee_id.sudo().name, score=line.score,
                ))

    @api.constrains("training_id", "employee_id")
    def _check_attendee(self):
        for line in self:
            message = line.training_id._safety_attendee_error(line.employee_id)
            if message:
                raise ValidationError(message)
        counts = self.sudo()._read_group(
            [("training_id", "in", self.training_id.ids), ("employee_id", "in", self.employee_id.ids)],
            ["training_id", "employee_id"], ["__count"],
        )
        for training, employee, count in counts:
            if count > 1:
                raise ValidationError(self.env._(
                    "%(employee)s is already on the attendance list of %(training)s.",
                    employee=employee.name, training=training.name,
                ))

    @api.model
    def _safety_check_client_create(self, vals_list):
        """Refuse a filed session, and another school's employee with the reason, before the
        school rule answers with a bare access error."""
        Training = self.env["safety.training"]
        Employee = self.env["hr.employee"].sudo()
        for vals in vals_list:
            training = Training.browse(vals.get("training_id") or self.env.context.get("default_training_id"))
            # (a session the caller may not read is refused by the rules, without its name)
            if training.exists() and training.sudo().state == "done" and training.has_access("read"):
                raise UserError(training._safety_locked_message())
            employee = Employee.browse(vals.get("employee_id")).exists()
            if training and employee:
                message = training.sudo()._safety_attendee_error(employee)
                if message:
                    raise ValidationError(message)

    def _safety_is_locked(self):
        self.ensure_one()
        return self.training_id.state == "done"

    def _safety_locked_message(self):
        return self.training_id._safety_locked_message()

    _safety_undeletable_message = _safety_locked_message

    def _safety_set_status(self, status):
        self.check_access("write")
        self.write({"status": status})
        return True

    def action_present(self):
        return self._safety_set_status("present")

    def action_absent(self):
        return self._safety_set_status("absent")

    def action_excused(self):
        return self._safety_set_status("excused")
