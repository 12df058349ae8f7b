from odoo import models
from odoo.exceptions import AccessError, UserError

REVIEW_ACTIVITY = "school_safety.mail_activity_type_investment_review"


class SafetyInvestmentApproval(models.AbstractModel):
    """Safety money is approved by its bureau: its finance reviews, then its manager approves,
    through OCA's approval tiers (``base_tier_validation``; the tiers are configurable, by
    default data/safety_investment_data.xml).

    The record is submitted by the bureau's finance (``action_submit``); each tier is decided
    with the review buttons, which are the only door to the reviews (school_safety's
    tier_review.py refuses any other write): the server checks that the reviewer belongs to the
    record's bureau, that it is their tier's turn and that they decided no other tier of the
    same submission (a bureau manager is a finance user too: one person never approves twice),
    then writes the review. Once every tier approved, ``_safety_approve()`` runs; a rejection
    runs ``_safety_after_rejection()``. Reviews that no longer apply are archived, never
    deleted. The reviewers of the tier whose turn it is get an activity. The models set
    ``_safety_protect_reviews`` themselves (their evidence mixin comes first in their bases).
    """

    _name = "safety.investment.approval"
    _description = "Safety Investment Approval"
    _inherit = ["tier.validation"]

    _state_field = "state"
    _state_from = ["submitted"]
    _state_to = ["approved"]
    _cancel_state = "rejected"
    _tier_validation_manual_config = False

    # ------------------------------------------------------------ hooks

    def _safety_check_submit(self):
        """Refuse what cannot be submitted (per model)."""

    def _safety_approve(self):
        """Every tier approved (per model)."""

    def _safety_after_rejection(self):
        """A tier rejected the submission (per model)."""

    # ------------------------------------------------------------ steps

    def _safety_check_finance(self):
        user = self.env.user
        if not user.has_group("school_safety.group_bureau_finance"):
            raise AccessError(self.env._("Only the bureau's finance staff submit safety budgets and their revisions."))
        for record in self.sudo():
            if record.company_id not in user.company_ids:
                raise AccessError(
                    self.env._("%(user)s is not of the bureau of %(school)s.", user=user.name,
                               school=record.company_id.name)
                )

    def action_submit(self):
        self._safety_check_finance()
        self._safety_check_submit()
        self._safety_transition("submitted")
        for record in self:
            record.request_validation()
            if not record.sudo().review_ids:
                # no tier applies (the bureau removed them): nothing to wait for
                record._safety_approve()
        self._safety_notify_reviewers()
        return True

    def request_validation(self):
        self.check_access("write")
        if self.filtered(lambda record: record.state != "submitted"):
            raise UserError(self.env._("Approval is requested by submitting."))
        return super(SafetyInvestmentApproval, self.sudo()).request_validation()

    def restart_validation(self):
        """Ask the tiers again (the bureau's finance): the earlier reviews are kept, archived."""
        self._safety_check_finance()
        self.check_access("write")
        for record in self.filtered(lambda r: r.state == "submitted"):
            reviews = record.sudo().review_ids
            reviews.filtered(lambda r: r.status in ("waiting", "pending")).write({"status": "cancel"})
            reviews._safety_archive()
            record.message_post(body=self.env._("Approval restarted by %(user)s.", user=self.env.user.name))
            record.request_validation()
        self._safety_notify_reviewers()

    def _safety_review_to_decide(self):
        """The review the current user decides now on ``self`` (one record), after the checks."""
        self.ensure_one()
        user = self.env.user
        record = self.sudo()
        if record.company_id not in user.company_ids or not user.has_group("school_safety.group_bureau_finance"):
            raise AccessError(
                self.env._("%(user)s is not of the bureau of %(school)s and cannot review %(record)s.",
                           user=user.name, school=record.company_id.name, record=record.display_name)
            )
        self.check_access("read")
        if record.state != "submitted":
            raise UserError(self.env._("%(record)s is not waiting for approval.", record=record.display_name))
        if record.review_ids.filtered(lambda r: r.done_by == user and r.status == "approved"):
            raise UserError(
                self.env._("%(user)s already approved a tier of %(record)s: the next one is someone else's.",
                           user=user.name, record=record.display_name)
            )
        sequences = record._get_sequences_to_approve(user)
        review = record.review_ids.filtered(
            lambda r: r.sequence in sequences and r.status in ("waiting", "pending")
        ).sorted("sequence")[:1]
        if not review:
            raise UserError(
                self.env._("%(user)s has nothing to decide on %(record)s now: it waits for %(next)s.",
                           user=user.name, record=record.display_name,
                           next=record._safety_next_reviewers() or self.env._("nobody"))
            )
        return review

    def validate_tier(self):
        self.ensure_one()
        review = self._safety_review_to_decide()
        self.sudo()._validate_tier(review)
        self._safety_done_reviewing()
        self.invalidate_recordset(["validation_status"])
        if self.validation_status == "validated":
            self._safety_approve()
        else:
            self._safety_notify_reviewers()
        return True

    def reject_tier(self):
        self.ensure_one()
        review = self._safety_review_to_decide()
        self.sudo()._rejected_tier(review)
        self._safety_done_reviewing()
        # the reviews of this submission are kept, archived with their decision; a new
        # submission asks for new ones
        self.sudo().review_ids._safety_archive()
        self._safety_after_rejection()
        return True

    def _tier_validation_check_write_remove_reviews(self, vals):
        # base_tier_validation deletes the reviews when a record goes back: they are kept
        for record in self:
            if record._allow_to_remove_reviews(vals):
                record.sudo().review_ids._safety_archive()

    def _check_state_from_condition(self):
        # no context key decides it (skip_check_state_condition): the record's state does
        return self._tier_validation_get_current_state_value() in self._state_from

    def _check_allow_write_under_validation(self, vals):
        return self.env.su

    # ------------------------------------------------------------ reviewers

    def _safety_reviewers(self, review):
        """The users who may decide ``review`` of this record: of its bureau, not already a
        reviewer of this submission."""
        decided = self.sudo().review_ids.filtered(lambda r: r.status == "approved").done_by
        return review.reviewer_ids.filtered(
            lambda user: self.company_id in user.company_ids and user not in decided
        )

    def _safety_next_reviewers(self):
        self.ensure_one()
        record = self.sudo()
        review = record.review_ids.filtered(lambda r: r.status in ("waiting", "pending")).sorted("sequence")[:1]
        return review and f"{review.name} ({', '.join(record._safety_reviewers(review).mapped('name'))})"

    def _safety_notify_reviewers(self):
        """An activity for each reviewer of the tier whose turn it is (people of a later tier
        are told when theirs comes, unless nobody else can decide this one)."""
        for record in self.sudo():
            reviews = record.review_ids.filtered(lambda r: r.status in ("waiting", "pending")).sorted("sequence")
            if not reviews:
                continue
            users = record._safety_reviewers(reviews[0])
            later = reviews[1:].reviewer_ids
            users = (users - later) or users
            env = record.with_context(lang=record.company_id._safety_lang()).env
            for user in users:
                record.with_context(mail_activity_quick_update=True).activity_schedule(
                    REVIEW_ACTIVITY,
                    user_id=user.id,
                    summary=env._("%(tier)s: %(record)s", tier=reviews[0].name, record=record.display_name),
                )

    def _safety_done_reviewing(self):
        self.sudo().activity_unlink([REVIEW_ACTIVITY])

    def _safety_school_env(self):
        return self.with_context(lang=self.company_id._safety_lang()).env

    def _notify_created_review_body(self):
        return self._safety_school_env()._(
            "%(record)s waits for its approval, asked by %(user)s.", record=self.display_name,
            user=self.env.user.name,
        )

    def _notify_requested_review_body(self):
        return self._safety_school_env()._(
            "Approval of %(record)s requested by %(user)s.", record=self.display_name, user=self.env.user.name
        )

    def _notify_accepted_reviews_body(self):
        return self._safety_school_env()._(
            "%(user)s approved a tier of %(record)s.", user=self.env.user.name, record=self.display_name
        )

    def _notify_rejected_review_body(self):
        return self._safety_school_env()._(
            "%(user)s rejected %(record)s.", user=self.env.user.name, record=self.display_name
        )

    def _notify_restarted_review_body(self):
        return self._safety_school_env()._(
            "The approval of %(record)s was restarted by %(user)s.", record=self.display_name,
            user=self.env.user.name,
        )
