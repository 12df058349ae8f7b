from odoo import api, fields, models
from odoo.exceptions import ValidationError

HAZARD_CATEGORIES = [
    ("fire", "Fire"),
    ("electricity", "Electricity"),
    ("gas", "Gas"),
    ("chemicals", "Hazardous Chemicals and Labs"),
    ("canteen", "Canteen and Food"),
    ("building", "Buildings and Facilities"),
    ("traffic", "Traffic and School Buses"),
    ("gate", "Gate and Visitors"),
    ("surveillance", "Video Surveillance and Alarms"),
    ("dormitory", "Dormitories"),
    ("surroundings", "School Surroundings"),
    ("drowning", "Drowning"),
    ("epidemic", "Epidemics"),
    ("other", "Other"),
]


class SafetyHazard(models.Model):
    """The hazard ledger (隐患台账): one record per hazard, whatever found it.

    Inspections, patrols, drills and staff reports all feed this model; ``source``
    says which, ``source_ref`` points at the record that found it.
    """

    _name = "safety.hazard"
    _description = "Safety Hazard"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "found_date desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Reference", required=True, copy=False, readonly=True, index="trigram",
        default=lambda self: self.env._("New"),
    )
    company_id = fields.Many2one(
        "res.company", string="School", required=True, index=True,
        default=lambda self: self.env.company, tracking=True,
    )
    bureau_id = fields.Many2one(related="company_id.safety_bureau_id", store=True, string="Bureau")
    location = fields.Char(string="Exact Location", required=True, tracking=True)
    category = fields.Selection(HAZARD_CATEGORIES, required=True, tracking=True, index=True)
    level = fields.Selection(
        [("general", "General"), ("major", "Major")],
        required=True, default="general", tracking=True, index=True,
    )
    source = fields.Selection(
        [
            ("inspection", "Inspection"),
            ("patrol", "Patrol"),
            ("drill", "Drill"),
            ("staff_report", "Staff Report"),
        ],
        required=True, default="staff_report", index=True,
    )
    source_ref = fields.Reference(
        selection="_selection_source_ref", string="Found By Record", readonly=True
    )
    description = fields.Text(required=True)
    found_date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    found_by_id = fields.Many2one(
        "res.users", string="Found By", default=lambda self: self.env.user, tracking=True
    )
    photo_before_ids = fields.Many2many(
        "ir.attachment", "safety_hazard_photo_before_rel", "hazard_id", "attachment_id",
        string="Photos Before",
    )
    photo_after_ids = fields.Many2many(
        "ir.attachment", "safety_hazard_photo_after_rel", "hazard_id", "attachment_id",
        string="Photos After",
    )
    # the "six fixed" (六定): item (the hazard itself), measure, funding, owner, deadline, re-checker
    measure = fields.Text(string="Rectification Measure", tracking=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    funding_estimated = fields.Monetary(string="Estimated Funding", currency_field="currency_id")
    funding_actual = fields.Monetary(string="Actual Funding", currency_field="currency_id")
    owner_id = fields.Many2one(
        "res.users", string="Rectification Owner", tracking=True, index="btree_not_null",
        domain="[('company_ids', 'in', company_id)]",
    )
    deadline = fields.Date(tracking=True)
    rechecker_id = fields.Many2one(
        "res.users", string="Re-checker", tracking=True,
        domain="[('company_ids', 'in', company_id)]",
    )
    contingency_plan = fields.Text(help="Required for major hazards until they are closed.")
    bureau_supervised = fields.Boolean(
        string="Supervised by the Bureau", tracking=True,
        help="Formal supervision of a major hazard by the bureau (挂牌督办).",
    )
    state = fields.Selection(
        [
            ("registered", "Registered"),
            ("notified", "Notice Issued"),
            ("rectifying", "Rectifying"),
            ("submitted", "Submitted for Acceptance"),
            ("closed", "Closed"),
        ],
        default="registered", required=True, tracking=True, index=True, copy=False,
    )
    closed_date = fields.Date(readonly=True, copy=False)
    is_overdue = fields.Boolean(
        string="Overdue", readonly=True, copy=False, index=True,
        help="Set by the daily overdue job: open and past its deadline.",
    )

    @api.model
    def _selection_source_ref(self):
        """Records that can find a hazard: inspection lines, patrol rounds and scans,
        drills (from safety_training), whichever are installed."""
        return [
            (model, self.env[model]._description)
            for model in (
                "safety.inspection",
                "safety.inspection.line",
                "safety.patrol.round",
                "safety.patrol.scan",
                "safety.drill",
            )
            if model in self.env
        ]

    @api.constrains("deadline", "found_date")
    def _check_deadline(self):
        for hazard in self:
            if hazard.deadline and hazard.found_date and hazard.deadline < hazard.found_date:
                raise ValidationError(
                    self.env._(
                        "The deadline of %(hazard)s (%(deadline)s) is before the day it was "
                        "found (%(found)s).",
                        hazard=hazard.name,
                        deadline=hazard.deadline,
                        found=hazard.found_date,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", self.env._("New")) == self.env._("New"):
                vals["name"] = self.env["ir.sequence"].next_by_code("safety.hazard") or "/"
        return super().create(vals_list)
