from odoo import fields, models


class SafetyHazard(models.Model):
    """Drills feed the ledger: the problems a drill finds are hazards of source "drill"."""

    _inherit = "safety.hazard"

    source = fields.Selection(
        selection_add=[("drill", "Drill"), ("staff_report",)], ondelete={"drill": "set default"}
    )
    drill_id = fields.Many2one(
        "safety.drill", index="btree_not_null", check_company=True, readonly=True,
        copy=False, ondelete="restrict",
    )
