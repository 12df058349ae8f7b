import logging
from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

_logger = logging.getLogger(__name__)

INSPECTION_TYPES = [
    ("bureau_quarterly", "Bureau Quarterly Inspection"),
    ("self_monthly", "Monthly Self-Inspection"),
    ("special", "Special Inspection"),
]


class SafetyInspection(models.Model):
    """One inspection of one school against a checklist."""

    _name = "safety.inspection"
    _description = "Safety Inspection"
    _inherit = ["safety.school.record", "safety.hazard.source", "mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    # (its checks protect themselves: answered by the client, copied and removed by the steps)
    _safety_server_fields = frozenset({"state", "hazard_ids", "message_ids"})
    _safety_sequence_code = "safety.inspection"
    _safety_hazard_source = "inspection"
    _safety_hazard_link = "inspection_id"
    _safety_hazard_finding = "safety.inspection.line"
    _safety_transitions = {
        "in_progress": ("planned",),
        "done": ("in_progress",),
        "cancel": ("planned", "in_progress"),
        "planned": ("cancel",),
    }

    name = fields.Char(
        string="Reference", required=True, copy=False, readonly=True,
        default=lambda self: self.env._("New"),
    )
    bureau_id = fields.Many2one(store=True)  # the bureau reports on them
    inspection_type = fields.Selection(
        INSPECTION_TYPES, string="Type", required=True, default="special", tracking=True, index=True
    )
    special_kind = fields.Selection(
        [("holiday", "Holiday"), ("exam", "Exam"), ("event", "Major Event"), ("other", "Other")],
        string="Occasion",
    )
    period_key = fields.Char(
        string="Period", readonly=True, copy=False,
        help="Quarter (2026-Q3) or month (2026-07) of a planned inspection.",
    )
    template_id = fields.Many2one(
        "safety.inspection.template", string="Checklist", required=True, tracking=True
    )
    date = fields.Date(
        required=True, default=fields.Date.context_today, tracking=True,
        help="The day the inspection is planned for (the start of its period when planned by the job).",
    )
    date_done = fields.Date(
        string="Carried Out On", readonly=True, copy=False,
        help="The day it was completed: the day its hazards were found.",
    )
    inspector_ids = fields.Many2many(
        "res.users", "safety_inspection_inspector_rel", "inspection_id", "user_id",
        string="Inspectors", default=lambda self: self.env.user,
    )
    state = fields.Selection(
        [("planned", "Planned"), ("in_progress", "In Progress"), ("done", "Done"),
         ("cancel", "Cancelled")],
        default="planned", required=True, tracking=True, index=True, copy=False,
    )
    line_ids = fields.One2many("safety.inspection.line", "inspection_id", string="Checks", copy=False)
    previous_id = fields.Many2one(
        "safety.inspection", string="Previous Inspection", check_company=True, copy=False,
        help="A re-inspection starts with the open hazards of this inspection.",
    )
    hazard_ids = fields.One2many("safety.hazard", "inspection_id", string="Hazards Found")
    score = fields.Float(compute="_compute_score", store=True, digits=(5, 1), aggregator="avg")
    result = fields.Selection(
        [("pass", "Passed"), ("fail", "Failed")], compute="_compute_score", store=True
    )
    critical_failed = fields.Boolean(compute="_compute_score", store=True)
    note = fields.Html()

    _sql_constraints = [
        (
            "period_unique",
            "UNIQUE(company_id, inspection_type, period_key)",
            "This school already has an inspection of this type for this period.",
        ),
    ]

    @api.depends("line_ids.result", "line_ids.weight", "line_ids.is_critical", "template_id.pass_score")
    def _compute_score(self):
        for inspection in self:
            checks = inspection.line_ids.filtered(lambda line: not line.recheck_hazard_id)
            rated = checks.filtered(lambda line: line.result in ("pass", "fail"))
            total = sum(rated.mapped("weight"))
            passed = sum(rated.filtered(lambda line: line.result == "pass").mapped("weight"))
            inspection.score = 100.0 * passed / total if total else 0.0
            inspection.critical_failed = any(
                line.is_critical and line.result == "fail" for line in checks
            )
            if not rated:
                inspection.result = False
            elif inspection.critical_failed or inspection.score < inspection.template_id.pass_score:
                inspection.result = "fail"
            else:
                inspection.result = "pass"

    @api.model_create_multi
    def create(self, vals_list):
        inspections = super().create(vals_list)
        inspections._fill_lines()
        return inspections

    def write(self, vals):
        res = super().write(vals)
        if "template_id" in vals:
            self.line_ids.filtered(lambda line: not line.recheck_hazard_id).sudo().unlink()
            self._fill_lines()
        return res

    def _safety_is_locked(self):
        self.ensure_one()
        return self.state == "done"

    def _safety_locked_message(self):
        return self.env._(
            "%(inspection)s is completed: its checks, inspectors and date are part of the record.",
            inspection=self.name,
        )

    def _safety_undeletable_message(self):
        return self.env._("A completed inspection is part of the record and cannot be deleted.")

    def _safety_check_client_write(self, vals):
        planned_only = {"template_id", "inspection_type", "special_kind", "previous_id"} & set(vals)
        if planned_only and self.filtered(lambda i: i.state != "planned") and self._safety_changed(
            {name: vals[name] for name in planned_only}
        ):
            raise UserError(self.env._("The checklist of a started inspection cannot change."))

    def _fill_lines(self):
        """Lines from the checklist (dormitory items only at boarding schools), then one
        re-check line per hazard still open from the previous inspection."""
        line_vals = []
        for inspection in self:
            boarding = inspection.company_id.safety_is_boarding
            # the checks are copied in the school's language, whoever plans them (the daily
            # job runs in English): they become its hazards' descriptions and notices
            template = inspection.template_id.with_context(lang=inspection.company_id._safety_lang())
            for item in template.item_ids:
                if item.boarding_only and not boarding:
                    continue
                line_vals.append({
                    "inspection_id": inspection.id,
                    "item_id": item.id,
                    "sequence": item.sequence,
                    "category": item.category,
                    "name": item.name,
                    "guidance": item.guidance,
                    "weight": item.weight,
                    "is_critical": item.is_critical,
                    "photo_required": item.photo_required,
                    "severity": item.severity,
                })
            if not inspection.line_ids.recheck_hazard_id:
                for hazard in inspection.previous_id.hazard_ids.filtered(lambda h: h.state != "closed"):
                    line_vals.append({
                        "inspection_id": inspection.id,
                        "recheck_hazard_id": hazard.id,
                        "sequence": 0,
                        "category": hazard.category,
                        "name": template.env._("Re-check %(hazard)s: %(location)s",
                                               hazard=hazard.name, location=hazard.location),
                        "guidance": hazard.description,
                        "weight": 1.0,
                        "severity": hazard.level,
                    })
        # the checks are copied from the checklist by this step only (weights, critical flags...)
        self.env["safety.inspection.line"].sudo().create(line_vals)

    def _safety_transition_message(self, state):
        return self.env._(
            "%(inspection)s is %(state)s and cannot go to that status directly.",
            inspection=self.name,
            state=dict(self._fields["state"]._description_selection(self.env))[self.state],
        )

    def action_start(self):
        self._safety_transition("in_progress")

    def action_cancel(self):
        self._safety_transition("cancel")

    def action_reset(self):
        self._safety_transition("planned")

    def action_done(self):
        """Close the inspection: every check answered, photos where required, and one
        hazard per failed check."""
        return self._safety_done()

    def _safety_done(self, now=None):
        """action_done; ``now`` (private, for the demo's past events) is when it was completed."""
        self._safety_check_transition("done")
        for inspection in self:
            missing = inspection.line_ids.filtered(lambda line: not line.result)
            if missing:
                raise UserError(
                    self.env._(
                        "%(inspection)s: %(count)s checks have no result yet, first: %(check)s.",
                        inspection=inspection.name, count=len(missing), check=missing[0].name,
                    )
                )
            no_photo = inspection.line_ids.filtered(
                lambda line: line.result == "fail" and line.photo_required and not line.photo_ids
            )
            if no_photo:
                raise UserError(
                    self.env._(
                        "%(inspection)s: the failed check %(check)s needs a photo.",
                        inspection=inspection.name, check=no_photo[0].name,
                    )
                )
        self._safety_transition("done", {"date_done": fields.Date.context_today(self, now)})
        self._safety_file_failed_checks()
        return True

    def _safety_file_failed_checks(self):
        """One hazard per failed check, in one batch (re-checks of open hazards add none)."""
        failed = self.line_ids.filtered(
            lambda line: line.result == "fail" and not line.hazard_id and not line.recheck_hazard_id
        )
        hazards = self._safety_file_hazards(
            [(line.inspection_id, line._safety_hazard_values(), line) for line in failed]
        )
        for line, hazard in zip(failed.sudo(), hazards, strict=True):
            line.hazard_id = hazard
        return hazards

    def action_reinspect(self):
        """A follow-up special inspection starting with this one's open hazards."""
        self.ensure_one()
        new = self.create({
            "company_id": self.company_id.id,
            "inspection_type": "special",
            "special_kind": "other",
            "template_id": self.template_id.id,
            "previous_id": self.id,
            "inspector_ids": [Command.set(self.inspector_ids.ids)],
        })
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": new.id,
            "view_mode": "form",
        }

    # Plans -----------------------------------------------------------------

    @api.model
    def _period_of(self, inspection_type, day):
        if inspection_type == "bureau_quarterly":
            quarter = (day.month - 1) // 3 + 1
            return f"{day.year}-Q{quarter}", date(day.year, 3 * quarter - 2, 1)
        return f"{day.year}-{day.month:02d}", date(day.year, day.month, 1)

    @api.model
    def _cron_generate_plans(self, today=None):
        """Plan next quarter's bureau inspection and next month's self-inspection of every
        school. Idempotent: a period already planned is left alone."""
        today = today or fields.Date.context_today(self)
        first_of_quarter = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
        targets = {
            "bureau_quarterly": self._period_of("bureau_quarterly", first_of_quarter + relativedelta(months=3)),
            "self_monthly": self._period_of("self_monthly", today.replace(day=1) + relativedelta(months=1)),
        }
        Template = self.env["safety.inspection.template"]
        templates = {
            "bureau_quarterly": Template.search([("inspection_types", "in", ("all", "bureau"))], limit=1),
            "self_monthly": Template.search([("inspection_types", "in", ("all", "self"))], limit=1),
        }
        schools = self.env["res.company"].search([("safety_is_school", "=", True)])
        existing = {
            (company.id, itype, period)
            for company, itype, period in self._read_group(
                [("company_id", "in", schools.ids),
                 ("period_key", "in", [p for p, _d in targets.values()])],
                ["company_id", "inspection_type", "period_key"],
            )
        }
        vals_list = []
        for school in schools:
            for itype, (period, start) in targets.items():
                if (school.id, itype, period) in existing or not templates[itype]:
                    continue
                vals = {
                    "company_id": school.id,
                    "inspection_type": itype,
                    "period_key": period,
                    "date": start,
                    "template_id": templates[itype].id,
                    "inspector_ids": [Command.clear()],
                }
                if itype == "self_monthly" and school.safety_officer_id.user_id:
                    vals["inspector_ids"] = [Command.set(school.safety_officer_id.user_id.ids)]
                vals_list.append(vals)
        created = self.create(vals_list)
        _logger.info("Inspection plans: %s schools, %s inspections planned", len(schools), len(created))
        return created
