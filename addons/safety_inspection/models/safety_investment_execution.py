from odoo import api, models
from odoo.tools import SQL

from odoo.addons.school_safety.models.safety_investment_execution import PARTS

from .safety_hazard_cost import COMMITTED_STATES


class SafetyInvestmentExecution(models.Model):
    """Committed amounts: the estimates of open rectifications (from their notice until they are
    closed), in the year of their notice, charged to their category and fund."""

    _inherit = "safety.investment.execution"
    _depends = {
        "safety.hazard": [
            "company_id", "state", "funding_estimated", "notice_date", "found_date",
            "safety_investment_account_id", "safety_fund_id",
        ],
    }

    @api.model
    def _safety_execution_parts(self):
        return super()._safety_execution_parts() + [SQL(
            """SELECT h.id * %(parts)s + 4, h.company_id,
                      EXTRACT(YEAR FROM COALESCE(h.notice_date, h.found_date))::integer,
                      date_trunc('month', COALESCE(h.notice_date, h.found_date))::date, h.safety_investment_account_id,
                      h.safety_fund_id, 'commitment', 0, 0, h.funding_estimated,
                      CASE WHEN h.safety_fund_id IS NULL THEN 0 ELSE h.funding_estimated END, 0, 0
                 FROM safety_hazard h
                WHERE h.state IN %(states)s AND h.funding_estimated > 0
                  AND h.safety_investment_account_id IS NOT NULL""",
            parts=PARTS, states=COMMITTED_STATES,
        )]
