from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import format_amount

from .safety_investment_checks import refuse_negative

FUND_SOURCES = [
    ("fiscal", "Fiscal Allocation"),
    ("subsidy", "Special Subsidy"),
    ("own", "Own Funds"),
    ("donation", "Donation"),
]


class SafetyFund(models.Model):
    """A special fund (专项资金) of an education bureau, ring-fenced (专款专用): where it comes
    from, its year and amount, the categories of safety investment it may pay for (a central
    fund for security equipment pays no guards' wages), and its allocations to the schools.

    Its analytic account (plan "Safety Special Funds") is made with it: spending charged to the
    fund carries that account beside its category, so that fund money is counted apart from the
    schools' own money, whatever posted it.
    """

    _name = "safety.fund"
    _description = "Safety Special Fund"
    _inherit = ["safety.evidence.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "year desc, name"
    _check_company_auto = True
    _check_company_domain = models.check_company_domain_parent_of

    name = fields.Char(required=True, tracking=True)
    reference = fields.Char(string="Document Number", help="Number of the document that grants the fund (文号).")
    company_id = fields.Many2one(
        "res.company", string="Bureau", required=True, index=True,
        default=lambda self: self.env.company.safety_bureau_id or self.env.company,
    )
    source = fields.Selection(FUND_SOURCES, required=True, default="subsidy", tracking=True)
    year = fields.Integer(
        required=True, tracking=True, aggregator=None,
        default=lambda self: fields.Date.context_today(self).year,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount = fields.Monetary(required=True, tracking=True)
    category_ids = fields.Many2many(
        "account.analytic.account", "safety_fund_category_rel", "fund_id", "category_id",
        string="Permitted Categories",
        domain=lambda self: self.env["account.analytic.plan"]._safety_category_domain(),
        help="The only categories of safety investment this fund may pay for.",
    )
    analytic_account_id = fields.Many2one(
        "account.analytic.account", readonly=True, copy=False,
        index="btree_not_null", ondelete="restrict",
    )
    allocation_ids = fields.One2many("safety.fund.allocation", "fund_id", string="Allocations")
    note = fields.Text()
    allocated = fields.Monetary(compute="_compute_figures")
    unallocated = fields.Monetary(compute="_compute_figures", string="Not Allocated")
    committed = fields.Monetary(compute="_compute_figures")
    actual = fields.Monetary(compute="_compute_figures", string="Spent")
    remaining = fields.Monetary(compute="_compute_figures")
    execution_rate = fields.Float(compute="_compute_figures", string="Execution (%)")

    _sql_constraints = [
        ("amount_positive", "CHECK(amount >= 0)", "The amount of a special fund cannot be negative."),
    ]

    @api.depends("amount", "allocation_ids.amount")
    def _compute_figures(self):
        figures = self.env["safety.investment.execution"]._safety_figures(
            [("fund_id", "in", self.ids)], ["fund_id"]
        )
        for fund in self:
            row = figures.get((fund._origin,), {})
            fund.allocated = sum(fund.allocation_ids.mapped("amount"))
            fund.unallocated = fund.amount - fund.allocated
            fund.committed = row.get("committed_fund", 0.0)
            fund.actual = row.get("actual_fund", 0.0)
            fund.remaining = fund.amount - fund.committed - fund.actual
            fund.execution_rate = 100.0 * fund.actual / fund.amount if fund.amount else 0.0

    @api.constrains("company_id")
    def _check_bureau(self):
        for fund in self:
            if not fund.company_id.safety_is_bureau:
                raise ValidationError(
                    self.env._(
                        "A special fund belongs to an education bureau: %(company)s is not one.",
                        company=fund.company_id.name,
                    )
                )

    @api.constrains("amount", "allocation_ids")
    def _check_amount(self):
        for fund in self:
            if fund.amount < 0:
                raise ValidationError(
                    self.env._("The amount of %(fund)s cannot be negative.", fund=fund.name)
                )
            allocated = sum(fund.sudo().allocation_ids.mapped("amount"))
            if allocated > fund.amount:
                raise ValidationError(
                    self.env._(
                        "%(fund)s holds %(amount)s: its allocations (%(allocated)s) cannot exceed it.",
                        fund=fund.name,
                        amount=format_amount(self.env, fund.amount, fund.currency_id),
                        allocated=format_amount(self.env, allocated, fund.currency_id),
                    )
                )

    @api.constrains("category_ids", "company_id")
    def _check_categories(self):
        plan = self.env["account.analytic.plan"]._safety_investment_plan()
        Line = self.env["account.analytic.line"].sudo()
        category_column, fund_column = Line._safety_columns()
        for fund in self:
            if not fund.category_ids:
                raise ValidationError(
                    self.env._("Say which categories of safety investment %(fund)s may pay for.", fund=fund.name)
                )
            if fund.sudo().category_ids.root_plan_id != plan:
                raise ValidationError(
                    self.env._("%(fund)s may only pay for categories of safety investment.", fund=fund.name)
                )
            if not (fund.analytic_account_id and category_column and fund_column):
                continue
            spent = Line._read_group(
                [(fund_column, "=", fund.analytic_account_id.id), (category_column, "not in", fund.category_ids.ids)],
                [category_column], ["amount:sum"],
            )
            if spent:
                raise ValidationError(
                    self.env._(
                        "%(fund)s already paid for %(category)s: that category stays permitted.",
                        fund=fund.name, category=spent[0][0].display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        refuse_negative(self, vals_list, ["amount"])
        funds = super().create(vals_list)
        plan = self.env["account.analytic.plan"]._safety_fund_plan()
        for fund in funds.sudo():
            fund.analytic_account_id = self.env["account.analytic.account"].sudo().create({
                "name": fund.name,
                "code": fund.reference,
                "plan_id": plan.id,
                "company_id": fund.company_id.id,
            })
        funds._safety_check_open_year()
        return funds

    def write(self, vals):
        if set(vals) - {"note", "message_main_attachment_id"}:
            self._safety_check_open_year()
        res = super().write(vals)
        if {"name", "reference"} & set(vals):
            for fund in self.sudo():
                fund.analytic_account_id.write({"name": fund.name, "code": fund.reference})
        return res

    def _safety_is_kept(self):
        self.ensure_one()
        return bool(self.sudo().allocation_ids or self.actual)

    def _safety_undeletable_message(self):
        self.ensure_one()
        return self.env._("%(fund)s was allocated or spent: it is kept.", fund=self.name)

    def unlink(self):
        accounts = self.sudo().analytic_account_id
        res = super().unlink()
        accounts.unlink()
        return res

    def _safety_check_open_year(self):
        self.env["safety.budget"]._safety_check_years({(fund.company_id, fund.year) for fund in self.sudo()})

    def _safety_check_charge(self, school, category):
        """Refuse a charge to this fund that it may not pay: a category outside the fund's, a
        school it was not allocated to (another bureau's school among them)."""
        self.ensure_one()
        fund = self.sudo()
        if not category:
            raise ValidationError(
                self.env._(
                    "Spending charged to %(fund)s needs its category of safety investment.", fund=fund.name
                )
            )
        if category not in fund.category_ids:
            raise ValidationError(
                self.env._(
                    "%(fund)s may not pay for %(category)s: it pays for %(allowed)s only.",
                    fund=fund.name, category=category.display_name,
                    allowed=", ".join(fund.category_ids.mapped("display_name")),
                )
            )
        if school not in fund.allocation_ids.company_id:
            raise ValidationError(
                self.env._(
                    "%(school)s has no allocation of %(fund)s: it cannot spend from it.",
                    school=school.name, fund=fund.name,
                )
            )
