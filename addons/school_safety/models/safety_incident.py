import logging
from datetime import timedelta

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

_logger = logging.getLogger(__name__)

# the categories of the safety incident reports of the education system
INCIDENT_CATEGORIES = [
    ("accident", "Accident or Disaster"),
    ("public_security", "Public Security"),
    ("natural_disaster", "Natural Disaster"),
    ("other", "Other"),
]
FUTURE_TOLERANCE_MINUTES = 5
# what the school states when it reports: given at creation, then kept as reported
INCIDENT_REPORT_FIELDS = frozenset({
    "company_id", "occurred_at", "location", "category", "injured_count", "death_count",
    "description", "measures_taken", "attachment_ids",
})


def bureau_recipients(env, school):
    """Who at the bureau is told of a school's incident or report: the bureau's safety officer
    when it has one with a login, else the bureau's inspectors and managers who watch the school."""
    school = school.sudo()
    officer = school.safety_bureau_id.safety_officer_id.user_id
    if officer and officer.active:
        return officer
    group = env.ref("school_safety.group_bureau_inspector")
    return env["res.users"].sudo().search([
        ("groups_id", "in", group.ids), ("company_ids", "in", school.ids), ("share", "=", False),
    ])


class SafetyIncident(models.Model):
    """A safety incident (安全事故/事件) reported by a school without delay.

    The school states what happened when it reports (time, place, category, people hurt, what
    was done): the report is then kept as it was made, never deleted. The bureau is told at
    once (an activity and an email to each person, in their language), acknowledges it and adds
    its follow-up (``safety.incident.followup``); the school adds to it in the chatter.
    """

    _name = "safety.incident"
    _description = "Safety Incident"
    _inherit = ["safety.school.record", "mail.thread", "mail.activity.mixin"]
    _order = "occurred_at desc, id desc"
    # the school adds to its report in the chatter (it cannot write the report itself)
    _mail_post_access = "read"
    _safety_sequence_code = "safety.incident"
    _safety_create_fields = INCIDENT_REPORT_FIELDS
    _safety_client_writable = frozenset()
    _safety_locked_server_fields = frozenset({"state", "acknowledged_by_id", "acknowledged_on"})
    _safety_transitions = {"acknowledged": ("reported",)}
    _safety_attachment_fields = ("attachment_ids",)

    name = fields.Char(
        string="Reference", required=True, copy=False, readonly=True,
        default=lambda self: self.env._("New"),
    )
    bureau_id = fields.Many2one(store=True)  # the bureau reports on them
    occurred_at = fields.Datetime(required=True, index=True, tracking=True)
    location = fields.Char(string="Place", required=True)
    category = fields.Selection(INCIDENT_CATEGORIES, required=True, index=True, tracking=True)
    injured_count = fields.Integer(string="People Injured", default=0)
    death_count = fields.Integer(string="Deaths", default=0)
    description = fields.Text(string="What Happened", required=True)
    measures_taken = fields.Text(string="What Was Done", required=True)
    attachment_ids = fields.Many2many(
        "ir.attachment", "safety_incident_attachment_rel", "incident_id", "attachment_id",
        string="Photos and Documents",
    )
    state = fields.Selection(
        [("reported", "Reported"), ("acknowledged", "Acknowledged by the Bureau")],
        default="reported", required=True, readonly=True, tracking=True, index=True, copy=False,
    )
    reported_by_id = fields.Many2one(
        "res.users", readonly=True, default=lambda self: self.env.user
    )
    reported_on = fields.Datetime(readonly=True, default=fields.Datetime.now)
    acknowledged_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    acknowledged_on = fields.Datetime(readonly=True, copy=False)
    followup_ids = fields.One2many("safety.incident.followup", "incident_id", string="Bureau Follow-up")

    _sql_constraints = [
        ("people_positive", "CHECK(injured_count >= 0 AND death_count >= 0)",
         "The numbers of people injured and killed cannot be negative."),
    ]

    @api.constrains("occurred_at", "injured_count", "death_count")
    def _check_report(self):
        for incident in self:
            incident._safety_check_values(incident.occurred_at, incident.injured_count, incident.death_count)

    @api.model
    def _safety_check_values(self, occurred_at, injured, deaths):
        # a phone's clock a few minutes ahead is no report from the future
        latest = fields.Datetime.now() + timedelta(minutes=FUTURE_TOLERANCE_MINUTES)
        occurred_at = fields.Datetime.to_datetime(occurred_at)
        if occurred_at and occurred_at > latest:
            raise ValidationError(
                self.env._(
                    "An incident is reported once it has happened: %(time)s is in the future.",
                    time=fields.Datetime.context_timestamp(self, occurred_at).strftime("%Y-%m-%d %H:%M"),
                )
            )
        if min(injured or 0, deaths or 0) < 0:
            raise ValidationError(self.env._("The numbers of people injured and killed cannot be negative."))

    @api.model
    def _safety_check_client_create(self, vals_list):
        user = self.env.user
        if not user.has_group("school_safety.group_school_safety_officer"):
            raise AccessError(
                self.env._("Incidents are reported by the school's safety officer or its principal.")
            )
        for vals in vals_list:
            company = self.env["res.company"].browse(vals.get("company_id") or self.env.company.id)
            if not company.sudo().safety_is_school:
                raise ValidationError(self.env._("An incident is reported by a school."))

    def _safety_is_locked(self):
        # kept as the school reported it, from the start (the bureau's follow-up is its own record)
        return True

    def _safety_locked_message(self):
        return self.env._(
            "%(incident)s is kept as it was reported: add to it in its chatter, the bureau adds its follow-up.",
            incident=self.name,
        )

    def _safety_undeletable_message(self):
        return self.env._("A reported incident is part of the record and cannot be deleted.")

    @api.model_create_multi
    def create(self, vals_list):
        # refused before anything is written, not only when the constraint runs
        for vals in vals_list:
            self._safety_check_values(vals.get("occurred_at"), vals.get("injured_count"), vals.get("death_count"))
        # who reported it and when are the server's (a client's value is refused by its key)
        incidents = super().create(vals_list)
        incidents._safety_notify_bureau()
        return incidents

    # ------------------------------------------------------------ steps

    @api.model
    def _safety_report_incidents(self, vals_list, now=None):
        """Report incidents as the current user. ``now`` is for the server only (the demo builder
        records a report made weeks ago at its own time); the client's door is ``create``."""
        if now is None:
            return self.create(vals_list)
        self.check_access("create")
        self._safety_check_client_create(vals_list)
        user = self.env.user
        incidents = self.sudo().create([dict(vals, reported_by_id=user.id, reported_on=now) for vals in vals_list])
        incidents.check_access("read")
        return incidents.with_env(self.env)

    def action_acknowledge(self):
        """The bureau has taken note of the incident."""
        return self._safety_acknowledge()

    def _safety_acknowledge(self, now=None):
        """action_acknowledge. ``now`` is for the server only (the demo builder)."""
        if not self.env.user.has_group("school_safety.group_bureau_inspector"):
            raise AccessError(self.env._("The bureau's inspectors and managers acknowledge incidents."))
        self._safety_transition("acknowledged", {
            "acknowledged_by_id": self.env.user.id, "acknowledged_on": now or fields.Datetime.now(),
        })
        for incident in self.sudo():
            incident.activity_unlink(["school_safety.mail_activity_type_safety_incident"])
            incident.message_post(
                body=incident._safety_school_env()._(
                    "Acknowledged by the bureau (%(user)s).", user=self.env.user.name
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_add_followup(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Bureau Follow-up"),
            "res_model": "safety.incident.followup",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_incident_id": self.id},
        }

    # ------------------------------------------------------------ notifying the bureau

    def _safety_school_env(self):
        self.ensure_one()
        return self.with_context(lang=self.company_id._safety_lang()).env

    def _safety_notify_bureau(self):
        """Tell the bureau at once: an activity for each person told and an email, each in their
        own language (else the school's)."""
        activity_type = self.env.ref("school_safety.mail_activity_type_safety_incident")
        template = self.env.ref("school_safety.mail_template_safety_incident", raise_if_not_found=False)
        model_id = self.env["ir.model"]._get_id(self._name)
        activities = []
        for incident in self.sudo():
            recipients = bureau_recipients(self.env, incident.company_id)
            school_lang = incident.company_id._safety_lang()
            for user in recipients:
                lang_env = self.with_context(lang=user.lang or school_lang).env
                categories = dict(self._fields["category"]._description_selection(lang_env))
                activities.append({
                    "res_model_id": model_id,
                    "res_id": incident.id,
                    "activity_type_id": activity_type.id,
                    "user_id": user.id,
                    "date_deadline": fields.Date.context_today(self),
                    "automated": True,
                    "summary": lang_env._("Incident at %(school)s", school=incident.company_id.name),
                    "note": Markup(escape(lang_env._(
                        "%(category)s at %(place)s: %(injured)s injured, %(deaths)s dead. Please acknowledge.",
                        category=categories.get(incident.category, incident.category),
                        place=incident.location, injured=incident.injured_count, deaths=incident.death_count,
                    ))),
                })
            if template:
                by_lang = {}
                for user in recipients.filtered("email"):
                    by_lang.setdefault(user.lang or school_lang, []).append(user.partner_id.id)
                for lang, partner_ids in by_lang.items():
                    template.sudo().with_context(safety_lang=lang).send_mail(
                        incident.id, email_values={"recipient_ids": [(6, 0, partner_ids)]},
                    )
            incident.message_post(
                body=incident._safety_school_env()._(
                    "Reported by %(user)s; the bureau was told: %(people)s.",
                    user=incident.reported_by_id.name,
                    people=", ".join(recipients.mapped("name")) or incident._safety_school_env()._("nobody"),
                ),
                subtype_xmlid="mail.mt_note",
            )
            _logger.info(
                "Incident %s of %s reported: %d people told at the bureau",
                incident.name, incident.company_id.name, len(recipients),
            )
        # one create, no "assigned to you" email on top of the report's own
        self.env["mail.activity"].sudo().with_context(mail_activity_quick_update=True).create(activities)


class SafetyIncidentFollowup(models.Model):
    """What the bureau did or asked after an incident: kept, never changed or deleted."""

    _name = "safety.incident.followup"
    _description = "Incident Follow-up"
    _inherit = ["safety.school.record"]
    _order = "create_date, id"
    _safety_create_fields = frozenset({"incident_id", "note"})
    _safety_client_writable = frozenset()

    incident_id = fields.Many2one("safety.incident", required=True, index=True, ondelete="restrict")
    company_id = fields.Many2one(
        related="incident_id.company_id", store=True, index=True, precompute=True, default=None
    )
    note = fields.Text(string="Follow-up", required=True)
    author_id = fields.Many2one("res.users", string="By", readonly=True, default=lambda self: self.env.user)

    def _safety_is_locked(self):
        return True

    def _safety_locked_message(self):
        return self.env._("A follow-up of the bureau is kept as it was written.")

    def _safety_undeletable_message(self):
        return self.env._("A follow-up of the bureau is part of the incident's record and cannot be deleted.")

    @api.model
    def _safety_check_client_create(self, vals_list):
        if not self.env.user.has_group("school_safety.group_bureau_inspector"):
            raise AccessError(self.env._("The bureau's inspectors and managers add the follow-up of an incident."))
        for vals in vals_list:
            if not (vals.get("note") or "").strip():
                raise ValidationError(self.env._("Write what the bureau did or asked."))

    @api.model_create_multi
    def create(self, vals_list):
        followups = super().create(vals_list)
        for followup in followups.sudo():
            followup.incident_id.message_post(
                body=followup.incident_id._safety_school_env()._(
                    "Bureau follow-up by %(user)s: %(note)s", user=followup.author_id.name, note=followup.note
                ),
                subtype_xmlid="mail.mt_note",
            )
        return followups
