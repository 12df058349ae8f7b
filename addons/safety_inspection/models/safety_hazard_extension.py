from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError


class SafetyHazardExtension(models.Model):
    """A request to move the deadline of a hazard: a reason, then approval."""

    _name = "safety.hazard.extension"
    _description = "Hazard Deadline Extension"
    _inherit = ["safety.school.record", "mail.thread"]
    _order = "id desc"
    _safety_create_fields = frozenset({"hazard_id"})

    hazard_id = fields.Many2one(
        "safety.hazard", required=True, index=True, ondelete="restrict",
        check_company=True,
    )
    company_id = fields.Many2one(
        related="hazard_id.company_id", store=True, index=True, precompute=True, default=None
    )
    current_deadline = fields.Date(
        compute="_compute_current_deadline", store=True, readonly=True, precompute=True,
    )
    new_deadline = fields.Date(string="Requested Deadline", required=True)
    reason = fields.Text(required=True)
    requested_by_id = fields.Many2one(
        "res.users", default=lambda self: self.env.user, readonly=True
    )
    approved_by_id = fields.Many2one("res.users", string="Decided By", readonly=True, copy=False)
    state = fields.Selection(
        [("requested", "Requested"), ("approved", "Approved"), ("refused", "Refused")],
        default="requested", required=True, readonly=True, tracking=True, copy=False,
    )

    @api.depends("hazard_id")
    def _compute_current_deadline(self):
        for extension in self:
            if not extension.current_deadline or extension.state == "requested":
                extension.current_deadline = extension.hazard_id.deadline

    @api.constrains("new_deadline", "reason", "hazard_id")
    def _check_request(self):
        for extension in self:
            if not (extension.reason or "").strip():
                raise ValidationError(self.env._("A deadline extension needs a reason."))
            if extension.state != "requested":
                continue
            hazard = extension.hazard_id
            if hazard.state == "closed":
                raise ValidationError(
                    self.env._("%(hazard)s is closed: its deadline cannot be extended.", hazard=hazard.name)
                )
            if not hazard.deadline:
                raise ValidationError(
                    self.env._("%(hazard)s has no deadline to extend yet.", hazard=hazard.name)
                )
            if extension.new_deadline <= hazard.deadline:
                raise ValidationError(
                    self.env._(
                        "The requested deadline %(new)s must be after the current deadline %(current)s.",
                        new=extension.new_deadline, current=hazard.deadline,
                    )
                )

    def _safety_is_locked(self):
        self.ensure_one()
        return self.state != "requested"

    def _safety_locked_message(self):
        return self.env._("A decided extension request cannot change.")

    def _safety_undeletable_message(self):
        return self.env._("A decided extension request is part of the hazard's record and is kept.")

    def _safety_check_client_write(self, vals):
        others = self.filtered(lambda e: e.requested_by_id != self.env.user)
        if others and not self.env.user.has_group("school_safety.group_safety_supervisor"):
            raise AccessError(self.env._("Only who asked for an extension changes the request."))

    def _check_approver(self):
        user = self.env.user
        if not user.has_group("school_safety.group_safety_supervisor"):
            raise AccessError(
                self.env._("Only the safety officer, the principal or the bureau decide on extensions.")
            )
        for extension in self:
            if extension.state != "requested":
                raise UserError(self.env._("This extension request has already been decided."))
            if user in (extension.requested_by_id | extension.hazard_id.owner_id):
                raise UserError(
                    self.env._(
                        "%(user)s asked for this extension or owns the rectification and cannot "
                        "approve it.",
                        user=user.name,
                    )
                )
            if extension.company_id not in user.company_ids:
                raise AccessError(
                    self.env._("%(user)s is not of %(school)s.", user=user.name, school=extension.company_id.name)
                )

    def action_approve(self):
        self._check_approver()
        self.check_access("write")
        for extension in self:
            if extension.hazard_id.state == "closed":
                raise UserError(
                    self.env._("%(hazard)s is closed: its deadline cannot be extended.",
                               hazard=extension.hazard_id.name)
                )
            # the approved request is the only way a noticed hazard's deadline moves
            extension.hazard_id.sudo().write({
                "deadline": extension.new_deadline,
                "recheck_date": max(extension.new_deadline, extension.hazard_id.recheck_date or extension.new_deadline),
                "is_overdue": False,
                "escalation_level": 0,
            })
            extension.hazard_id.message_post(
                body=self.env._(
                    "Deadline extended from %(old)s to %(new)s: %(reason)s",
                    old=extension.current_deadline, new=extension.new_deadline, reason=extension.reason,
                )
            )
        self.sudo().write({"state": "approved", "approved_by_id": self.env.uid})

    def action_refuse(self):
        self._check_approver()
        self.check_access("write")
        self.sudo().write({"state": "refused", "approved_by_id": self.env.uid})
