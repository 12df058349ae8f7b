from dateutil.relativedelta import relativedelta

from odoo import fields, models
from odoo.exceptions import AccessError, ValidationError


class SafetyMonthlyReportWizard(models.TransientModel):
    """Make the reports of any past month on demand."""

    _name = "safety.monthly.report.wizard"
    _description = "Make Monthly Safety Reports"

    month = fields.Date(required=True, default=lambda self: fields.Date.context_today(self).replace(day=1)
                        - relativedelta(months=1), help="Any day of the month to report.")
    company_ids = fields.Many2many(
        "res.company", string="Schools", domain="[('safety_is_school', '=', True)]",
        default=lambda self: self.env.companies.filtered("safety_is_school"),
    )
    include_bureau = fields.Boolean(string="The Bureau's Report Too")

    def action_generate(self):
        self.ensure_one()
        user = self.env.user
        bureau = user.has_group("school_safety.group_bureau_inspector")
        if not (bureau or user.has_group("school_safety.group_school_safety_officer")):
            raise AccessError(
                self.env._("Monthly reports are made by the schools' officers and principals and the bureau.")
            )
        month = self.month.replace(day=1)
        if month >= fields.Date.context_today(self).replace(day=1):
            raise ValidationError(self.env._("Only a month that is over can be reported."))
        schools = self.company_ids
        if not schools:
            raise ValidationError(self.env._("Choose the schools to report."))
        foreign = schools - user.company_ids
        if foreign or (not bureau and schools.filtered(lambda s: s not in self.env.companies)):
            raise AccessError(self.env._("You report on your own schools only."))
        Report = self.env["safety.monthly.report"]
        targets = schools.sudo()
        if self.include_bureau:
            if not user.has_group("school_safety.group_bureau_manager"):
                raise AccessError(self.env._("The bureau's report is made by its managers."))
            targets |= schools.sudo().safety_bureau_id
        new = Report._safety_generate(month, targets)
        drafts = Report.search([("company_id", "in", targets.ids), ("month", "=", month), ("state", "=", "draft")])
        (drafts - new).sudo()._safety_compute()
        reports = Report.search([("company_id", "in", targets.ids), ("month", "=", month)])
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Monthly Safety Reports"),
            "res_model": "safety.monthly.report",
            "domain": [("id", "in", reports.ids)],
            "views": [(False, "list"), (False, "form")],
            "target": "current",
        }
