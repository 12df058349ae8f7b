from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

# the topics of 18.0.1.1 and the shipped course each became (migration)
LEGACY_TOPIC_COURSES = {
    "fire_safety": "course_fire_safety",
    "evacuation_guiding": "course_evacuation_guiding",
    "first_aid": "course_first_aid",
    "traffic": "course_traffic",
    "food_safety": "course_food_safety",
    "anti_intrusion": "course_anti_intrusion",
    "other": "course_other",
}


class SafetyTraining(models.Model):
    """One training session of a course (培训记录): held by a school for its staff, or by the
    bureau for the staff of several of its schools. Its attendance is kept per employee;
    *Mark as Done* files it and gives every attendee present (and passed, when the session
    has a pass mark) a certificate of the course."""

    _name = "safety.training"
    _description = "Safety Training"
    _inherit = ["safety.school.record", "mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _safety_server_fields = frozenset({"state", "message_ids"})
    _safety_attachment_fields = ("attachment_ids",)
    _safety_transitions = {"done": ("draft",)}

    name = fields.Char(string="Title", required=True, tracking=True)
    company_id = fields.Many2one(
        string="Held By",
        help="The school holding the session for its staff, or the bureau for a session of staff of "
        "several of its schools.",
    )
    bureau_id = fields.Many2one(store=True)  # the bureau reports on them
    is_bureau_wide = fields.Boolean(
        string="Bureau-Wide", related="company_id.safety_is_bureau", store=True,
        help="Held by the bureau: staff of every school of the bureau may attend.",
    )
    course_id = fields.Many2one(
        "safety.training.course", required=True, tracking=True, index=True, ondelete="restrict",
        domain="[('outside_only', '=', False)]",
    )
    date = fields.Date(string="Start Date", required=True, default=fields.Date.context_today, tracking=True,
                       index=True)
    date_end = fields.Date(
        string="End Date", compute="_compute_date_end", store=True, readonly=False, precompute=True,
        tracking=True, help="The last day of the session (its certificates are dated from it).",
    )
    hours = fields.Float(digits=(4, 1), compute="_compute_hours", store=True, readonly=False, precompute=True)
    location = fields.Char()
    trainer_type = fields.Selection(
        [("internal", "Internal Trainer"), ("external", "Outside Trainer")],
        required=True, default="external",
    )
    trainer_employee_id = fields.Many2one(
        "hr.employee", string="Internal Trainer",
        domain="['|', ('company_id', '=', company_id), ('company_id.safety_bureau_id', '=', company_id)]",
    )
    trainer = fields.Char(
        string="Outside Trainer",
        help="Person or organisation giving the training, e.g. the local fire brigade.",
    )
    pass_mark = fields.Float(
        digits=(5, 1), compute="_compute_pass_mark", store=True, readonly=False, precompute=True,
        help="Score out of 100 an attendee needs for the certificate; 0: attending is enough.",
    )
    attendance_ids = fields.One2many("safety.training.attendance", "training_id")
    attendee_count = fields.Integer(compute="_compute_attendee_count", string="Attendees Count")
    present_count = fields.Integer(compute="_compute_attendee_count", string="Present")
    external_count = fields.Integer(
        string="External Attendees",
        help="Outside staff who attended (contracted guards, canteen contractors, bus drivers...).",
    )
    certificate_ids = fields.One2many("safety.training.certificate", "training_id")
    certificate_count = fields.Integer(compute="_compute_certificate_count")
    attachment_ids = fields.Many2many(
        "ir.attachment", "safety_training_attachment_rel", "training_id", "attachment_id",
        string="Evidence", help="Sign-in sheets, photos, slides.",
    )
    note = fields.Html(string="Content")
    state = fields.Selection(
        [("draft", "Draft"), ("done", "Done")],
        default="draft", required=True, tracking=True, index=True, copy=False,
    )

    _sql_constraints = [
        ("numbers_positive", "CHECK(hours >= 0 AND external_count >= 0)",
         "Hours and external attendees cannot be negative."),
        ("pass_mark_range", "CHECK(pass_mark >= 0 AND pass_mark <= 100)",
         "The pass mark is a score between 0 and 100."),
        ("dates_in_order", "CHECK(date_end IS NULL OR date_end >= date)",
         "A session cannot end before it starts."),
    ]

    @api.depends("date")
    def _compute_date_end(self):
        for training in self:
            # a new session lasts one day until told otherwise; a session that moves later
            # keeps its length of at least a day
            if not training._origin.id or not training.date_end or training.date_end < training.date:
                training.date_end = training.date

    @api.depends("course_id")
    def _compute_hours(self):
        for training in self:
            if not training.hours:
                training.hours = training.course_id.default_hours

    @api.depends("course_id")
    def _compute_pass_mark(self):
        for training in self:
            if training.state == "draft":
                training.pass_mark = training.course_id.pass_mark

    @api.depends("attendance_ids.status", "external_count")
    def _compute_attendee_count(self):
        for training in self:
            present = training.attendance_ids.filtered(lambda a: a.status == "present")
            training.present_count = len(present)
            training.attendee_count = len(present) + training.external_count

    @api.depends("certificate_ids")
    def _compute_certificate_count(self):
        for training in self:
            training.certificate_count = len(training.certificate_ids)

    @api.constrains("date", "date_end", "hours", "pass_mark", "external_count")
    def _check_numbers(self):
        for training in self:
            if training.date_end and training.date and training.date_end < training.date:
                raise ValidationError(self.env._(
                    "%(training)s ends on %(end)s, before it starts on %(start)s.",
                    training=training.name, end=training.date_end, start=training.date,
                ))
            if training.hours < 0 or training.external_count < 0:
                raise ValidationError(self.env._(
                    "%(training)s: the hours and the number of outside attendees cannot be negative.",
                    training=training.name,
                ))
            if not 0 <= training.pass_mark <= 100:
                raise ValidationError(self.env._(
                    "%(training)s: the pass mark is a score between 0 and 100.", training=training.name,
                ))

    @api.constrains("company_id", "course_id")
    def _check_course(self):
        for training in self:
            bureau = training.company_id if training.is_bureau_wide else training.company_id.safety_bureau_id
            if training.course_id.bureau_id and training.course_id.bureau_id != bureau:
                raise ValidationError(self.env._(
                    "%(course)s is a course of another bureau.", course=training.course_id.name,
                ))
            if training.course_id.outside_only:
                raise ValidationError(self.env._(
                    "%(course)s is certified outside the school system: record the certificates, not a "
                    "session.", course=training.course_id.name,
                ))

    @api.constrains("company_id")
    def _check_organiser(self):
        for training in self:
            company = training.company_id.sudo()
            if not (company.safety_is_school or company.safety_is_bureau):
                raise ValidationError(self.env._(
                    "%(training)s: a session is held by a school or by an education bureau.",
                    training=training.name,
                ))

    def _safety_is_locked(self):
        self.ensure_one()
        return self.state == "done"

    def _safety_locked_message(self):
        return self.env._(
            "%(training)s is done: the training record is filed and can no longer change.",
            training=self.name,
        )

    def _safety_undeletable_message(self):
        return self.env._("A done training is part of the training record and cannot be deleted.")

    @api.ondelete(at_uninstall=False)
    def _unlink_except_principal(self):
        if not self.env.su and self.env.user.has_group("school_safety.group_school_principal"):
            raise AccessError(self.env._("Principals cannot delete trainings."))

    # ------------------------------------------------------------ actions

    def action_done(self):
        """Draft -> done: the attendance is complete; each attendee present (and passed) gets a
        certificate of the course, dated from the session's last day."""
        today = fields.Date.context_today(self)
        for training in self:
            if training.state != "draft":
                raise UserError(self.env._("%(training)s is already done.", training=training.name))
            if training.date > today:
                raise UserError(self.env._(
                    "%(training)s starts on %(date)s: it can be marked done once it is held.",
                    training=training.name, date=training.date,
                ))
            lines = training.attendance_ids
            if not lines and training.external_count < 1:
                raise UserError(
                    self.env._("%(training)s: record at least one attendee.", training=training.name)
                )
            waiting = lines.filtered(lambda a: a.status == "expected")
            if waiting:
                raise UserError(self.env._(
                    "%(training)s: mark %(count)s attendees present, absent or excused first (%(names)s).",
                    training=training.name, count=len(waiting),
                    names=", ".join(waiting.sudo().employee_id[:5].mapped("name")),
                ))
            if training.pass_mark:
                # a score of 0 is no score yet: nobody present scores nothing at all
                unscored = lines.filtered(lambda a: a.status == "present" and not a.score)
                if unscored:
                    raise UserError(self.env._(
                        "%(training)s has a pass mark: give the score of %(names)s.",
                        training=training.name, names=", ".join(unscored.sudo().employee_id[:5].mapped("name")),
                    ))
        self._safety_transition("done")
        self._safety_issue_certificates()
        return True

    def _safety_issue_certificates(self):
        """The certificates of the attendees present and passed (one batch)."""
        values = []
        Sequence = self.env["ir.sequence"].sudo()
        for training in self.sudo():
            course = training.course_id
            issued = training.date_end or training.date
            expiry = issued + relativedelta(months=course.validity_months) if course.validity_months else False
            issuer = training.company_id.name
            for line in training.attendance_ids.filtered(lambda a: a.passed and not a.certificate_id):
                values.append({
                    "name": Sequence.next_by_code("safety.training.certificate") or "/",
                    "employee_id": line.employee_id.id,
                    "course_id": course.id,
                    "attendance_id": line.id,
                    "issue_date": issued,
                    "expiry_date": expiry,
                    "issuer": issuer,
                })
        certificates = self.env["safety.training.certificate"].sudo().create(values)
        for certificate in certificates:
            certificate.attendance_id.certificate_id = certificate
        return certificates

    def action_add_required_staff(self):
        """List, as expected, every employee the course is required of, of the school (of every
        school of the bureau for a bureau session), who is not listed yet."""
        self.ensure_one()
        self.check_access("write")
        if self.state != "draft":
            raise UserError(self._safety_locked_message())
        company = self.company_id.sudo()
        schools = company.child_ids.filtered("safety_is_school") if company.safety_is_bureau else company
        rows = self.env["safety.training.compliance"].sudo().search_fetch(
            [("course_id", "=", self.course_id.id), ("company_id", "in", schools.ids)], ["employee_id"],
        )
        listed = set(self.attendance_ids.sudo().employee_id.ids)
        new = [employee_id for employee_id in dict.fromkeys(rows.employee_id.ids) if employee_id not in listed]
        if new:
            self.write({"attendance_ids": [
                Command.create({"employee_id": employee_id, "status": "expected"}) for employee_id in new
            ]})
        return True

    def action_take_attendance(self):
        """The attendance of the session, one card per attendee (the phone screen)."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "safety_training.safety_training_attendance_action_take"
        )
        action["domain"] = [("training_id", "=", self.id)]
        action["context"] = {"default_training_id": self.id}
        action["display_name"] = self.name
        return action

    def action_view_certificates(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("safety_training.safety_training_certificate_action")
        action["domain"] = [("training_id", "=", self.id)]
        action["context"] = {"create": False}
        return action

    def _safety_attendee_error(self, employee):
        """Why ``employee`` cannot attend this session (None when they can): a school's session
        is for its own staff, a bureau's for the staff of its schools and its own."""
        self.ensure_one()
        employee = employee.sudo()
        company = self.company_id.sudo()
        school = employee.company_id
        if school == company or (company.safety_is_bureau and school.safety_bureau_id == company):
            return None
        if company.safety_is_bureau:
            return self.env._(
                "%(training)s is a session of %(bureau)s: its attendees work at the bureau or at one of "
                "its schools.", training=self.name, bureau=company.name,
            )
        return self.env._(
            "%(training)s is a session of %(school)s: its attendees are the school's own staff (a "
            "session for staff of several schools is held by the bureau).",
            training=self.name, school=company.name,
        )

    # ------------------------------------------------------------ migration

    @api.model
    def _safety_migrate_topics_and_attendees(self):
        """From 18.0.1.1 (post-migration, while the old column ``topic`` and the old attendee
        table still exist): course from the topic, attendance (present) from the attendees, and
        the certificates of the done sessions. Runs once: sessions with attendance are skipped."""
        cr = self.env.cr
        cr.execute("""SELECT 1 FROM information_schema.columns
                       WHERE table_name = 'safety_training' AND column_name = 'topic'""")
        has_topic = bool(cr.fetchone())
        cr.execute("SELECT to_regclass('safety_training_hr_employee_rel') IS NOT NULL")
        has_attendees = cr.fetchone()[0]
        if not has_topic and not has_attendees:
            return self.browse()
        self.env.flush_all()
        if has_topic:
            for topic, xmlid in LEGACY_TOPIC_COURSES.items():
                course = self.env.ref(f"safety_training.{xmlid}")
                cr.execute(
                    "UPDATE safety_training SET course_id = %s WHERE topic = %s AND course_id IS NULL",
                    (course.id, topic),
                )
            cr.execute("UPDATE safety_training SET course_id = %s WHERE course_id IS NULL",
                       (self.env.ref("safety_training.course_other").id,))
            # the column came in nullable (the rows had no course yet): required from now on
            cr.execute("ALTER TABLE safety_training ALTER COLUMN course_id SET NOT NULL")
        cr.execute("""UPDATE safety_training
                         SET date_end = date,
                             trainer_type = COALESCE(trainer_type, 'external'),
                             pass_mark = COALESCE(pass_mark, 0)
                       WHERE date_end IS NULL OR trainer_type IS NULL OR pass_mark IS NULL""")
        self.invalidate_model()
        migrated = self.browse()
        if has_attendees:
            cr.execute("""SELECT rel.training_id, rel.employee_id
                            FROM safety_training_hr_employee_rel rel
                            JOIN hr_employee e ON e.id = rel.employee_id
                           WHERE NOT EXISTS (SELECT 1 FROM safety_training_attendance a
                                              WHERE a.training_id = rel.training_id)
                           ORDER BY rel.training_id, rel.employee_id""")
            pairs = cr.fetchall()
            Attendance = self.env["safety.training.attendance"].sudo()
            # the done sessions are filed: their attendance is recorded as the server's step
            lines = Attendance.create([
                {"training_id": training_id, "employee_id": employee_id, "status": "present"}
                for training_id, employee_id in pairs
            ])
            migrated = lines.training_id
            migrated.filtered(lambda t: t.state == "done")._safety_issue_certificates()
        return migrated
