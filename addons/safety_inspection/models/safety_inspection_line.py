from odoo import fields, models

from .safety_hazard import hazard_categories


class SafetyInspectionLine(models.Model):
    """One check of one inspection: pass, fail or not applicable, with a note and photos."""

    _name = "safety.inspection.line"
    _description = "Inspection Check"
    _inherit = ["safety.school.record"]
    _order = "inspection_id, sequence, id"
    # copied from the checklist by the inspection; the inspector answers these
    _safety_create_fields = frozenset()
    _safety_client_writable = frozenset({"result", "note", "location", "photo_ids"})
    # the hazard filed for a failed check, once the inspection is completed
    _safety_locked_server_fields = frozenset({"hazard_id"})
    _safety_attachment_fields = ("photo_ids",)

    inspection_id = fields.Many2one(
        "safety.inspection", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(
        related="inspection_id.company_id", store=True, index=True, precompute=True, default=None
    )
    state = fields.Selection(related="inspection_id.state")
    item_id = fields.Many2one("safety.inspection.template.item", string="Checklist Item", ondelete="set null")
    recheck_hazard_id = fields.Many2one(
        "safety.hazard", string="Re-checked Hazard", index="btree_not_null", check_company=True,
        help="Open hazard of the previous inspection checked again.",
    )
    sequence = fields.Integer(default=10)
    category = fields.Selection(selection=hazard_categories, string="Section", required=True)
    name = fields.Char(string="Check", required=True)
    guidance = fields.Text()
    weight = fields.Float(default=1.0)
    is_critical = fields.Boolean(string="Critical")
    photo_required = fields.Boolean(string="Photo Required on Failure")
    severity = fields.Selection([("general", "General"), ("major", "Major")], default="general")
    result = fields.Selection(
        [("pass", "Pass"), ("fail", "Fail"), ("na", "N/A")],
    )
    note = fields.Char()
    location = fields.Char(string="Exact Location")
    photo_ids = fields.Many2many(
        "ir.attachment", "safety_inspection_line_photo_rel", "line_id", "attachment_id", string="Photos"
    )
    hazard_id = fields.Many2one("safety.hazard", readonly=True, copy=False)

    def write(self, vals):
        if "result" in vals and self.filtered(lambda line: line.inspection_id.state == "planned"):
            # answering the first check starts the inspection
            self.inspection_id.filtered(lambda i: i.state == "planned").action_start()
        return super().write(vals)

    def _safety_is_locked(self):
        self.ensure_one()
        return self.inspection_id.state in ("done", "cancel")

    def _safety_is_kept(self):
        # checks come from the checklist: only the inspection's own steps remove them
        self.ensure_one()
        return self.inspection_id.state == "done" or not self.env.su

    def _safety_locked_message(self):
        return self.env._("The checks of a completed inspection cannot change.")

    def _safety_undeletable_message(self):
        if self.inspection_id.state == "done":
            return self.env._("The checks of a completed inspection cannot change.")
        return self.env._("The checks of an inspection come from its checklist and are not deleted one by one.")

    def _safety_hazard_values(self):
        """The hazard a failed check becomes (its inspection files it)."""
        self.ensure_one()
        return {
            "location": self.location or self.name,
            "category": self.category,
            "level": self.severity,
            "inspection_line_id": self.id,
            "description": self.note and f"{self.name}: {self.note}" or self.name,
            "rule_violated": self.guidance,
            # found the day the inspection was carried out, not the day it was planned for
            "found_date": self.inspection_id.date_done or self.inspection_id.date,
            "found_by_id": (self.inspection_id.inspector_ids[:1] or self.env.user).id,
            "photo_before_ids": [(6, 0, self.photo_ids.ids)],
        }
