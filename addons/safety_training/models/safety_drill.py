from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

DRILL_TYPES = [
    ("fire", "Fire"),
    ("earthquake", "Earthquake"),
    ("flood", "Flood"),
    ("intruder", "Intruder"),
    ("stampede", "Stampede"),
    ("food_poisoning", "Food Poisoning"),
    ("school_bus", "School Bus"),
    ("other", "Other"),
]
# target evacuation time for buildings of four floors or fewer (2014 guide: about 2 minutes)
EVACUATION_TARGET_LOW = 120
LOW_BUILDING_FLOORS = 4
# system parameter holding the target for taller buildings, and its default
EVACUATION_TARGET_PARAM = "safety_training.evacuation_target_tall_seconds"
EVACUATION_TARGET_TALL = 180
# a drill done earlier than this before its planned date is a typing error
DRILL_EARLY_DAYS = 90


class SafetyDrill(models.Model):
    """One emergency drill of one school (应急疏散演练记录)."""

    _name = "safety.drill"
    _description = "Emergency Drill"
    _inherit = ["safety.school.record", "safety.hazard.source", "mail.thread", "mail.activity.mixin"]
    _order = "date_planned desc, id desc"
    _safety_server_fields = frozenset({"state", "message_ids"})
    _safety_sequence_code = "safety.drill"
    _safety_hazard_source = "drill"
    _safety_hazard_link = "drill_id"
    _safety_transitions = {"done": ("planned",), "cancel": ("planned",), "planned": ("cancel",)}
    _safety_attachment_fields = ("plan_attachment_ids",)

    name = fields.Char(
        string="Reference", required=True, copy=False, readonly=True,
        default=lambda self: self.env._("New"),
    )
    bureau_id = fields.Many2one(store=True)  # the bureau reports on them
    drill_type = fields.Selection(DRILL_TYPES, required=True, default="fire",
                                  tracking=True, index=True)
    mode = fields.Selection(
        [("real", "Real Evacuation"), ("tabletop", "Tabletop Exercise")],
        required=True, default="real", tracking=True,
    )
    no_notice = fields.Boolean(string="No-Notice Drill",
                               help="Held without telling students and staff beforehand.")
    date_planned = fields.Date(string="Planned Date", required=True, tracking=True,
                               default=fields.Date.context_today)
    date_actual = fields.Datetime(string="Held On", tracking=True, copy=False)
    commander_id = fields.Many2one(
        "hr.employee", check_company=True, tracking=True,
        domain="[('company_id', '=', company_id)]",
    )
    plan = fields.Html(string="Drill Plan")
    plan_attachment_ids = fields.Many2many(
        "ir.attachment", "safety_drill_plan_attachment_rel", "drill_id", "attachment_id",
        string="Plan Documents",
    )
    supplies = fields.Text(help="Equipment and supplies prepared: extinguishers, megaphones, first-aid kits...")
    student_count = fields.Integer(string="Participating Students")
    staff_count = fields.Integer(string="Participating Staff")
    evacuation_seconds = fields.Integer(string="Evacuation Time (s)")
    evacuation_target_seconds = fields.Integer(
        string="Target Evacuation Time (s)", compute="_compute_evacuation",
        help="120 seconds when the tallest teaching building has four floors or fewer, "
        "otherwise the configured target for taller buildings.",
    )
    evacuation_ok = fields.Boolean(string="Evacuation On Time", compute="_compute_evacuation")
    plan_suitable = fields.Boolean()
    staff_in_position = fields.Boolean()
    assessment = fields.Text()
    state = fields.Selection(
        [("planned", "Planned"), ("done", "Done"), ("cancel", "Cancelled")],
        default="planned", required=True, tracking=True, index=True, copy=False,
    )
    problem_ids = fields.One2many("safety.drill.problem", "drill_id", string="Problems Found", copy=False)

    _sql_constraints = [
        (
            "counts_positive",
            "CHECK(student_count >= 0 AND staff_count >= 0 AND evacuation_seconds >= 0)",
            "Participants and evacuation time cannot be negative.",
        ),
    ]

    @api.depends("company_id.safety_building_floors", "evacuation_seconds", "mode")
    def _compute_evacuation(self):
        tall = int(
            self.env["ir.config_parameter"].sudo().get_param(EVACUATION_TARGET_PARAM, EVACUATION_TARGET_TALL)
        )
        for drill in self:
            floors = drill.company_id.sudo().safety_building_floors
            target = EVACUATION_TARGET_LOW if floors <= LOW_BUILDING_FLOORS else tall
            drill.evacuation_target_seconds = target
            drill.evacuation_ok = bool(
                drill.mode == "real" and drill.evacuation_seconds and drill.evacuation_seconds <= target
            )

    @api.constrains("student_count", "staff_count", "evacuation_seconds")
    def _check_counts(self):
        for drill in self:
            if min(drill.student_count, drill.staff_count, drill.evacuation_seconds) < 0:
                raise ValidationError(
                    self.env._("%(drill)s: participants and evacuation time cannot be negative.",
                               drill=drill.name)
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("state", "planned") != "planned":
                raise UserError(self.env._("A new drill is always planned first."))
        return super().create(vals_list)

    def _safety_is_locked(self):
        self.ensure_one()
        return self.state == "done"

    def _safety_locked_message(self):
        return self.env._(
            "%(drill)s is done: the drill record is filed and can no longer change.", drill=self.name
        )

    def _safety_undeletable_message(self):
        return self.env._("A done drill is part of the school's record and cannot be deleted.")

    def _check_not_done(self):
        done = self.filtered(lambda d: d.state == "done")
        if done:
            raise UserError(done[0]._safety_locked_message())

    @api.ondelete(at_uninstall=False)
    def _unlink_except_principal(self):
        if not self.env.su and self.env.user.has_group("school_safety.group_school_principal"):
            # principals read and write their school's drills; deleting is the safety officer's
            raise AccessError(self.env._("Principals cannot delete drills."))

    # Actions ---------------------------------------------------------------

    def _safety_transition_message(self, state):
        labels = dict(self._fields["state"]._description_selection(self.env))
        return self.env._(
            "%(drill)s is %(state)s and cannot go to that status.", drill=self.name, state=labels[self.state]
        )

    def _check_can_be_done(self):
        now = fields.Datetime.now()
        for drill in self:
            if drill.state == "done":
                raise UserError(self.env._("%(drill)s is already done.", drill=drill.name))
            if drill.state != "planned":
                raise UserError(self.env._("%(drill)s is cancelled; reset it to planned first.",
                                           drill=drill.name))
            if not drill.commander_id:
                raise UserError(self.env._("%(drill)s: name the commander of the drill.", drill=drill.name))
            if not drill.date_actual:
                raise UserError(self.env._("%(drill)s: give the date and time the drill was held.",
                                           drill=drill.name))
            if drill.date_actual > now:
                raise ValidationError(
                    self.env._("%(drill)s: the drill cannot be recorded as held in the future.",
                               drill=drill.name)
                )
            if drill.date_actual.date() < drill.date_planned - timedelta(days=DRILL_EARLY_DAYS):
                raise ValidationError(
                    self.env._(
                        "%(drill)s: it was held on %(held)s, more than %(days)s days before its "
                        "planned date %(planned)s. Correct the dates.",
                        drill=drill.name, held=drill.date_actual.date(), days=DRILL_EARLY_DAYS,
                        planned=drill.date_planned,
                    )
                )
            if drill.mode == "real":
                if drill.evacuation_seconds <= 0:
                    raise ValidationError(
                        self.env._("%(drill)s: a real evacuation drill needs its evacuation time.",
                                   drill=drill.name)
                    )
                if drill.student_count + drill.staff_count < 1:
                    raise ValidationError(
                        self.env._("%(drill)s: a real drill needs at least one participant.",
                                   drill=drill.name)
                    )

    def action_done(self):
        """Planned -> done: the record is complete, and each problem found becomes a
        hazard in the ledger (one batch)."""
        self._check_can_be_done()
        self._safety_transition("done")
        self._safety_file_problems()
        return True

    def _safety_file_problems(self):
        """Each problem found, not yet in the ledger, becomes a hazard of the drill (one batch)."""
        problems = self.problem_ids.filtered(lambda p: not p.hazard_id)
        hazards = self._safety_file_hazards(
            [(problem.drill_id, problem._safety_hazard_values(), None) for problem in problems]
        )
        for problem, hazard in zip(problems.sudo(), hazards, strict=True):
            problem.hazard_id = hazard
        return hazards

    def action_cancel(self):
        self._safety_transition("cancel")

    def action_reset(self):
        self._safety_transition("planned")

