from odoo import api, fields, models


class SafetyInvestmentCharge(models.AbstractModel):
    """What a school record costs the school's safety investment: the category it is charged
    to, the special fund paying for it (none: the school's own money) and the analytic lines it
    posts, as the server, once its cost is final (a rectification closed, a drill or a training
    done). Those lines are linked to the record and changed by nobody afterwards.

    The models inheriting it (in safety_inspection and safety_training) say which category they
    default to (``_safety_investment_default``) and when they post.
    """

    _name = "safety.investment.charge.mixin"
    _description = "Safety Investment Charge"
    # xmlid of the category a new record is charged to
    _safety_investment_default = "school_safety.safety_investment_category_other"

    safety_investment_account_id = fields.Many2one(
        "account.analytic.account", string="Investment Category", check_company=True, ondelete="restrict",
        compute="_compute_safety_investment_account_id", store=True, readonly=False, precompute=True,
        domain=lambda self: self.env["account.analytic.plan"]._safety_category_domain(),
        help="The category of safety investment its cost is charged to.",
    )
    safety_fund_id = fields.Many2one(
        "safety.fund", string="Special Fund", check_company=True, ondelete="restrict", index="btree_not_null",
        domain="[('allocation_ids.company_id', '=', company_id)]",
        help="The special fund paying for it (allocated to the school, permitting its category); "
        "empty: the school's own money.",
    )
    safety_analytic_line_ids = fields.One2many(
        "account.analytic.line", "safety_res_id", string="Investment Lines", readonly=True,
        domain=lambda self: [("safety_res_model", "=", self._name)],
    )

    @api.depends("company_id")
    def _compute_safety_investment_account_id(self):
        default = self.env.ref(self._safety_investment_default, raise_if_not_found=False)
        for record in self:
            if not record.safety_investment_account_id:
                record.safety_investment_account_id = default

    @api.constrains("safety_investment_account_id", "safety_fund_id", "company_id")
    def _check_safety_charge(self):
        for record in self:
            if record.safety_fund_id:
                record.safety_fund_id._safety_check_charge(record.company_id, record.safety_investment_account_id)

    def _safety_post_investment(self, entries):
        """Post the costs of ``self``: ``entries`` are (record, date, cost, description), the cost
        positive; the analytic lines are written as the server, linked to their record."""
        category_column, fund_column = self.env["account.analytic.plan"]._safety_columns()
        vals_list = []
        for record, day, cost, description in entries:
            if not cost or not record.safety_investment_account_id or not category_column:
                continue
            vals = {
                "name": description,
                "date": day,
                "amount": -cost,
                "company_id": record.company_id.id,
                category_column: record.safety_investment_account_id.id,
                "safety_res_model": record._name,
                "safety_res_id": record.id,
            }
            if record.safety_fund_id and fund_column:
                vals[fund_column] = record.safety_fund_id.sudo().analytic_account_id.id
            vals_list.append(vals)
        return self.env["account.analytic.line"].sudo().create(vals_list)
