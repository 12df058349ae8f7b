import base64
import logging
from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError

_logger = logging.getLogger(__name__)

OPEN_STATES = ("planned", "in_progress")
CLOSED_STATES = ("completed", "incomplete", "missed")


class SafetyPatrolRound(models.Model):
    """One planned walk of a route by the assigned guards in a time window.

    Outcome: completed (every checkpoint scanned), incomplete (some missed), missed
    (nothing scanned in the window). Scans count by the phone's time, so a scan
    synchronised late still counts and withdraws a "missed" alert already raised.
    """

    _name = "safety.patrol.round"
    _description = "Patrol Round"
    _inherit = ["safety.school.record", "safety.hazard.source", "mail.thread", "mail.activity.mixin"]
    _order = "planned_start desc, id desc"
    _safety_server_fields = frozenset({"state", "scan_ids", "message_ids"})
    # a closed round's outcome follows its scans: a scan synchronised late, a review
    _safety_locked_server_fields = frozenset({"state", "missed_alert"})
    _safety_hazard_source = "patrol"
    _safety_hazard_link = "patrol_round_id"

    name = fields.Char(compute="_compute_name", store=True)
    schedule_id = fields.Many2one(
        "safety.patrol.schedule", index="btree_not_null", check_company=True, ondelete="set null"
    )
    route_id = fields.Many2one(
        "safety.patrol.route", required=True, index=True, check_company=True, ondelete="restrict"
    )
    guard_ids = fields.Many2many(
        "res.users", "safety_patrol_round_guard_rel", "round_id", "user_id",
        string="Assigned Guards", check_company=True,
    )
    planned_start = fields.Datetime(required=True, index=True)
    planned_end = fields.Datetime(required=True)
    grace_minutes = fields.Integer(string="Grace (min)", default=15)
    deadline = fields.Datetime(
        compute="_compute_deadline", store=True, index=True,
        help="End of the window plus the grace minutes: later, the round is closed.",
    )
    state = fields.Selection(
        [
            ("planned", "Planned"),
            ("in_progress", "In Progress"),
            ("completed", "Completed"),
            ("incomplete", "Incomplete"),
            ("missed", "Missed"),
        ],
        default="planned", required=True, index=True, tracking=True, copy=False,
    )
    started_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    actual_start = fields.Datetime(readonly=True, copy=False)
    actual_end = fields.Datetime(readonly=True, copy=False)
    finished = fields.Boolean(readonly=True, copy=False, help="The guard finished the round.")
    incomplete_reason = fields.Text(readonly=True, copy=False)
    scan_ids = fields.One2many("safety.patrol.scan", "round_id", string="Scans")
    checkpoint_total = fields.Integer(string="Checkpoints", compute="_compute_progress", store=True)
    checkpoint_done = fields.Integer(string="Scanned", compute="_compute_progress", store=True)
    missed_checkpoint_ids = fields.Many2many(
        "safety.patrol.checkpoint", string="Missed Checkpoints", compute="_compute_missed_checkpoint_ids"
    )
    flagged_count = fields.Integer(string="Flagged Scans", compute="_compute_progress", store=True)
    missed_alert = fields.Boolean(readonly=True, copy=False, help="A missed-round alert is open.")
    _sql_constraints = [
        ("schedule_start_unique", "UNIQUE(schedule_id, planned_start)",
         "A schedule has only one round at a given start time."),
        ("window_valid", "CHECK(planned_end > planned_start)",
         "A round must end after it starts."),
    ]

    @api.depends("route_id.name", "planned_start")
    def _compute_name(self):
        for patrol in self:
            start = patrol.planned_start and fields.Datetime.context_timestamp(
                patrol.with_context(tz=patrol.schedule_id.tz or patrol.env.user.tz or "Asia/Shanghai"),
                patrol.planned_start,
            )
            patrol.name = f"{patrol.route_id.name or ''} {start.strftime('%Y-%m-%d %H:%M') if start else ''}".strip()

    @api.depends("planned_end", "grace_minutes")
    def _compute_deadline(self):
        for patrol in self:
            patrol.deadline = patrol.planned_end and patrol.planned_end + timedelta(
                minutes=patrol.grace_minutes)

    @api.depends("route_id.line_ids", "scan_ids.counted", "scan_ids.flagged")
    def _compute_progress(self):
        for patrol in self:
            done = patrol.scan_ids.filtered("counted").checkpoint_id
            planned = patrol.route_id.line_ids.checkpoint_id
            patrol.checkpoint_total = len(planned)
            patrol.checkpoint_done = len(done & planned)
            patrol.flagged_count = len(patrol.scan_ids.filtered(lambda s: s.review_state == "pending"))

    @api.depends("route_id.line_ids", "scan_ids.counted")
    def _compute_missed_checkpoint_ids(self):
        for patrol in self:
            done = patrol.scan_ids.filtered("counted").checkpoint_id
            patrol.missed_checkpoint_ids = patrol.route_id.line_ids.checkpoint_id - done

    def _safety_is_locked(self):
        self.ensure_one()
        return self.state in CLOSED_STATES or self.finished

    def _safety_is_kept(self):
        self.ensure_one()
        return self.state != "planned" or bool(self.sudo().scan_ids)

    def _safety_locked_message(self):
        return self.env._(
            "The round %(round)s is closed: its outcome and scans are part of the patrol record.",
            round=self.name,
        )

    def _safety_undeletable_message(self):
        return self.env._(
            "The round %(round)s has been walked or missed: it is part of the patrol record and is kept.",
            round=self.name,
        )

    def _safety_check_client_write(self, vals):
        # once started, a round keeps its route and window; only its guards can still change
        started = self.filtered(lambda r: r.state != "planned")
        if started and self._safety_changed({k: v for k, v in vals.items() if k != "guard_ids"}):
            raise UserError(
                self.env._("The round %(round)s has started: only its guards can still change.",
                           round=started[0].name)
            )

    # ------------------------------------------------------------------ guard side

    def _patrol_check_guard(self):
        """The current user must be an assigned guard of every round (or a supervisor)."""
        user = self.env.user
        for patrol in self:
            if user not in patrol.sudo().guard_ids:
                raise AccessError(self.env._(
                    "You are not assigned to the patrol round %(round)s.", round=patrol.name))

    def _window_tolerance(self):
        return timedelta(seconds=int(self.env["ir.config_parameter"].sudo().get_param(
            "safety_inspection.patrol_window_tolerance", 300)))

    def action_start(self):
        self.ensure_one()
        self._patrol_check_guard()
        patrol = self.sudo()
        now = fields.Datetime.now()
        if patrol.finished or patrol.state not in OPEN_STATES:
            raise UserError(self.env._("The round %(round)s is already closed.", round=patrol.name))
        if now < patrol.planned_start - self._window_tolerance():
            raise UserError(self.env._(
                "The round %(round)s has not opened yet.", round=patrol.name))
        if patrol.state == "planned":
            patrol.write({
                "state": "in_progress", "actual_start": now, "started_by_id": self.env.uid,
            })
        return True

    def action_finish(self, reason=None):
        """Finish the round; a reason is required when checkpoints are missing."""
        self.ensure_one()
        self._patrol_check_guard()
        patrol = self.sudo()
        if patrol.finished or patrol.state not in OPEN_STATES:
            raise UserError(self.env._("The round %(round)s is already closed.", round=patrol.name))
        reason = (reason or "").strip() if isinstance(reason, str) else ""
        if patrol.missed_checkpoint_ids and not reason:
            raise UserError(self.env._(
                "%(count)s checkpoints are not scanned: give a reason to finish the round "
                "incomplete.", count=len(patrol.missed_checkpoint_ids)))
        patrol.write({
            "finished": True,
            "actual_end": fields.Datetime.now(),
            "actual_start": patrol.actual_start or fields.Datetime.now(),
            "started_by_id": patrol.started_by_id.id or self.env.uid,
            "incomplete_reason": reason or False,
        })
        patrol._patrol_evaluate()
        return patrol.state

    def action_report_anomaly(self, note, photo=None, filename=None, checkpoint_id=None):
        """The guard saw something wrong: it becomes a hazard in the ledger."""
        self.ensure_one()
        self._patrol_check_guard()
        if not isinstance(note, str) or not note.strip():
            raise UserError(self.env._("Describe what you saw."))
        patrol = self.sudo()
        checkpoint = patrol.route_id.line_ids.checkpoint_id.filtered(lambda c: c.id == checkpoint_id)
        attachments = self.env["ir.attachment"]
        if photo:
            try:
                raw = base64.b64decode(photo, validate=True)
            except (ValueError, TypeError) as error:
                raise UserError(self.env._("The photo could not be read.")) from error
            if len(raw) > 10 * 1024 * 1024:
                raise UserError(self.env._("The photo is larger than 10 MB."))
            attachments = self.env["ir.attachment"].create({
                "name": filename if isinstance(filename, str) and filename else "anomaly.jpg",
                "raw": raw,
                "res_model": "safety.hazard",
            })
        # the round's step files the finding: exactly these values
        hazard = patrol._safety_file_hazards([(patrol, {
            "location": checkpoint.place or checkpoint.name or patrol.route_id.name,
            "category": "other",
            "level": "general",
            "description": note.strip(),
            "found_by_id": self.env.uid,
            "photo_before_ids": [Command.set(attachments.ids)],
        }, None)])
        attachments.sudo().write({"res_id": hazard.id})
        patrol.message_post(body=self.env._(
            "Anomaly reported by %(user)s: hazard %(hazard)s.",
            user=self.env.user.name, hazard=hazard.name))
        return hazard.id

    @api.model
    def patrol_screen_data(self):
        """Today's rounds of the current guard, for the phone screen."""
        now = fields.Datetime.now()
        rounds = self.search([
            ("guard_ids", "in", self.env.uid),
            ("planned_start", "<=", now + timedelta(hours=12)),
            ("deadline", ">=", now - timedelta(hours=12)),
        ], order="planned_start")
        result = []
        for patrol in rounds.sudo():
            done = patrol.scan_ids.filtered("counted").checkpoint_id
            result.append({
                "id": patrol.id,
                "name": patrol.name,
                "state": patrol.state,
                "finished": patrol.finished,
                "planned_start": fields.Datetime.to_string(patrol.planned_start),
                "planned_end": fields.Datetime.to_string(patrol.planned_end),
                "checkpoints": [
                    {
                        "id": line.checkpoint_id.id,
                        "name": line.checkpoint_id.name,
                        "place": line.checkpoint_id.place or "",
                        "done": line.checkpoint_id in done,
                    }
                    for line in patrol.route_id.line_ids
                ],
            })
        return result

    # ------------------------------------------------------------------ outcome

    def _patrol_evaluate(self, now=None):
        """Recompute the state of the rounds; withdraw or raise missed alerts."""
        now = now or fields.Datetime.now()
        newly_missed = self.sudo().browse()
        for patrol in self.sudo():
            counted = patrol.scan_ids.filtered("counted")
            closed = patrol.finished or (patrol.deadline and patrol.deadline <= now)
            if not closed:
                state = "in_progress" if (counted or patrol.actual_start) else "planned"
            elif not counted:
                state = "missed"
            elif patrol.missed_checkpoint_ids:
                state = "incomplete"
            else:
                state = "completed"
            if state != patrol.state:
                # tracked in the school's language ("计划中 → 漏巡"), not the job's
                patrol.with_context(lang=patrol.company_id._safety_lang()).state = state
            if state == "missed" and not patrol.missed_alert:
                newly_missed |= patrol
            elif state != "missed" and patrol.missed_alert:
                patrol._patrol_withdraw_missed_alert()
        newly_missed._patrol_raise_missed_alert()

    def _patrol_alert_users(self):
        self.ensure_one()
        users = self.company_id.safety_officer_id.user_id | self.company_id.safety_principal_id.user_id
        return users[:1] or self.env.ref("base.user_admin")

    def _patrol_raise_missed_alert(self):
        template = self.env.ref("safety_inspection.mail_template_patrol_round_missed",
                                raise_if_not_found=False)
        for patrol in self:
            user = patrol._patrol_alert_users()
            # in the language of who is told (the job itself runs in English)
            local = patrol.with_context(lang=user.lang or patrol.company_id._safety_lang())
            local.activity_schedule(
                "safety_inspection.mail_activity_patrol_missed",
                user_id=user.id,
                note=local.env._("Nobody scanned a checkpoint of %(round)s in its window.",
                                 round=patrol.name),
            )
            if template:
                template.send_mail(patrol.id)
        self.write({"missed_alert": True})
        if self:
            _logger.info("Patrol: %d rounds missed, alerts raised", len(self))

    def _patrol_withdraw_missed_alert(self):
        activities = self.activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref("safety_inspection.mail_activity_patrol_missed"))
        activities.unlink()
        for patrol in self:
            local = patrol.with_context(lang=patrol.company_id._safety_lang())
            local.message_post(body=local.env._(
                "Missed alert withdrawn: scans taken in the window arrived late; the round is %(state)s.",
                state=dict(self._fields["state"]._description_selection(local.env))[patrol.state],
            ))
        self.write({"missed_alert": False})

    @api.model
    def _cron_close_rounds(self, limit=1000, now=None):
        """Close the rounds past their deadline. ``now`` (server only: the demo builder replays
        the job of past days) is when the job runs, by default now."""
        now = now or fields.Datetime.now()
        rounds = self.sudo().search(
            [("state", "in", OPEN_STATES), ("deadline", "<=", now)], limit=limit, order="deadline")
        rounds._patrol_evaluate(now)
        _logger.info("Patrol: %d rounds closed", len(rounds))
        return rounds
