from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

TRAINING_TOPICS = [
    ("fire_safety", "Fire Safety"),
    ("evacuation_guiding", "Escape and Evacuation Guiding"),
    ("first_aid", "First Aid"),
    ("traffic", "Traffic Safety"),
    ("food_safety", "Food Safety"),
    ("anti_intrusion", "Anti-Intrusion"),
    ("other", "Other"),
]


class SafetyTraining(models.Model):
    """One safety training session of a school's staff, with its attendance record."""

    _name = "safety.training"
    _description = "Safety Training"
    _inherit = ["safety.school.record", "mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _safety_server_fields = frozenset({"state", "message_ids"})
    _safety_attachment_fields = ("attachment_ids",)
    _safety_transitions = {"done": ("draft",)}

    name = fields.Char(string="Title", required=True, tracking=True)
    bureau_id = fields.Many2one(store=True)  # the bureau reports on them
    date = fields.Date(required=True, default=fields.Date.context_today, tracking=True, index=True)
    topic = fields.Selection(TRAINING_TOPICS, required=True, default="fire_safety", tracking=True, index=True)
    trainer = fields.Char(help="Person or organisation giving the training, e.g. the local fire brigade.")
    hours = fields.Float(digits=(4, 1))
    location = fields.Char()
    attendee_ids = fields.Many2many(
        "hr.employee", "safety_training_hr_employee_rel", "training_id", "employee_id",
        string="Attendees", check_company=True, domain="[('company_id', '=', company_id)]",
    )
    attendee_count = fields.Integer(compute="_compute_attendee_count", string="Attendees Count")
    external_count = fields.Integer(
        string="External Attendees",
        help="Outside staff who attended (contracted guards, canteen contractors, bus drivers...).",
    )
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
    ]

    @api.depends("attendee_ids", "external_count")
    def _compute_attendee_count(self):
        for training in self:
            training.attendee_count = len(training.attendee_ids) + training.external_count

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

    def action_done(self):
        for training in self:
            if training.state != "draft":
                raise UserError(self.env._("%(training)s is already done.", training=training.name))
            if not training.attendee_ids and training.external_count < 1:
                raise UserError(
                    self.env._("%(training)s: record at least one attendee.", training=training.name)
                )
        self._safety_transition("done")
        return True
