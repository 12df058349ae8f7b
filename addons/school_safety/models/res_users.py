from odoo import api, models
from odoo.http import request

# The work each role opens first: (role group, action), the first group the user holds wins.
# The downstream addons put their own before these (the guard's patrol, the ledger...).
HOME_ACTIONS = [
    ("school_safety.group_bureau_inspector", "school_safety.res_company_action_school"),
    ("school_safety.group_bureau_finance", "school_safety.res_company_action_school"),
    ("school_safety.group_school_staff", "school_safety.safety_letter_action"),
]


class ResUsers(models.Model):
    _inherit = "res.users"

    def _safety_home_actions(self):
        """(group xmlid, action xmlid) pairs, most specific role first."""
        return list(HOME_ACTIONS)

    def _safety_home_action(self):
        """The action a user of the suite lands on, unless they chose a home action."""
        self.ensure_one()
        for group, action in self._safety_home_actions():
            if self.has_group(group):
                return self.env.ref(action, raise_if_not_found=False)
        return None

    def _safety_is_bureau_user(self):
        self.ensure_one()
        return self.has_group("school_safety.group_bureau_inspector") or self.has_group(
            "school_safety.group_bureau_finance"
        )

    def _on_webclient_bootstrap(self):
        """A bureau user sees all their bureau's schools at once.

        Odoo's web client activates only the user's current company when the browser has
        no company cookie yet (a first login, a new browser): the bureau then saw none of
        its schools' records. For bureau roles, every allowed company is made active in that
        case (their own company first); a choice made in the company switcher afterwards is
        kept in the cookie and respected. School users keep their one school.
        """
        super()._on_webclient_bootstrap()
        if not request or request.httprequest.cookies.get("cids") or not self._safety_is_bureau_user():
            return
        companies = self.company_id | self.company_ids
        request.future_response.set_cookie("cids", "-".join(str(company.id) for company in companies))

    @api.model
    def _safety_demo_set_language(self, user_ids):
        """Demo data: the demo users read Chinese, as the schools' users do, and so do the
        bureau, its schools, their staff without an account and the guardians (their papers,
        pages and emails speak it)."""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.browse(user_ids).write({"lang": "zh_CN", "tz": "Asia/Shanghai"})
        companies = self.env["res.company"].search(
            ["|", ("safety_is_bureau", "=", True), ("safety_is_school", "=", True)]
        )
        partners = companies.partner_id
        partners |= self.env["hr.employee"].search([("company_id", "in", companies.ids)]).work_contact_id
        partners |= self.env["safety.student"].search([("company_id", "in", companies.ids)]).guardian_id
        partners.write({"lang": "zh_CN"})
        companies.partner_id.write({"tz": "Asia/Shanghai"})
