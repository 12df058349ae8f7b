import logging
from collections import defaultdict

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# state -> states it may be reached from (no stage can be skipped)
HAZARD_TRANSITIONS = {
    "notified": ("registered",),
    "rectifying": ("notified", "submitted"),
    "submitted": ("rectifying",),
    "closed": ("submitted",),
}
# Written only by the hazard's own steps (besides its readonly fields): the state, where it
# comes from, and its acceptance reviews.
HAZARD_SERVER_FIELDS = frozenset({
    "state", "source", "source_ref", "review_ids", "message_ids", "closed_date", "is_overdue",
    "escalation_level", "notice_number", "notice_date", "return_reason", "inspection_id",
    "inspection_line_id", "patrol_round_id",
})
# What the rectification notice (整改通知书) states: fixed once it is issued. The deadline
# then moves only through an approved extension.
HAZARD_NOTICE_FIELDS = frozenset({
    "location", "category", "description", "found_date", "found_by_id", "photo_before_ids",
    "rule_violated", "requirement", "deadline", "recheck_date",
})
# The "six fixed" and the follow-up: decided by the school's safety officer or principal, or
# the bureau, not by the people they assign.
HAZARD_SUPERVISOR_FIELDS = frozenset({
    "measure", "funding_estimated", "owner_id", "deadline", "rechecker_id", "requirement",
    "rule_violated", "recheck_date", "inspector_id", "contingency_plan",
})

HAZARD_CATEGORIES = [
    ("fire", "Fire"),
    ("electricity", "Electricity"),
    ("gas", "Gas"),
    ("chemicals", "Hazardous Chemicals and Labs"),
    ("canteen", "Canteen and Food"),
    ("building", "Buildings and Facilities"),
    ("traffic", "Traffic and School Buses"),
    ("gate", "Gate and Visitors"),
    ("surveillance", "Video Surveillance and Alarms"),
    ("dormitory", "Dormitories"),
    ("surroundings", "School Surroundings"),
    ("drowning", "Drowning"),
    ("epidemic", "Epidemics"),
    ("other", "Other"),
]


def hazard_categories(model):
    """The hazard categories, for the selection fields of what files hazards (checklist items,
    checks, drill problems): one list, the hazard's, that an addon extends with
    ``selection_add`` on the field ``category`` of ``safety.hazard``."""
    return model.env["safety.hazard"]._safety_categories()


