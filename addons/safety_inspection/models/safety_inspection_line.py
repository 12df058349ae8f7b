from odoo import fields, models

from .safety_hazard import HAZARD_CATEGORIES


class SafetyInspectionLine(models.Model):
    """One check of one inspection: pass, fail or not applicable, with a note and photos."""

    _name = "safety.inspection.line"
    _description = "Inspection Check"
    _inherit = ["safety.evidence.mixin"]
    _order = "inspection_id, sequence, id"
    _check_company_auto = True
    # copied from the checklist by the inspection; the inspector answers these
    _safety_create_fields = frozenset()
    _safety_client_writable = frozenset({"result", "note", "location", "photo_ids"})
    # the hazard filed for a failed check, once the inspection is completed
    _safety_locked_server_fields = frozenset({"hazard_id"})
    _safety_attachment_fields = ("photo_ids",)

    inspection_id = fields.Many2one(
        "safety.inspection", string="Inspection", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="inspection_id.company_id", store=True, index=True)
    state = fields.Selection(related="inspection_id.state")
    item_id = fields.Many2one("safety.inspection.template.item", string="Checklist Item", ondelete="set null")
    recheck_hazard_id = fields.Many2one(
        "safety.hazard", string="Re-checked Hazard", index="btree_not_null", check_company=True,
        help="Open hazard of the previous inspection checked again.",
    )
    sequence = fields.Integer(default=10)
    category = fields.Selection(HAZARD_CATEGORIES, string="Section", required=True)
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
    hazard_id = fields.Many2one("safety.hazard", string="Hazard", readonly=True, copy=False)

    def write(self, vals):
        if "result" in vals and self.filtered(lambda l: l.inspection_id.state == "planned"):
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

    def _create_hazards(self):
        """One hazard per failed check (re-checks of open hazards add none)."""
        failed = self.filtered(lambda l: l.result == "fail" and not l.hazard_id and not l.recheck_hazard_id)
        vals_list = [
            {
                "company_id": line.company_id.id,
                "location": line.location or line.name,
                "category": line.category,
                "level": line.severity,
                "source": "inspection",
                "source_ref": f"safety.inspection.line,{line.id}",
                "inspection_id": line.inspection_id.id,
                "inspection_line_id": line.id,
                "description": line.note and f"{line.name}: {line.note}" or line.name,
                "rule_violated": line.guidance,
                # found the day the inspection was carried out, not the day it was planned for
                "found_date": line.inspection_id.date_done or line.inspection_id.date,
                "found_by_id": (line.inspection_id.inspector_ids[:1] or self.env.user).id,
                "photo_before_ids": [(6, 0, line.photo_ids.ids)],
            }
            for line in failed
        ]
        # the inspection's step files its findings (source, links): the caller completed it
        hazards = self.env["safety.hazard"].sudo().create(vals_list)
        for line, hazard in zip(failed.sudo(), hazards, strict=True):
            line.hazard_id = hazard
        return hazards.sudo(False)
