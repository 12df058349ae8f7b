from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import format_amount

CATEGORY = "school_safety.safety_investment_category_%s"
# the category of safety investment a hazard's rectification is charged to, by hazard category
# (the others: repairs and hazard rectification)
HAZARD_INVESTMENT = {
    "fire": "fire",
    "surveillance": "technical",
    "gate": "physical",
    "surroundings": "physical",
}
# what a rectification's cost is charged to: decided with the six fixed (funding)
INVESTMENT_FIELDS = frozenset({"safety_investment_account_id", "safety_fund_id"})
# states in which a rectification's estimate is committed
COMMITTED_STATES = ("notified", "rectifying", "submitted")
WARNING_ACTIVITY = "safety_inspection.mail_activity_type_hazard_over_budget"


class SafetyHazard(models.Model):
    """A rectification's money: charged to a category of safety investment (and a special fund,
    if one pays), committed at its estimate from the notice until it is closed, then spent at
    its actual funding, posted as an analytic line of the school when it is closed (销号).
    When the estimate exceeds what remains of the category in the school's budget of the year,
    the people who accept the rectification are warned when it is submitted to them."""

    _inherit = ["safety.hazard", "safety.investment.charge.mixin"]
    _name = "safety.hazard"
    _safety_investment_default = CATEGORY % "repairs"

    # the money left in a school's budget is for who decides or sees the money, not for every
    # reader of the hazard (staff, guards): the field, not only the form, says so
    safety_budget_warning = fields.Char(
        string="Budget Warning", compute="_compute_safety_budget_warning",
        groups="school_safety.group_safety_supervisor,school_safety.group_bureau_finance",
    )

    @api.depends("category")
    def _compute_safety_investment_account_id(self):
        for hazard in self:
            key = HAZARD_INVESTMENT.get(hazard.category, "repairs")
            hazard.safety_investment_account_id = self.env.ref(CATEGORY % key, raise_if_not_found=False)

    @api.depends("funding_estimated", "safety_investment_account_id", "company_id", "state", "notice_date")
    def _compute_safety_budget_warning(self):
        remaining = self._safety_remaining_budgets()
        for hazard in self:
            hazard.safety_budget_warning = hazard._safety_over_budget_message(remaining) or False

    def _safety_commitment_year(self):
        self.ensure_one()
        return (self.notice_date or self.found_date or fields.Date.context_today(self)).year

    def _safety_remaining_budgets(self):
        """``{(school id, year, category id): (budget, committed, actual)}`` of the hazards'
        rectifications, one grouped read for all of them (as the server reads the budgets)."""
        hazards = self.sudo().filtered("id")
        if not hazards:
            return {}
        figures = self.env["safety.investment.execution"]._safety_figures(
            [("company_id", "in", hazards.company_id.ids),
             ("year", "in", list({hazard._safety_commitment_year() for hazard in hazards})),
             ("category_id", "in", hazards.safety_investment_account_id.ids)],
            ["company_id", "year", "category_id"],
        )
        return {
            (company.id, year, category.id): (row["budget"], row["committed"], row["actual"])
            for (company, year, category), row in figures.items()
        }

    def _safety_over_budget_message(self, remaining=None):
        """What the estimate exceeds, or None: what remains of the category in the school's
        budget of the year, besides this rectification's own commitment. ``remaining``: the
        hazards' ``_safety_remaining_budgets()``, read once for a batch."""
        self.ensure_one()
        hazard = self.sudo()
        category = hazard.safety_investment_account_id
        if hazard.state == "closed" or not hazard.funding_estimated or not category or not hazard.id:
            return None
        year = hazard._safety_commitment_year()
        if remaining is None:
            remaining = hazard._safety_remaining_budgets()
        budget, committed, actual = remaining.get((hazard.company_id.id, year, category.id), (0.0, 0.0, 0.0))
        if hazard.state in COMMITTED_STATES:
            committed -= hazard.funding_estimated
        left = budget - committed - actual
        if hazard.funding_estimated <= left:
            return None
        currency = hazard.company_id.currency_id
        return self.env._(
            "The estimate of %(hazard)s (%(estimate)s) exceeds what remains of %(school)s's %(year)s budget "
            "for %(category)s: %(left)s.",
            hazard=hazard.name, estimate=format_amount(self.env, hazard.funding_estimated, currency),
            school=hazard.company_id.name, year=year, category=category.display_name,
            left=format_amount(self.env, left, currency),
        )

    @api.model
    def _safety_check_role_fields(self, names):
        bureau = super()._safety_check_role_fields(names)
        if names & INVESTMENT_FIELDS and not self.env.user.has_group("school_safety.group_safety_supervisor"):
            raise AccessError(
                self.env._(
                    "What a rectification is charged to is decided with its funding, by the school's safety "
                    "officer, its principal or the bureau."
                )
            )
        return bureau

    def action_close(self):
        res = super().action_close()
        self._safety_post_rectification_costs()
        return res

    def _safety_post_rectification_costs(self):
        hazards = self.filtered(
            lambda h: h.state == "closed" and h.funding_actual and not h.sudo().safety_analytic_line_ids
        )
        entries = []
        for hazard in hazards:
            env = hazard._safety_school_env()
            entries.append((
                hazard, hazard.closed_date, hazard.funding_actual,
                env._("Rectification %(hazard)s: %(location)s", hazard=hazard.name, location=hazard.location),
            ))
        return self._safety_post_investment(entries)

    def request_validation(self):
        reviews = super().request_validation()
        self._safety_warn_reviewers(reviews)
        return reviews

    def _safety_warn_reviewers(self, reviews):
        """Each person who will accept a rectification whose estimate exceeds the budget left is
        told on their way: an activity, and a note on the hazard."""
        remaining = self._safety_remaining_budgets()
        for hazard in self.sudo():
            message = hazard._safety_over_budget_message(remaining)
            if not message:
                continue
            users = reviews.filtered(lambda r, h=hazard: r.res_id == h.id).reviewer_ids.filtered(
                lambda user, h=hazard: h.company_id in user.company_ids
            )
            for user in users:
                hazard.with_context(mail_activity_quick_update=True).activity_schedule(
                    WARNING_ACTIVITY, user_id=user.id,
                    summary=hazard.with_context(lang=user.lang)._safety_over_budget_message(remaining),
                )
            hazard.message_post(
                body=hazard.with_context(lang=hazard.company_id._safety_lang())._safety_over_budget_message(remaining)
            )