class SafetyHazard(models.Model):
    """The hazard ledger (隐患台账): one record per hazard, whatever found it.

    Inspections, patrols, drills and staff reports all feed this model; ``source``
    says which, ``source_ref`` points at the record that found it. The ledger knows its
    sources only through ``safety.hazard.source``: each source adds its key to ``source``
    and its link field here.
    """

    _name = "safety.hazard"
    _description = "Safety Hazard"
    _inherit = ["safety.school.record", "mail.thread", "mail.activity.mixin", "tier.validation"]
    _order = "found_date desc, id desc"
    _safety_server_fields = HAZARD_SERVER_FIELDS
    _safety_protect_reviews = True
    _safety_sequence_code = "safety.hazard"
    _safety_transitions = HAZARD_TRANSITIONS
    _safety_attachment_fields = ("photo_before_ids", "photo_after_ids")

    # acceptance (submitted -> closed) goes through the approval tiers
    _state_field = "state"
    _state_from = ["submitted"]
    _state_to = ["closed"]
    _cancel_state = "cancel"
    _tier_validation_manual_config = False

    name = fields.Char(
        string="Reference", required=True, copy=False, readonly=True, index="trigram",
        default=lambda self: self.env._("New"),
    )
    bureau_id = fields.Many2one(store=True)  # the bureau reports on them
    location = fields.Char(string="Exact Location", required=True, tracking=True)
    category = fields.Selection(HAZARD_CATEGORIES, required=True, tracking=True, index=True)
    level = fields.Selection(
        [("general", "General"), ("major", "Major")],
        required=True, default="general", tracking=True, index=True,
    )
    # the sources of this addon (inspections, patrols) and staff reports; others add theirs
    source = fields.Selection(
        [
            ("inspection", "Inspection"),
            ("patrol", "Patrol"),
            ("staff_report", "Staff Report"),
        ],
        required=True, default="staff_report", index=True,
    )
    source_ref = fields.Reference(
        selection="_selection_source_ref", string="Found By Record", readonly=True
    )
    description = fields.Text(required=True)
    found_date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    found_by_id = fields.Many2one(
        "res.users", default=lambda self: self.env.user, tracking=True
    )
    photo_before_ids = fields.Many2many(
        "ir.attachment", "safety_hazard_photo_before_rel", "hazard_id", "attachment_id",
        string="Photos Before",
    )
    photo_after_ids = fields.Many2many(
        "ir.attachment", "safety_hazard_photo_after_rel", "hazard_id", "attachment_id",
        string="Photos After",
    )
    # the "six fixed" (六定): item (the hazard itself), measure, funding, owner, deadline, re-checker
    measure = fields.Text(string="Rectification Measure", tracking=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    funding_estimated = fields.Monetary(string="Estimated Funding", currency_field="currency_id")
    funding_actual = fields.Monetary(string="Actual Funding", currency_field="currency_id")
    owner_id = fields.Many2one(
        "res.users", string="Rectification Owner", tracking=True, index="btree_not_null",
        domain="[('company_ids', 'in', company_id)]",
    )
    deadline = fields.Date(tracking=True)
    rechecker_id = fields.Many2one(
        "res.users", string="Re-checker", tracking=True,
        domain="[('company_ids', 'in', company_id)]",
    )
    contingency_plan = fields.Text(help="Required for major hazards until they are closed.")
    bureau_supervised = fields.Boolean(
        string="Supervised by the Bureau", tracking=True,
        help="Formal supervision of a major hazard by the bureau (挂牌督办).",
    )
    state = fields.Selection(
        [
            ("registered", "Registered"),
            ("notified", "Notice Issued"),
            ("rectifying", "Rectifying"),
            ("submitted", "Submitted for Acceptance"),
            ("closed", "Closed"),
        ],
        default="registered", required=True, tracking=True, index=True, copy=False,
    )
    closed_date = fields.Date(readonly=True, copy=False)
    is_overdue = fields.Boolean(
        string="Overdue", readonly=True, copy=False, index=True,
        help="Set by the daily overdue job: open and past its deadline.",
    )

    # links to the inspection that found it
    inspection_id = fields.Many2one(
        "safety.inspection", index="btree_not_null", check_company=True,
        readonly=True, copy=False,
    )
    inspection_line_id = fields.Many2one(
        "safety.inspection.line", string="Failed Check", readonly=True, copy=False
    )
    patrol_round_id = fields.Many2one(
        "safety.patrol.round", index="btree_not_null", check_company=True,
        readonly=True, copy=False,
    )
    # rectification notice (整改通知书)
    notice_number = fields.Char(readonly=True, copy=False, index="btree_not_null")
    notice_date = fields.Date(readonly=True, copy=False)
    rule_violated = fields.Text(tracking=True)
    requirement = fields.Text(string="Rectification Requirement", tracking=True)
    recheck_date = fields.Date(string="Re-check Date", tracking=True)
    # rectification and acceptance
    rectification_description = fields.Text(string="Rectification Done", tracking=True)
    return_reason = fields.Text(readonly=True, copy=False, tracking=True)
    principal_user_id = fields.Many2one(
        "res.users", string="Principal", compute="_compute_principal_user_id", store=True,
        help="User of the school's principal: first acceptance tier.",
    )
    inspector_id = fields.Many2one(
        "res.users", string="Bureau Inspector", tracking=True,
        help="Bureau inspector following this hazard: receives the last escalation.",
    )
    extension_ids = fields.One2many("safety.hazard.extension", "hazard_id", string="Deadline Extensions")
    escalation_level = fields.Integer(
        readonly=True, copy=False, default=0,
        help="Last overdue escalation sent: 1 owner, 2 principal, 3 bureau inspector.",
    )
    days_overdue = fields.Integer(compute="_compute_days_overdue")
    found_quarter = fields.Char(compute="_compute_found_quarter", store=True, string="Quarter")

    @api.depends("company_id.safety_principal_id.user_id")
    def _compute_principal_user_id(self):
        for hazard in self:
            hazard.principal_user_id = hazard.company_id.sudo().safety_principal_id.user_id

    @api.depends("deadline", "state")
    def _compute_days_overdue(self):
        today = fields.Date.context_today(self)
        for hazard in self:
            hazard.days_overdue = (
                (today - hazard.deadline).days
                if hazard.deadline and hazard.state != "closed" and hazard.deadline < today
                else 0
            )

    @api.depends("found_date")
    def _compute_found_quarter(self):
        for hazard in self:
            day = hazard.found_date
            hazard.found_quarter = day and f"{day.year}-Q{(day.month - 1) // 3 + 1}"

    @api.model
    def _selection_source_ref(self):
        """Records that can find a hazard: the hazard sources and their findings, whichever
        addons are installed."""
        source = self.env.registry["safety.hazard.source"]
        names = []
        for name, model in self.env.registry.items():
            if not model._abstract and issubclass(model, source):
                names += [name] + ([model._safety_hazard_finding] if model._safety_hazard_finding else [])
        return [(name, self.env[name]._description) for name in names]

    @api.model
    def _safety_categories(self):
        """(key, label) of the hazard categories, in the user's language."""
        return self._fields["category"]._description_selection(self.env)

    @api.constrains("deadline", "found_date")
    def _check_deadline(self, vals=None):
        for hazard in self:
            deadline = fields.Date.to_date(vals["deadline"]) if vals and "deadline" in vals else hazard.deadline
            found = fields.Date.to_date(vals["found_date"]) if vals and "found_date" in vals else hazard.found_date
            if deadline and found and deadline < found:
                raise ValidationError(
                    self.env._(
                        "The deadline of %(hazard)s (%(deadline)s) is before the day it was "
                        "found (%(found)s).",
                        hazard=hazard.name,
                        deadline=deadline,
                        found=found,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("state", "registered") != "registered":
                raise UserError(self.env._("A new hazard is always registered first."))
            if not vals.get("inspector_id") and vals.get("inspection_id"):
                inspection = self.env["safety.inspection"].browse(vals["inspection_id"])
                if inspection.inspection_type == "bureau_quarterly":
                    vals["inspector_id"] = inspection.inspector_ids[:1].id
        return super().create(vals_list)

    def write(self, vals):
        if "deadline" in vals or "found_date" in vals:
            # refuse before anything is written, not only when the constraint runs
            self._check_deadline(vals)
        return super().write(vals)

    @api.model
    def _safety_state_message(self):
        return self.env._("The status of a hazard changes only through its rectification steps.")

    def _safety_is_locked(self):
        self.ensure_one()
        return self.state == "closed"

    def _safety_is_kept(self):
        self.ensure_one()
        return self.state != "registered"

    def _safety_locked_message(self):
        return self.env._(
            "%(hazard)s is closed: its record and evidence can no longer change.", hazard=self.name
        )

    def _safety_undeletable_message(self):
        return self.env._("Only a hazard just registered can be deleted; the ledger keeps the others.")

    @api.model
    def _safety_check_role_fields(self, names):
        """The fields a role decides: the six fixed and the follow-up are the school's
        supervisors' (officer, principal) or the bureau's; the bureau's supervision, the
        bureau's only."""
        user = self.env.user
        bureau = user.has_group("school_safety.group_bureau_inspector")
        supervisor = user.has_group("school_safety.group_safety_supervisor")
        if names & HAZARD_SUPERVISOR_FIELDS and not supervisor:
            raise AccessError(
                self.env._(
                    "%(fields)s of a hazard are decided by the school's safety officer, its "
                    "principal or the bureau.",
                    fields=self._safety_field_labels(names & HAZARD_SUPERVISOR_FIELDS),
                )
            )
        if "bureau_supervised" in names and not bureau:
            raise AccessError(self.env._("Only the bureau puts a hazard under its supervision (挂牌督办)."))
        return bureau

    @api.model
    def _safety_check_client_create(self, vals_list):
        self._safety_check_role_fields({name for vals in vals_list for name, value in vals.items() if value})

    def _safety_check_client_write(self, vals):
        """Who changes what on a hazard (the rectification steps write the rest)."""
        changed = self._safety_changed(vals)
        noticed = self.filtered(lambda h: h.state != "registered")
        if noticed and changed & HAZARD_NOTICE_FIELDS:
            if "deadline" in changed:
                raise UserError(
                    self.env._(
                        "The deadline of %(hazard)s is set by its rectification notice: request a "
                        "deadline extension.",
                        hazard=noticed[0].name,
                    )
                )
            raise UserError(
                self.env._(
                    "%(hazard)s: %(fields)s are stated by the rectification notice and no longer change.",
                    hazard=noticed[0].name,
                    fields=self._safety_field_labels(changed & HAZARD_NOTICE_FIELDS),
                )
            )
        bureau = self._safety_check_role_fields(changed)
        if "level" in changed and vals["level"] != "major":
            if self.filtered(lambda h: h.level == "major") and not bureau:
                raise AccessError(
                    self.env._("Only the bureau can downgrade a major hazard: it is accepted by the bureau.")
                )

    # Rectification steps ----------------------------------------------------

    def _state_label(self, state):
        return dict(self._fields["state"]._description_selection(self.env))[state]

    def _safety_transition_message(self, state):
        return self.env._(
            "%(hazard)s is %(current)s: it cannot go to %(target)s without the steps in between.",
            hazard=self.name, current=self._state_label(self.state), target=self._state_label(state),
        )

    def _check_six_fixed(self):
        labels = self._fields
        for hazard in self:
            missing = [
                labels[name]._description_string(self.env)
                for name in ("measure", "owner_id", "deadline", "rechecker_id", "requirement")
                if not hazard[name]
            ]
            if hazard.level == "major" and not hazard.contingency_plan:
                missing.append(labels["contingency_plan"]._description_string(self.env))
            if missing:
                raise UserError(
                    self.env._(
                        "Before the rectification notice of %(hazard)s, fill in: %(fields)s.",
                        hazard=hazard.name, fields=", ".join(missing),
                    )
                )
            if hazard.recheck_date and hazard.recheck_date < hazard.deadline:
                raise UserError(
                    self.env._(
                        "%(hazard)s: the re-check date cannot be before the deadline.",
                        hazard=hazard.name,
                    )
                )

    def action_issue_notice(self):
        """Registered -> notice issued: the six fixed are complete, the notice is numbered."""
        return self._safety_issue_notice()

    def _safety_issue_notice(self, now=None):
        """action_issue_notice. ``now`` is for the server only (the demo builder dates a notice
        issued weeks ago); action_issue_notice, the RPC door, gives none."""
        self._check_supervisor(
            self.env._("Only a safety officer, a principal or the bureau can issue a rectification notice.")
        )
        self._safety_check_transition("notified")
        self._check_six_fixed()
        for hazard in self:
            hazard._safety_transition("notified", {
                "notice_number": self.env["ir.sequence"].next_by_code("safety.hazard.notice") or "/",
                "notice_date": fields.Date.context_today(self, now),
                "recheck_date": hazard.recheck_date or hazard.deadline,
            })
            if hazard.owner_id:
                hazard.message_subscribe(partner_ids=hazard.owner_id.partner_id.ids)

    def action_start_rectification(self):
        self._safety_transition("rectifying")

    def action_submit(self):
        """Rectifying -> submitted for acceptance: evidence required, approval tiers requested."""
        self._safety_check_transition("submitted")
        for hazard in self:
            if not hazard.photo_after_ids or not (hazard.rectification_description or "").strip():
                raise UserError(
                    self.env._(
                        "%(hazard)s cannot be submitted for acceptance without photos after "
                        "rectification and a description of what was done.",
                        hazard=hazard.name,
                    )
                )
        self._safety_transition("submitted", {"return_reason": False})
        for hazard in self:
            if hazard.need_validation:
                hazard.request_validation()

    def _check_supervisor(self, message):
        user = self.env.user
        if not user.has_group("school_safety.group_safety_supervisor"):
            raise AccessError(message)

    def action_close(self):
        """Submitted -> closed (销号) once every tier has accepted."""
        self._check_supervisor(
            self.env._("Only a safety officer, a principal or the bureau can close a hazard.")
        )
        self._safety_check_transition("closed")
        for hazard in self:
            if not hazard.photo_after_ids or not (hazard.rectification_description or "").strip():
                raise UserError(
                    self.env._("%(hazard)s cannot be closed without rectification evidence.",
                               hazard=hazard.name)
                )
            if hazard.state == "submitted" and hazard.validation_status not in ("validated", "no"):
                raise UserError(
                    self.env._("%(hazard)s still waits for its acceptance approvals.", hazard=hazard.name)
                )
            if hazard.state == "submitted" and hazard.validation_status == "no" and hazard.need_validation:
                raise UserError(
                    self.env._("%(hazard)s must be accepted through its approval tiers.", hazard=hazard.name)
                )
            if self.env.user == hazard.owner_id:
                raise UserError(
                    self.env._("%(user)s owns the rectification of %(hazard)s and cannot accept it.",
                               user=self.env.user.name, hazard=hazard.name)
                )
        self._safety_transition("closed", {"closed_date": fields.Date.context_today(self), "is_overdue": False})

    def action_return(self, reason):
        """Submitted -> rectifying with the reason the rectification is not accepted."""
        self._check_supervisor(
            self.env._("Only a safety officer, a principal or the bureau can return a rectification.")
        )
        if not (reason or "").strip():
            raise UserError(self.env._("Give the reason the rectification is returned."))
        self._safety_check_transition("rectifying")
        if self.filtered(lambda h: h.state != "submitted"):
            raise UserError(self.env._("Only a rectification submitted for acceptance can be returned."))
        for hazard in self:
            if hazard.state == "submitted":
                hazard._check_reviewer_allowed()
        # the reviews of this submission are kept, with what they decided; the next submission
        # asks for new ones
        reviews = self.sudo().review_ids
        reviews.filtered(lambda r: r.status in ("waiting", "pending")).write({"status": "cancel"})
        reviews._safety_archive()
        self._safety_transition("rectifying", {"return_reason": reason})
        for hazard in self:
            hazard.message_post(body=self.env._("Returned for rectification: %(reason)s", reason=reason))

    def action_open_return_wizard(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Return Rectification"),
            "res_model": "safety.hazard.return.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_hazard_id": self.id},
        }

    def action_request_extension(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Request Deadline Extension"),
            "res_model": "safety.hazard.extension",
            "view_mode": "form",
            "target": "new",
            "context": {"default_hazard_id": self.id},
        }

    def action_print_notice(self):
        self.ensure_one()
        if self.state == "registered":
            raise UserError(self.env._("Issue the rectification notice first."))
        return self.env.ref("safety_inspection.action_report_safety_hazard_notice").report_action(self)

    # Approval tiers --------------------------------------------------------

    def _check_reviewer_allowed(self):
        """Segregation of duties and school boundaries for whoever accepts."""
        user = self.env.user
        for hazard in self.sudo():
            if hazard.company_id not in user.company_ids:
                raise AccessError(
                    self.env._(
                        "%(user)s is not of %(school)s and cannot review its hazard %(hazard)s.",
                        user=user.name, school=hazard.company_id.name, hazard=hazard.name,
                    )
                )
            if hazard.owner_id == user:
                raise UserError(
                    self.env._(
                        "%(user)s owns the rectification of %(hazard)s and cannot accept it.",
                        user=user.name, hazard=hazard.name,
                    )
                )

    # The review steps of base_tier_validation, as the only door to the reviews: the reviewer,
    # the hazard's school and state are checked here, then the reviews are written as the
    # server (tier.review refuses any other write, see school_safety's tier_review.py).

    def _check_review_step(self):
        self._check_reviewer_allowed()
        self.check_access("read")
        if self.filtered(lambda h: h.state != "submitted"):
            raise UserError(self.env._("Only a rectification submitted for acceptance can be accepted."))

    def validate_tier(self):
        self.ensure_one()
        self._check_review_step()
        if not self._get_sequences_to_approve(self.env.user):
            raise UserError(
                self.env._(
                    "%(user)s has no acceptance of %(hazard)s to give now: it waits for %(next)s.",
                    user=self.env.user.name, hazard=self.name,
                    next=self.sudo().next_review or self.env._("nobody"),
                )
            )
        res = super(SafetyHazard, self.sudo()).validate_tier()
        self._close_if_validated()
        return res

    def _validate_tier(self, tiers=False):
        self._check_review_step()
        return super(SafetyHazard, self.sudo())._validate_tier(tiers and tiers.sudo())

    def reject_tier(self):
        self.ensure_one()
        self._check_review_step()
        if not self._get_sequences_to_approve(self.env.user):
            raise UserError(
                self.env._("%(user)s has no acceptance of %(hazard)s to decide now.",
                           user=self.env.user.name, hazard=self.name)
            )
        return super(SafetyHazard, self.sudo()).reject_tier()

    def _rejected_tier(self, tiers=False):
        self._check_review_step()
        return super(SafetyHazard, self.sudo())._rejected_tier(tiers and tiers.sudo())

    def request_validation(self):
        self.check_access("write")
        if self.filtered(lambda h: h.state != "submitted"):
            raise UserError(self.env._("Acceptance is requested by submitting the rectification."))
        return super(SafetyHazard, self.sudo()).request_validation()

    def restart_validation(self):
        """Ask for the acceptance again: the earlier reviews are kept, archived."""
        self._check_supervisor(self.env._("Only a safety officer, a principal or the bureau restart an acceptance."))
        self.check_access("write")
        submitted = self.filtered(lambda h: h.state == "submitted")
        reviews = submitted.sudo().review_ids
        reviews.filtered(lambda r: r.status in ("waiting", "pending")).write({"status": "cancel"})
        reviews._safety_archive()
        for hazard in submitted:
            hazard.message_post(body=self.env._("Acceptance restarted by %(user)s.", user=self.env.user.name))
        submitted.request_validation()

    def _tier_validation_check_write_remove_reviews(self, vals):
        # base_tier_validation deletes the reviews when a record goes back: they are kept
        for hazard in self:
            if hazard._allow_to_remove_reviews(vals):
                hazard.sudo().review_ids._safety_archive()

    def _check_state_from_condition(self):
        # no context key (skip_check_state_condition) decides it: the hazard's state does
        return self._state_field in self._fields and (
            self._tier_validation_get_current_state_value() in self._state_from
        )

    def _check_allow_write_under_validation(self, vals):
        # the hazard's own steps write under validation (returning it, closing it)
        return self.env.su or super()._check_allow_write_under_validation(vals)

    # The chatter notes of the acceptance, in the school's language and the suite's words (OCA's
    # own are partly untranslated)

    def _safety_school_env(self):
        return self.with_context(lang=self.company_id._safety_lang()).env

    def _notify_created_review_body(self):
        return self._safety_school_env()._(
            "%(hazard)s waits for its acceptance, asked by %(user)s.", hazard=self.name, user=self.env.user.name
        )

    def _notify_requested_review_body(self):
        return self._safety_school_env()._(
            "Acceptance of %(hazard)s requested by %(user)s.", hazard=self.name, user=self.env.user.name
        )

    def _notify_accepted_reviews_body(self):
        return self._safety_school_env()._(
            "%(user)s accepted the rectification of %(hazard)s.", user=self.env.user.name, hazard=self.name
        )

    def _notify_rejected_review_body(self):
        return self._safety_school_env()._(
            "%(user)s did not accept the rectification of %(hazard)s.", user=self.env.user.name, hazard=self.name
        )

    def _notify_restarted_review_body(self):
        return self._safety_school_env()._(
            "The acceptance of %(hazard)s was restarted by %(user)s.", hazard=self.name, user=self.env.user.name
        )

    def _tier_validation_check_write_allowed(self, vals):
        for hazard in self:
            if (
                hazard.review_ids
                and hazard._check_tier_state_transition(vals)
                and not hazard._check_allow_write_under_validation(vals)
            ):
                raise ValidationError(
                    self.env._(
                        "%(hazard)s waits for its acceptance: %(fields)s can no longer change until "
                        "it is accepted or returned.",
                        hazard=hazard.name, fields=self._safety_field_labels(set(vals)),
                    )
                )
        return super()._tier_validation_check_write_allowed(vals)

    def _close_if_validated(self):
        for hazard in self:
            hazard.invalidate_recordset(["validation_status"])
            if hazard.state == "submitted" and hazard.validation_status == "validated":
                hazard.action_close()

    # Overdue job -----------------------------------------------------------

    @api.model
    def _escalation_days(self):
        get = self.env["ir.config_parameter"].sudo().get_param
        return (
            int(get("safety_inspection.escalation_principal_days", 3)),
            int(get("safety_inspection.escalation_bureau_days", 7)),
        )

    @api.model
    def _cron_check_overdue(self, batch_size=20000, today=None):
        """Flag overdue hazards and escalate them, in id batches.

        Escalation levels: 1 the owner on the due day, 2 the principal after N days, 3 the
        bureau inspector after M days (N, M: system parameters). Each level is sent once
        per hazard (``escalation_level`` remembers the last one), and every level reached
        since the last run is sent (a hazard first met five days late goes to its owner and
        its principal): an activity on the hazard and one digest email per person escalated to.

        Per batch, one SQL statement flags the hazards and raises their levels (each row written
        at most once) and returns who is to be told of what; their activities are then created
        with one ``mail.activity`` create.
        """
        today = today or fields.Date.context_today(self)
        principal_days, bureau_days = self._escalation_days()
        hazards = self.sudo()
        [(min_id, max_id)] = hazards._read_group([], aggregates=["id:min", "id:max"])
        min_id, max_id = (min_id or 1) - 1, max_id or 0
        # the activities' summary in the language of each person told, else of the school
        summaries = {
            code: [self.with_context(lang=code)._escalation_summary(level) for level in (1, 2, 3)]
            for code, _name in self.env["res.lang"].get_installed()
        }
        school_langs = {}
        # automated activities: the digest tells each person once, not one email per activity
        activities = self.env["mail.activity"].sudo().with_context(mail_activity_quick_update=True)
        activity_type = self.env.ref("safety_inspection.mail_activity_type_hazard_overdue")
        model_id = self.env["ir.model"]._get_id(self._name)
        flagged = escalated = 0
        escalations = defaultdict(list)  # user id -> [(deadline, hazard id)]
        for start in range(min_id, max_id, batch_size):
            end = start + batch_size
            batch_flagged, rows = hazards._overdue_update_batch(start, end, today, principal_days, bureau_days)
            flagged += batch_flagged
            # one activity per person and hazard: an owner who is also the principal gets the
            # principal's (mail.activity also subscribes each person once per record)
            told = {}
            for row in rows:
                key = (row[0], row[3])
                if key not in told or told[key][2] < row[2]:
                    told[key] = row
            vals_list = []
            for hazard_id, deadline, level, user_id, lang, company_id in told.values():
                if lang not in summaries:
                    if company_id not in school_langs:
                        school_langs[company_id] = self.env["res.company"].browse(company_id)._safety_lang()
                    lang = school_langs[company_id]
                vals_list.append({
                    "res_model_id": model_id,
                    "res_model": self._name,  # given, not precomputed record by record
                    "res_id": hazard_id,
                    "activity_type_id": activity_type.id,
                    "summary": summaries.get(lang, summaries.get("en_US", [""] * 3))[level - 1],
                    "date_deadline": today,
                    "automated": True,
                    "user_id": user_id,
                })
                escalations[user_id].append((deadline, hazard_id))
            # the activities' document names (res_name), computed at once, not hazard by hazard
            hazards.browse({vals["res_id"] for vals in vals_list}).mapped("display_name")
            activities.create(vals_list)
            escalated += len(vals_list)
            done = min(end, max_id) - min_id
            self.env["ir.cron"]._notify_progress(done=done, remaining=max(max_id - end, 0))
            _logger.info(
                "Hazard overdue job: %s of %s ids scanned, %s overdue flags changed, %s escalations",
                done, max_id - min_id, flagged, escalated,
            )
        self._send_escalation_digests(escalations)
        return {"flagged": flagged, "escalated": escalated}

    @api.model
    def _overdue_update_batch(self, start, end, today, principal_days, bureau_days):
        """Flag and escalate the hazards of ids in ]start, end] in one statement, set-based.

        Returns the number of overdue flags changed and, for every level reached since the
        last run, (hazard id, deadline, level, user id, user's language, school id) of the
        person to tell (levels without anybody to tell are left out)."""
        self.flush_model()
        self.env["res.company"].flush_model(["safety_bureau_id", "safety_officer_id"])
        self.env["hr.employee"].flush_model(["user_id"])
        self.env["res.users"].flush_model(["partner_id"])
        self.env["res.partner"].flush_model(["lang"])
        self.env.cr.execute(SQL(
            """WITH target AS (
                   SELECT h.id, h.escalation_level AS old_level, h.is_overdue AS old_flag,
                          (h.state != 'closed' AND h.deadline IS NOT NULL
                           AND h.deadline < %(today)s) AS overdue,
                          CASE WHEN h.state = 'closed' OR h.deadline IS NULL
                                    OR h.deadline > %(today)s THEN 0
                               WHEN %(today)s - h.deadline >= %(bureau)s THEN 3
                               WHEN %(today)s - h.deadline >= %(principal)s THEN 2
                               ELSE 1 END AS level
                     FROM safety_hazard h
                    WHERE h.id > %(start)s AND h.id <= %(end)s
               ), changed AS (
                   UPDATE safety_hazard h
                      SET is_overdue = t.overdue,
                          escalation_level = GREATEST(COALESCE(t.old_level, 0), t.level)
                     FROM target t
                    WHERE h.id = t.id
                      AND (h.is_overdue IS DISTINCT FROM t.overdue
                           OR COALESCE(t.old_level, 0) < t.level)
                RETURNING h.id, h.deadline, t.level, COALESCE(t.old_level, 0) AS old_level,
                          t.old_flag IS DISTINCT FROM t.overdue AS flag_changed,
                          h.owner_id, h.principal_user_id, h.inspector_id, h.company_id
               ), recipient AS (
                   -- every level reached since the last run, not only the last one: a
                   -- hazard first met several days late still tells its owner
                   SELECT e.id, e.deadline, s.level, e.company_id,
                          CASE s.level WHEN 1 THEN e.owner_id
                                       WHEN 2 THEN e.principal_user_id
                                       ELSE COALESCE(e.inspector_id, bo.user_id) END AS user_id
                     FROM changed e
               CROSS JOIN LATERAL generate_series(e.old_level + 1, e.level) AS s(level)
                     JOIN res_company c ON c.id = e.company_id
                LEFT JOIN res_company b ON b.id = c.safety_bureau_id
                LEFT JOIN hr_employee bo ON bo.id = b.safety_officer_id
               )
               SELECT r.id, r.deadline, r.level, r.user_id, p.lang, r.company_id
                 FROM recipient r
                 JOIN res_users u ON u.id = r.user_id
                 JOIN res_partner p ON p.id = u.partner_id
                UNION ALL
               SELECT NULL, NULL, COUNT(*), NULL, NULL, NULL FROM changed WHERE flag_changed""",
            today=today, bureau=bureau_days, principal=principal_days, start=start, end=end,
        ))
        rows = self.env.cr.fetchall()
        self.invalidate_model(["is_overdue", "escalation_level"])
        flagged = sum(row[2] for row in rows if row[0] is None)
        return flagged, [row for row in rows if row[0] is not None]

    @api.model
    def _send_escalation_digests(self, escalations, listed=50):
        """One email per person escalated to, in their language (else their school's): the
        mail template ``mail_template_hazard_overdue_digest`` listing the first ``listed`` of
        their newly escalated hazards, most overdue first. ``escalations``: user id ->
        [(deadline, hazard id)]. All emails are created at once."""
        template = self.env.ref("safety_inspection.mail_template_hazard_overdue_digest", raise_if_not_found=False)
        if not escalations or not template:
            return self.env["mail.mail"]
        template = template.sudo()
        users = self.env["res.users"].sudo().browse(list(escalations)).exists().filtered("email")
        hazard_ids = {user.id: [hid for _day, hid in sorted(escalations[user.id])] for user in users}
        hazards = self.sudo().browse({hid for ids in hazard_ids.values() for hid in ids[:listed]})
        escalated = {
            user_id: {
                "hazards": hazards.browse(ids[:listed]).with_prefetch(hazards._prefetch_ids),
                "count": len(ids),
                "more": max(len(ids) - listed, 0),
            }
            for user_id, ids in hazard_ids.items()
        }
        subjects, bodies = {}, {}
        for lang, (lang_template, user_ids) in template._classify_per_lang(users.ids).items():
            render = {"set_lang": lang, "add_context": {"escalated": escalated}}
            subjects.update(lang_template._render_field("subject", user_ids, **render))
            bodies.update(lang_template._render_field("body_html", user_ids, **render))
        return self.env["mail.mail"].sudo().create([
            {
                "subject": subjects[user.id],
                "body_html": bodies[user.id],
                "recipient_ids": [Command.link(user.partner_id.id)],
                "auto_delete": template.auto_delete,
            }
            for user in users
        ])

    @api.model
    def _escalation_summary(self, level):
        if level == 1:
            return self.env._("Rectification due: deadline reached")
        if level == 2:
            return self.env._("Rectification overdue: principal follow-up")
        return self.env._("Rectification overdue: bureau supervision")
