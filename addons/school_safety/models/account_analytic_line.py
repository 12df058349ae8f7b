from odoo import api, fields, models
from odoo.exceptions import AccessError


class AccountAnalyticLine(models.Model):
    """Safety spending is every analytic line charged to a category of safety investment,
    whatever posted it: a vendor bill (when Accounting is installed), a line recorded by the
    bureau's finance, or one of the suite's records (a closed rectification, a drill or a
    training done), which posts it as the server and links it (``safety_res_model`` /
    ``safety_res_id``).

    Whoever posts it, a line charged to a special fund must be of a category the fund pays for
    and of a school the fund was allocated to; no line of a closed year changes; the suite's own
    lines are written by their records' steps only.
    """

    _inherit = "account.analytic.line"

    safety_res_model = fields.Char(string="Posted By Model", readonly=True, copy=False, index="btree_not_null")
    safety_res_id = fields.Many2oneReference(
        string="Posted By Record", model_field="safety_res_model", readonly=True, copy=False
    )
    # the plans' columns under names the views can use
    safety_category_id = fields.Many2one(
        "account.analytic.account", string="Investment Category", compute="_compute_safety_dimensions",
        inverse="_inverse_safety_category", search="_search_safety_category",
        domain=lambda self: self.env["account.analytic.plan"]._safety_category_domain(),
    )
    safety_fund_id = fields.Many2one(
        "safety.fund", string="Special Fund", compute="_compute_safety_dimensions",
        inverse="_inverse_safety_fund", search="_search_safety_fund",
        help="Empty: paid from the school's own money.",
    )
    safety_spent = fields.Monetary(
        string="Amount Spent", compute="_compute_safety_spent", inverse="_inverse_safety_spent",
        help="The cost, positive (analytic lines count costs as negative amounts).",
    )

    @api.model
    def _safety_columns(self):
        return self.env["account.analytic.plan"]._safety_columns()

    def _compute_safety_dimensions(self):
        category_column, fund_column = self._safety_columns()
        for line in self:
            line.safety_category_id = line[category_column] if category_column else False
            fund_account = line[fund_column] if fund_column else False
            # (an empty account is of the wrong model for the field: own money is no fund)
            line.safety_fund_id = fund_account.sudo().safety_fund_ids[:1] if fund_account else False

    def _inverse_safety_category(self):
        category_column, _fund_column = self._safety_columns()
        for line in self:
            line[category_column] = line.safety_category_id

    def _inverse_safety_fund(self):
        _category_column, fund_column = self._safety_columns()
        for line in self:
            line[fund_column] = line.safety_fund_id.sudo().analytic_account_id

    def _search_safety_category(self, operator, value):
        category_column, _fund_column = self._safety_columns()
        return [(category_column, operator, value)] if category_column else [(0, "=", 1)]

    def _search_safety_fund(self, operator, value):
        _category_column, fund_column = self._safety_columns()
        if not fund_column:
            return [(0, "=", 1)]
        if value is False or value is None:
            return [(fund_column, operator, False)]
        return [(f"{fund_column}.safety_fund_ids", operator, value)]

    @api.depends("amount")
    def _compute_safety_spent(self):
        for line in self:
            line.safety_spent = -line.amount

    def _inverse_safety_spent(self):
        for line in self:
            line.amount = -line.safety_spent

    def _safety_constrained_fields(self):
        return [name for name in (*self._safety_columns(), "company_id") if name]

    @api.constrains(lambda self: self._safety_constrained_fields())
    def _check_safety_charge(self):
        category_column, fund_column = self._safety_columns()
        if not fund_column:
            return
        for line in self.sudo():
            fund = line[fund_column].safety_fund_ids[:1]
            if fund:
                fund._safety_check_charge(line.company_id, line[category_column] if category_column else False)

    def _safety_lines(self):
        """The lines of ``self`` that are safety spending."""
        category_column, _fund_column = self._safety_columns()
        return self.filtered(category_column) if category_column else self.browse()

    def _safety_check_open_year(self):
        lines = self.sudo()._safety_lines()
        self.env["safety.budget"]._safety_check_years({(line.company_id, line.date.year) for line in lines})

    def _safety_check_posted_by(self, vals=None):
        """The suite's own lines are posted and kept by their records' steps (as the server)."""
        if self.env.su:
            return
        if (vals and {"safety_res_model", "safety_res_id"} & set(vals)) or self.filtered("safety_res_model"):
            raise AccessError(
                self.env._("The lines of a rectification, a drill or a training are posted by their steps only.")
            )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and any(vals.get("safety_res_model") or vals.get("safety_res_id") for vals in vals_list):
            self.browse()._safety_check_posted_by({"safety_res_model": True})
        lines = super().create(vals_list)
        lines._safety_check_open_year()
        return lines

    def write(self, vals):
        self._safety_check_posted_by(vals)
        self._safety_check_open_year()
        res = super().write(vals)
        self._safety_check_open_year()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_safety_record(self):
        self._safety_check_posted_by()
        self._safety_check_open_year()
