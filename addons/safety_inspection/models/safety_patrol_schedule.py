import logging
import re
from datetime import datetime, time, timedelta

import pytz

from odoo import Command, api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.base.models.res_partner import _tz_get

_logger = logging.getLogger(__name__)

WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
TIME_RE = re.compile(r"^([01]?[0-9]|2[0-3]):([0-5][0-9])$")


class SafetyPatrolSchedule(models.Model):
    """When a route is walked: days of week, start times, duration, grace, guards.

    The generation job creates the rounds ahead; times are in the school's
    time zone and stored in UTC, so a 23:30 start of 60 minutes ends the next day.
    """

    _name = "safety.patrol.schedule"
    _description = "Patrol Schedule"
    _inherit = ["safety.school.record", "mail.thread"]
    _order = "company_id, name, id"

    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True)
    route_id = fields.Many2one(
        "safety.patrol.route", required=True, index=True, check_company=True, tracking=True
    )
    mon = fields.Boolean(string="Monday", default=True)
    tue = fields.Boolean(string="Tuesday", default=True)
    wed = fields.Boolean(string="Wednesday", default=True)
    thu = fields.Boolean(string="Thursday", default=True)
    fri = fields.Boolean(string="Friday", default=True)
    sat = fields.Boolean(string="Saturday")
    sun = fields.Boolean(string="Sunday")
    start_times = fields.Char(
        required=True, tracking=True,
        help="Local start times separated by commas, e.g. 07:30, 12:00, 23:30.",
    )
    duration = fields.Integer(string="Duration (min)", required=True, default=60)
    grace_minutes = fields.Integer(string="Grace (min)", default=15)
    tz = fields.Selection(
        _tz_get, string="Time Zone", required=True,
        default=lambda self: self.env.user.tz or "Asia/Shanghai",
    )
    guard_ids = fields.Many2many(
        "res.users", string="Assigned Guards", check_company=True,
        domain="[('company_ids', 'in', company_id)]",
    )
    days_ahead = fields.Integer(default=7, help="Rounds are generated this many days ahead.")
    round_ids = fields.One2many("safety.patrol.round", "schedule_id", string="Rounds")

    _sql_constraints = [
        ("duration_positive", "CHECK(duration > 0)", "A patrol must last at least one minute."),
        ("grace_positive", "CHECK(grace_minutes >= 0)", "Grace minutes cannot be negative."),
        ("days_ahead_range", "CHECK(days_ahead >= 0 AND days_ahead <= 60)",
         "Rounds can be generated at most 60 days ahead."),
    ]

    def _parse_start_times(self):
        self.ensure_one()
        result = []
        for part in (self.start_times or "").replace("，", ",").split(","):
            part = part.strip()
            if not part:
                continue
            match = TIME_RE.match(part)
            if not match:
                return None
            result.append(time(int(match.group(1)), int(match.group(2))))
        return sorted(set(result))

    def _weekdays(self):
        self.ensure_one()
        return [index for index, day in enumerate(WEEKDAYS) if self[day]]

    @api.constrains("start_times")
    def _check_start_times(self):
        for schedule in self:
            if not schedule._parse_start_times():
                raise ValidationError(self.env._(
                    "Schedule %(name)s: start times must be HH:MM values separated by commas, "
                    "not '%(value)s'.",
                    name=schedule.name, value=schedule.start_times or "",
                ))

    @api.constrains("guard_ids")
    def _check_guard_ids(self):
        for schedule in self:
            strangers = schedule.guard_ids.filtered(
                lambda u, c=schedule.company_id: c not in u.company_ids
                or not u.has_group("school_safety.group_security_guard")
            )
            if strangers:
                raise ValidationError(self.env._(
                    "Schedule %(name)s: %(users)s are not guards of %(school)s.",
                    name=schedule.name, users=", ".join(strangers.mapped("name")),
                    school=schedule.company_id.name,
                ))

    # ------------------------------------------------------------------ generation

    def _planned_windows(self, date_from, date_to):
        """(start, end) in naive UTC for every planned round between two local dates."""
        self.ensure_one()
        tz = pytz.timezone(self.tz)
        weekdays = set(self._weekdays())
        windows = []
        day = date_from
        while day <= date_to:
            if day.weekday() in weekdays:
                for start in self._parse_start_times() or []:
                    local = tz.localize(datetime.combine(day, start))
                    utc = local.astimezone(pytz.utc).replace(tzinfo=None)
                    windows.append((utc, utc + timedelta(minutes=self.duration)))
            day += timedelta(days=1)
        return windows

    def _generate_rounds(self, now=None):
        """Create the missing rounds from today to ``days_ahead`` days, idempotently."""
        now = now or fields.Datetime.now()
        Round = self.env["safety.patrol.round"].sudo()
        rounds = Round.search_read(
            [("schedule_id", "in", self.ids), ("planned_start", ">=", now - timedelta(days=2))],
            ["schedule_id", "planned_start"],
        )
        existing = {(r["schedule_id"][0], r["planned_start"]) for r in rounds}
        vals_list = []
        for schedule in self.filtered(lambda s: s.active and s.route_id.active):
            today = pytz.utc.localize(now).astimezone(pytz.timezone(schedule.tz)).date()
            for start, end in schedule._planned_windows(
                today - timedelta(days=1), today + timedelta(days=schedule.days_ahead)
            ):
                if end + timedelta(minutes=schedule.grace_minutes) <= now:
                    continue
                if (schedule.id, start) in existing:
                    continue
                existing.add((schedule.id, start))
                vals_list.append({
                    "schedule_id": schedule.id,
                    "company_id": schedule.company_id.id,
                    "route_id": schedule.route_id.id,
                    "planned_start": start,
                    "planned_end": end,
                    "grace_minutes": schedule.grace_minutes,
                    "guard_ids": [Command.set(schedule.guard_ids.ids)],
                })
        return Round.create(vals_list)

    @api.model
    def _cron_generate_rounds(self):
        schedules = self.sudo().search([("active", "=", True)])
        rounds = schedules._generate_rounds()
        _logger.info("Patrol: %d schedules checked, %d rounds generated", len(schedules), len(rounds))
        return rounds

    def action_generate_rounds(self):
        self.check_access("write")
        rounds = self._generate_rounds()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._("%(count)s rounds generated.", count=len(rounds)),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
