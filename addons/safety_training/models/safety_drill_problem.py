from odoo import api, fields, models

from odoo.addons.safety_inspection.models.safety_hazard import hazard_categories


class SafetyDrillProblem(models.Model):
    """A problem found in a drill; becomes a hazard of the ledger when the drill is done."""

    _name = "safety.drill.problem"
    _description = "Drill Problem"
    _inherit = ["safety.school.record"]
    _order = "drill_id, id"
    _safety_create_fields = frozenset({"drill_id"})
    # the hazard filed for the problem when the drill is done
    _safety_locked_server_fields = frozenset({"hazard_id"})

    drill_id = fields.Many2one("safety.drill", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(
        related="drill_id.company_id", store=True, index=True, precompute=True, default=None
    )
    description = fields.Text(required=True)
    location = fields.Char(string="Exact Location", required=True)
    category = fields.Selection(selection=hazard_categories, string="Hazard Category", required=True, default="other")
    level = fields.Selection([("general", "General"), ("major", "Major")], required=True, default="general")
    hazard_id = fields.Many2one("safety.hazard", readonly=True, copy=False,
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

    def _safety_hazard_values(self):
        """The hazard a problem becomes (its drill files it when done)."""
        self.ensure_one()
        return {
            "location": self.location,
            "category": self.category,
            "level": self.level,
            "description": self.description,
            "found_date": fields.Date.context_today(self, self.drill_id.date_actual),
            "found_by_id": self.env.user.id,
        }
