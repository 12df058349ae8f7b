from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .safety_investment_checks import refuse_duplicates

# state -> states it is reached from
BUDGET_TRANSITIONS = {
    "submitted": ("draft",),
    "draft": ("submitted",),
    "approved": ("submitted",),
    "closed": ("approved",),
}


class SafetyBudget(models.Model):
    """The safety budget of one school for one year (安全经费预算), a line per category of
    safety investment.

    Prepared and submitted by the bureau's finance, approved through the tiers (finance, then
    the bureau manager). Once submitted it no longer changes; once approved it changes only
    through a revision (what, why, approved like the budget), which keeps its history. Its
    execution (committed, actual, remaining) comes from ``safety.investment.execution``: every
    analytic line of the school charged to a category of safety investment, whatever posted it.
    """

    _name = "safety.budget"
    _description = "Safety Budget"
    _inherit = ["safety.school.record", "mail.thread", "mail.activity.mixin", "safety.investment.approval"]
    _order = "year desc, company_id"
    _safety_transitions = BUDGET_TRANSITIONS
    # (set here: safety.evidence.mixin, earlier in the bases, says False)
    _safety_protect_reviews = True
    _safety_locked_server_fields = frozenset({"state", "approved_date"})

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one(domain="[('safety_is_school', '=', True)]", tracking=True)
    year = fields.Integer(
        required=True, tracking=True, index=True, aggregator=None,
        default=lambda self: fields.Date.context_today(self).year,
    )
    state = fields.Selection(
        [("draft", "Draft"), ("submitted", "Submitted"), ("approved", "Approved"), ("closed", "Year Closed")],
        default="draft", required=True, readonly=True, tracking=True, index=True, copy=False,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    line_ids = fields.One2many("safety.budget.line", "budget_id", string="Lines", copy=True)
    revision_ids = fields.One2many("safety.budget.revision", "budget_id", string="Revisions", readonly=True)
    revision_count = fields.Integer(compute="_compute_revision_count")
    approved_date = fields.Datetime(string="Approved On", readonly=True, copy=False)
    note = fields.Text()
    amount_total = fields.Monetary(string="Budget", compute="_compute_execution")
    committed = fields.Monetary(compute="_compute_execution", help="Estimated costs of open rectifications.")
    actual = fields.Monetary(compute="_compute_execution", string="Spent")
    actual_fund = fields.Monetary(compute="_compute_execution", string="Spent from Special Funds")
    actual_own = fields.Monetary(compute="_compute_execution", string="Spent from Own Money")
    remaining = fields.Monetary(compute="_compute_execution")
    execution_rate = fields.Float(compute="_compute_execution", string="Execution (%)")
    fund_allocated = fields.Monetary(compute="_compute_execution", string="Special Funds Allocated")

    _sql_constraints = [
        ("school_year_unique", "unique(company_id, year)", "A school has one safety budget per year."),
    ]

    @api.depends("company_id", "year")
    def _compute_name(self):
        for budget in self:
            budget.name = f"{budget.year} {budget.company_id.name or ''}".strip()

    @api.depends("revision_ids")
    def _compute_revision_count(self):
        for budget in self:
            budget.revision_count = len(budget.revision_ids)

    @api.depends("line_ids.amount", "company_id", "year")
    def _compute_execution(self):
        figures = self.env["safety.investment.execution"]._safety_figures(
            [("company_id", "in", self.company_id.ids), ("year", "in", list(set(self.mapped("year"))))],
            ["company_id", "year"],
        )
        for budget in self:
            row = figures.get((budget.company_id._origin, budget.year), {})
            budget.amount_total = sum(budget.line_ids.mapped("amount"))
            budget.committed = row.get("committed", 0.0)
            budget.actual = row.get("actual", 0.0)
            budget.actual_fund = row.get("actual_fund", 0.0)
            budget.actual_own = row.get("actual_own", 0.0)
            budget.fund_allocated = row.get("allocated", 0.0)
            budget.remaining = budget.amount_total - budget.committed - budget.actual
            budget.execution_rate = 100.0 * budget.actual / budget.amount_total if budget.amount_total else 0.0

    @api.constrains("company_id", "year")
    def _check_school_year(self):
        for budget in self:
            if not budget.company_id.safety_is_school:
                raise ValidationError(
                    self.env._("A safety budget is a school's: %(company)s is not a school.",
                               company=budget.company_id.name)
                )
            if not 2000 <= budget.year <= 2100:
                raise ValidationError(self.env._("%(year)s is not a budget year.", year=budget.year))
            if self.sudo().search_count(
                [("company_id", "=", budget.company_id.id), ("year", "=", budget.year), ("id", "!=", budget.id)],
                limit=1,
            ):
                raise ValidationError(self._safety_duplicate_message((budget.company_id.id, budget.year)))

    def _safety_duplicate_message(self, values):
        school, year = values
        return self.env._(
            "%(school)s already has a safety budget for %(year)s: revise that one.",
            school=self.env["res.company"].sudo().browse(school).name, year=year,
        )

    @api.model_create_multi
    def create(self, vals_list):
        refuse_duplicates(
            self, vals_list, ("company_id", "year"), self._safety_duplicate_message,
            defaults={"company_id": self.env.company.id, "year": fields.Date.context_today(self).year},
        )
        budgets = super().create(vals_list)
        budgets._safety_check_years({(budget.company_id, budget.year) for budget in budgets})
        return budgets

    def write(self, vals):
        # closing the year is the last step of a budget (see the year closing wizard)
        if vals.get("state") != "closed":
            self._safety_check_years({(budget.company_id, budget.year) for budget in self})
        res = super().write(vals)
        if "year" in vals:
            self._safety_check_years({(budget.company_id, budget.year) for budget in self})
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_closed_year(self):
        self._safety_check_years({(budget.company_id, budget.year) for budget in self})

    # ------------------------------------------------------------ evidence

    def _safety_is_locked(self):
        self.ensure_one()
        return self.state != "draft"

    def _safety_locked_message(self):
        self.ensure_one()
        if self.state == "closed":
            return self.env._(
                "%(year)s is closed for safety investment at %(bureau)s: its budgets, funds and spending no "
                "longer change.",
                year=self.year, bureau=self.sudo().company_id.safety_bureau_id.name,
            )
        if self.state == "submitted":
            return self.env._("%(budget)s waits for its approval: it no longer changes.", budget=self.display_name)
        return self.env._(
            "%(budget)s is approved: it changes only through a revision (what changes and why), approved "
            "like the budget.",
            budget=self.display_name,
        )

    def _safety_undeletable_message(self):
        self.ensure_one()
        return self.env._("%(budget)s was submitted: it is kept.", budget=self.display_name)

    # ------------------------------------------------------------ years

    @api.model
    def _safety_check_years(self, pairs):
        """Refuse any change of safety investment in a year its bureau closed: ``pairs`` are
        (company, year), the company a school or a bureau."""
        for company, year in pairs:
            company = company.sudo()
            bureau = company.safety_bureau_id or company
            if bureau.safety_investment_closed_year and year <= bureau.safety_investment_closed_year:
                raise UserError(
                    self.env._(
                        "%(year)s is closed for safety investment at %(bureau)s: its budgets, funds and "
                        "spending no longer change.",
                        year=year, bureau=bureau.name,
                    )
                )

    # ------------------------------------------------------------ steps

    def _safety_check_submit(self):
        for budget in self:
            if not budget.line_ids:
                raise UserError(
                    self.env._("%(budget)s has no line: give an amount per category first.", budget=budget.display_name)
                )

    def _safety_approve(self):
        self._safety_transition("approved", {"approved_date": fields.Datetime.now()})

    def _safety_after_rejection(self):
        self._safety_transition("draft")

    def action_revise(self):
        """A revision of this approved budget, prepared with its current amounts (the bureau's
        finance changes what it needs and says why, then submits it)."""
        self.ensure_one()
        self._safety_check_finance()
        self.check_access("write")
        if self.state != "approved":
            raise UserError(self.env._("Only an approved budget is revised: %(budget)s is not.",
                                       budget=self.display_name))
        revision = self.revision_ids.filtered(lambda r: r.state in ("draft", "submitted"))[:1]
        if not revision:
            revision = self.env["safety.budget.revision"].create({
                "budget_id": self.id,
                "line_ids": [
                    fields.Command.create({"category_id": line.category_id.id, "amount_after": line.amount})
                    for line in self.line_ids
                ],
            })
        return revision._safety_form_action()

    def action_view_revisions(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Revisions"),
            "res_model": "safety.budget.revision",
            "view_mode": "list,form",
            "domain": [("budget_id", "=", self.id)],
        }

    def action_view_execution(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("school_safety.safety_investment_execution_action")
        action["domain"] = [("company_id", "=", self.company_id.id), ("year", "=", self.year)]
        action["context"] = {}
        return action

    def _safety_post_revision(self, revision, changes):
        """Note on the budget what a revision changed: category, before, after."""
        items = Markup().join(
            Markup("<li>%s: %s → %s</li>") % (category.display_name, before, after)
            for category, before, after in changes
        )
        self.message_post(body=Markup("%s<ul>%s</ul>") % (
            self._safety_school_env()._(
                "%(revision)s applied (asked by %(user)s): %(reason)s",
                revision=revision.display_name, user=revision.create_uid.name, reason=revision.reason,
            ),
            items,
        ))

    # ------------------------------------------------------------ school form

    @api.model
    def _safety_school_glance(self, schools):
        """The school's budget of the year, for its form (res.company fields)."""
        year = fields.Date.context_today(self).year
        budgets = self.sudo().search([("company_id", "in", schools.ids), ("year", "=", year)])
        by_school = {budget.company_id: budget for budget in budgets}
        for school in schools:
            budget = by_school.get(school._origin, self.browse())
            school.safety_budget_id = budget.sudo(False)
            school.safety_budget_amount = budget.amount_total
            school.safety_budget_committed = budget.committed
            school.safety_budget_actual = budget.actual
            school.safety_budget_actual_fund = budget.actual_fund
            school.safety_budget_remaining = budget.remaining
            school.safety_budget_rate = budget.execution_rate
