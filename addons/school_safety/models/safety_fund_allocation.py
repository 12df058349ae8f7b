from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import format_amount

from .safety_investment_checks import refuse_duplicates, refuse_negative


class SafetyFundAllocation(models.Model):
    """The part of a special fund a school may spend."""

    _name = "safety.fund.allocation"
    _description = "Special Fund Allocation"
    _inherit = ["safety.school.record"]
    _order = "fund_id, company_id"
    _safety_create_fields = frozenset({"company_id", "fund_id"})

    fund_id = fields.Many2one(
        "safety.fund", string="Special Fund", required=True, index=True, ondelete="restrict", check_company=True
    )
    company_id = fields.Many2one(domain="[('safety_is_school', '=', True)]")
    year = fields.Integer(related="fund_id.year", store=True, aggregator=None)
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount = fields.Monetary(string="Allocated", required=True)
    date = fields.Date(string="Allocated On", default=fields.Date.context_today)
    note = fields.Char()
    committed = fields.Monetary(compute="_compute_figures")
    actual = fields.Monetary(compute="_compute_figures", string="Spent")
    remaining = fields.Monetary(compute="_compute_figures")
    execution_rate = fields.Float(compute="_compute_figures", string="Execution (%)")

    _sql_constraints = [
        ("school_unique", "unique(fund_id, company_id)", "A special fund is allocated once to each school."),
        ("amount_positive", "CHECK(amount >= 0)", "An allocation cannot be negative."),
    ]

    @api.depends("amount")
    def _compute_figures(self):
        figures = self.env["safety.investment.execution"]._safety_figures(
            [("fund_id", "in", self.fund_id.ids), ("company_id", "in", self.company_id.ids)],
            ["fund_id", "company_id"],
        )
        for allocation in self:
            row = figures.get((allocation.fund_id._origin, allocation.company_id._origin), {})
            allocation.committed = row.get("committed_fund", 0.0)
            allocation.actual = row.get("actual_fund", 0.0)
            allocation.remaining = allocation.amount - allocation.committed - allocation.actual
            allocation.execution_rate = 100.0 * allocation.actual / allocation.amount if allocation.amount else 0.0

    @api.constrains("fund_id", "company_id", "amount")
    def _check_allocation(self):
        for allocation in self:
            fund = allocation.fund_id.sudo()
            school = allocation.company_id
            if not school.safety_is_school or school.safety_bureau_id != fund.company_id:
                raise ValidationError(
                    self.env._(
                        "%(fund)s is a fund of %(bureau)s: it is allocated to that bureau's schools only, "
                        "not to %(school)s.",
                        fund=fund.name, bureau=fund.company_id.name, school=school.name,
                    )
                )
            if len(fund.allocation_ids.filtered(lambda other, school=school: other.company_id == school)) > 1:
                raise ValidationError(self._safety_duplicate_message((fund.id, school.id)))
            if allocation.amount < 0:
                raise ValidationError(
                    self.env._("The allocation of %(fund)s to %(school)s cannot be negative.",
                               fund=fund.name, school=school.name)
                )
            if allocation.amount < allocation.actual:
                raise ValidationError(
                    self.env._(
                        "%(school)s already spent %(spent)s of %(fund)s: its allocation cannot be less.",
                        school=school.name, fund=fund.name,
                        spent=format_amount(self.env, allocation.actual, allocation.currency_id),
                    )
                )
        # never more than the fund (the fund's own check, on its allocations)
        self.fund_id._check_amount()

    def _safety_duplicate_message(self, values):
        fund, school = values
        return self.env._(
            "%(fund)s is allocated once to %(school)s: change that allocation.",
            fund=self.env["safety.fund"].sudo().browse(fund).name,
            school=self.env["res.company"].sudo().browse(school).name,
        )

    @api.model_create_multi
    def create(self, vals_list):
        refuse_negative(self, vals_list, ["amount"])
        refuse_duplicates(self, vals_list, ("fund_id", "company_id"), self._safety_duplicate_message)
        allocations = super().create(vals_list)
        allocations.fund_id._safety_check_open_year()
        return allocations

    def write(self, vals):
        self.fund_id._safety_check_open_year()
        return super().write(vals)

    def _safety_is_kept(self):
        self.ensure_one()
        return bool(self.actual or self.committed)

    def _safety_undeletable_message(self):
        self.ensure_one()
        return self.env._(
            "%(school)s already spent or committed money of %(fund)s: its allocation is kept.",
            school=self.company_id.name, fund=self.fund_id.name,
        )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_closed_year(self):
        self.fund_id._safety_check_open_year()
