from odoo import api, models
from odoo.exceptions import UserError

# the two plans of the suite (data/safety_investment_data.xml)
INVESTMENT_PLAN = "school_safety.analytic_plan_safety_investment"
FUND_PLAN = "school_safety.analytic_plan_safety_fund"


class AccountAnalyticPlan(models.Model):
    """The plans of safety investment: the categories and the special funds.

    Odoo 18 gives each root plan a column of its own on the analytic lines (``account_id``
    for the project plan, ``x_plan<id>_id`` for the others): the suite never names one, it
    asks the plan (``_column_name()``).
    """

    _inherit = "account.analytic.plan"

    @api.model
    def _safety_plan(self, xmlid):
        return self.env.ref(xmlid, raise_if_not_found=False) or self.browse()

    @api.model
    def _safety_investment_plan(self):
        return self._safety_plan(INVESTMENT_PLAN)

    @api.model
    def _safety_fund_plan(self):
        return self._safety_plan(FUND_PLAN)

    @api.model
    def _safety_columns(self):
        """(category column, fund column) of ``account.analytic.line``; None for a plan that
        does not exist (yet: the data creating them is loaded after the models)."""
        Line = self.env["account.analytic.line"]
        columns = []
        for plan in (self._safety_investment_plan(), self._safety_fund_plan()):
            column = plan.sudo()._column_name() if plan else None
            columns.append(column if column in Line._fields else None)
        return tuple(columns)

    @api.model
    def _safety_category_domain(self):
        """Domain of the analytic accounts that are categories of safety investment."""
        plan = self._safety_investment_plan()
        return [("root_plan_id", "=", plan.id or False)]

    @api.ondelete(at_uninstall=False)
    def _unlink_except_safety_plan(self):
        if self & (self._safety_investment_plan() | self._safety_fund_plan()):
            raise UserError(
                self.env._("The plans of safety investment hold the schools' budgets and spending: they are kept.")
            )
