from odoo import api, fields, models

from odoo.addons.safety_inspection.models.safety_hazard import HAZARD_CATEGORIES


class SafetyDrillProblem(models.Model):
    """A problem found in a drill; becomes a hazard of the ledger when the drill is done."""

    _name = "safety.drill.problem"
    _description = "Drill Problem"
    _inherit = ["safety.evidence.mixin"]
    _order = "drill_id, id"
    _check_company_auto = True
    _safety_create_fields = frozenset({"drill_id"})
    # the hazard filed for the problem when the drill is done
    _safety_locked_server_fields = frozenset({"hazard_id"})

    drill_id = fields.Many2one("safety.drill", string="Drill", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="drill_id.company_id", store=True, index=True)
    description = fields.Text(required=True)
    location = fields.Char(string="Exact Location", required=True)
    category = fields.Selection(HAZARD_CATEGORIES, string="Hazard Category", required=True, default="other")
    level = fields.Selection([("general", "General"), ("major", "Major")], required=True, default="general")
    hazard_id = fields.Many2one("safety.hazard", string="Hazard", readonly=True, copy=False,
                                check_company=True, index="btree_not_null")

    @api.model_create_multi
    def create(self, vals_list):
        problems = super().create(vals_list)
        problems.drill_id._check_not_done()
        return problems

    def _safety_is_locked(self):
        self.ensure_one()
        return self.drill_id.state == "done"

    def _safety_locked_message(self):
        return self.drill_id._safety_locked_message()

    _safety_undeletable_message = _safety_locked_message

    def _create_hazards(self):
        """One hazard per problem not yet in the ledger, in one create."""
        problems = self.filtered(lambda p: not p.hazard_id)
        vals_list = [
            {
                "company_id": problem.company_id.id,
                "location": problem.location,
                "category": problem.category,
                "level": problem.level,
                "source": "drill",
                "source_ref": f"safety.drill,{problem.drill_id.id}",
                "description": problem.description,
                "found_date": fields.Date.context_today(problem, problem.drill_id.date_actual),
                "found_by_id": self.env.user.id,
            }
            for problem in problems
        ]
        # the drill's step files its problems (source, links): the caller marked it done
        hazards = self.env["safety.hazard"].sudo().create(vals_list)
        for problem, hazard in zip(problems.sudo(), hazards, strict=True):
            problem.hazard_id = hazard
        return hazards.sudo(False)
