from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_amount

REVISION_TRANSITIONS = {
    "submitted": ("draft",),
    "approved": ("submitted",),
    "rejected": ("submitted",),
}


class SafetyBudgetRevision(models.Model):
    """A change of an approved budget: the new amounts per category and why.

    Prepared and submitted by the bureau's finance, approved through the same tiers as the
    budget. Once approved it is applied to the budget's lines and stays as their history:
    what changed (each category before and after), when (applied on), by whom (asked by, and
    the reviews: who approved each tier, when), why (the reason). A rejected revision is kept
    too. A budget has one open revision at a time.
    """

    _name = "safety.budget.revision"
    _description = "Safety Budget Revision"
    _inherit = ["safety.school.record", "mail.thread", "mail.activity.mixin", "safety.investment.approval"]
    _order = "budget_id, number desc"
    _rec_names_search = ["budget_id"]
    _safety_create_fields = frozenset({"budget_id"})
    _safety_transitions = REVISION_TRANSITIONS
    # (set here: safety.evidence.mixin, earlier in the bases, says False)
    _safety_protect_reviews = True
    _safety_locked_server_fields = frozenset({"state", "submitted_date", "applied_date"})

    budget_id = fields.Many2one("safety.budget", required=True, index=True, ondelete="restrict",
                                check_company=True)
    company_id = fields.Many2one(related="budget_id.company_id", store=True, index=True, precompute=True, default=None)
    year = fields.Integer(related="budget_id.year", store=True, aggregator=None)
    number = fields.Integer(compute="_compute_number", store=True, aggregator=None)
    currency_id = fields.Many2one(related="budget_id.currency_id")
    reason = fields.Text(tracking=True, help="Why the budget changes: it stays with the budget's history.")
    line_ids = fields.One2many("safety.budget.revision.line", "revision_id", string="Changes")
    state = fields.Selection(
        [("draft", "Draft"), ("submitted", "Submitted"), ("approved", "Approved"), ("rejected", "Rejected")],
        default="draft", required=True, readonly=True, tracking=True, index=True, copy=False,
    )
    submitted_date = fields.Datetime(string="Submitted On", readonly=True, copy=False)
    applied_date = fields.Datetime(string="Applied On", readonly=True, copy=False)
    amount_before = fields.Monetary(compute="_compute_totals", string="Budget Before")
    amount_after = fields.Monetary(compute="_compute_totals", string="Budget After")
    difference = fields.Monetary(compute="_compute_totals")

    @api.depends("budget_id")
    def _compute_number(self):
        for revision in self:
            earlier = [("budget_id", "=", revision.budget_id.id), ("id", "<", revision.id)]
            revision.number = 1 + self.sudo().search_count(earlier) if isinstance(revision.id, int) else 0

    @api.depends("number", "budget_id.name")
    def _compute_display_name(self):
        for revision in self:
            revision.display_name = f"{revision.budget_id.sudo().name} R{revision.number}"

    @api.depends("line_ids.amount_before", "line_ids.amount_after")
    def _compute_totals(self):
        for revision in self:
            revision.amount_before = sum(revision.line_ids.mapped("amount_before"))
            revision.amount_after = sum(revision.line_ids.mapped("amount_after"))
            revision.difference = revision.amount_after - revision.amount_before

    @api.constrains("budget_id", "state")
    def _check_open_revision(self):
        for revision in self:
            budget = revision.budget_id.sudo()
            if revision.state in ("draft", "submitted") and budget.state != "approved":
                raise ValidationError(
                    self.env._("Only an approved budget is revised: %(budget)s is not.", budget=budget.display_name)
                )
            if len(budget.revision_ids.filtered(lambda r: r.state in ("draft", "submitted"))) > 1:
                raise ValidationError(
                    self.env._("%(budget)s already has a revision under way: finish that one first.",
                               budget=budget.display_name)
                )

    @api.model_create_multi
    def create(self, vals_list):
        revisions = super().create(vals_list)
        revisions._safety_check_open_year()
        return revisions

    def write(self, vals):
        self._safety_check_open_year()
        return super().write(vals)

    def _safety_check_open_year(self):
        self.env["safety.budget"]._safety_check_years({(r.company_id, r.year) for r in self.sudo()})

    def _safety_is_locked(self):
        self.ensure_one()
        return self.state != "draft"

    def _safety_locked_message(self):
        self.ensure_one()
        return self.env._("%(revision)s was submitted: it no longer changes.", revision=self.display_name)

    def _safety_undeletable_message(self):
        self.ensure_one()
        return self.env._("%(revision)s was submitted: it is part of the budget's history.",
                          revision=self.display_name)

    def _safety_form_action(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Budget Revision"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
        }

    # ------------------------------------------------------------ steps

    def _safety_check_submit(self):
        for revision in self:
            if not (revision.reason or "").strip():
                raise UserError(
                    self.env._("Say why %(budget)s changes before submitting the revision.",
                               budget=revision.budget_id.display_name)
                )
            revision.line_ids.sudo()._safety_take_current_amounts()
            if not revision.line_ids.filtered(lambda line: line.amount_after != line.amount_before):
                raise UserError(self.env._("%(revision)s changes no amount.", revision=revision.display_name))
        self.sudo().write({"submitted_date": fields.Datetime.now()})

    def _safety_approve(self):
        """Apply the approved amounts to the budget, as the server, and note what changed."""
        for revision in self:
            budget = revision.budget_id.sudo()
            if budget.state != "approved":
                raise UserError(self.env._("%(budget)s is no longer approved: the revision cannot apply.",
                                           budget=budget.display_name))
            current = {line.category_id: line for line in budget.line_ids}
            changes = []
            for change in revision.line_ids:
                line = current.get(change.category_id)
                if (line.amount if line else 0.0) != change.amount_before:
                    raise UserError(
                        self.env._("%(budget)s changed since %(revision)s was prepared: prepare it again.",
                                   budget=budget.display_name, revision=revision.display_name)
                    )
                if change.amount_after == change.amount_before:
                    continue
                if line:
                    line.write({"amount": change.amount_after})
                else:
                    budget.line_ids.create({
                        "budget_id": budget.id, "category_id": change.category_id.id, "amount": change.amount_after,
                    })
                changes.append((
                    change.category_id,
                    format_amount(self.env, change.amount_before, budget.currency_id),
                    format_amount(self.env, change.amount_after, budget.currency_id),
                ))
            revision._safety_transition("approved", {"applied_date": fields.Datetime.now()})
            budget._safety_post_revision(revision, changes)

    def _safety_after_rejection(self):
        self._safety_transition("rejected")
