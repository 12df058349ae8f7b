import logging
import math
import re
from datetime import datetime, timedelta, timezone

import psycopg2

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

CLIENT_ID_RE = re.compile(r"^[A-Za-z0-9-]{8,64}$")
FLAGS = ("geofence", "travel", "gap", "clock", "order", "timing")
PAYLOAD_FIELDS = {
    "round_id": (int,),
    "token": (str,),
    "client_id": (str,),
    "device_time": (str,),
    "sent_time": (str, type(None)),
    "latitude": (int, float, type(None)),
    "longitude": (int, float, type(None)),
    "accuracy": (int, float, type(None)),
    "device": (str, type(None)),
}
REQUIRED_FIELDS = ("round_id", "token", "client_id", "device_time")


class PatrolScanError(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


def _distance_m(lat1, lon1, lat2, lon2):
    """Great-circle distance in metres."""
    rlat1, rlat2 = math.radians(lat1), math.radians(lat2)
    dlat, dlon = rlat2 - rlat1, math.radians(lon2 - lon1)
    a = math.sin(dlat / 2) ** 2 + math.cos(rlat1) * math.cos(rlat2) * math.sin(dlon / 2) ** 2
    return 2 * 6371000 * math.asin(math.sqrt(a))


def _parse_time(value):
    """ISO 8601 with an offset (or Z) to naive UTC; None when invalid."""
    if not isinstance(value, str) or len(value) > 40:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        return None
    return parsed.astimezone(timezone.utc).replace(tzinfo=None, microsecond=0)


class SafetyPatrolScan(models.Model):
    """One checkpoint scanned by a guard in a round, as received from the phone.

    Written only by the scan endpoint after its checks; suspicious scans are kept
    and flagged for the safety officer's review, never silently dropped.
    """

    _name = "safety.patrol.scan"
    _description = "Patrol Scan"
    _order = "device_time desc, id desc"
    _check_company_auto = True
    _rec_name = "checkpoint_id"

    round_id = fields.Many2one("safety.patrol.round", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one("res.company", string="School", required=True, index=True)
    checkpoint_id = fields.Many2one(
        "safety.patrol.checkpoint", required=True, index=True, ondelete="restrict", check_company=True
    )
    guard_id = fields.Many2one("res.users", string="Guard", required=True, index=True)
    client_id = fields.Char(string="Client ID", required=True, readonly=True)
    token_version = fields.Integer(readonly=True)
    device_time = fields.Datetime(required=True, readonly=True, help="When the phone scanned.")
    sent_time = fields.Datetime(readonly=True, help="The phone's clock when it sent the scan.")
    server_time = fields.Datetime(
        required=True, readonly=True, default=fields.Datetime.now, help="When the server received it."
    )
    latitude = fields.Float(digits=(10, 7), readonly=True)
    longitude = fields.Float(digits=(10, 7), readonly=True)
    has_position = fields.Boolean(readonly=True)
    accuracy = fields.Float(string="Accuracy (m)", readonly=True)
    device = fields.Char(readonly=True)
    flag_geofence = fields.Boolean(string="Outside Geofence", readonly=True)
    flag_travel = fields.Boolean(string="Impossible Travel", readonly=True)
    flag_gap = fields.Boolean(string="Gap Too Short", readonly=True)
    flag_clock = fields.Boolean(string="Device Clock Off", readonly=True)
    flag_order = fields.Boolean(string="Out of Order", readonly=True)
    flag_timing = fields.Boolean(string="Wrong Time", readonly=True, help="误点: outside the stop's time window.")
    flag_note = fields.Text(readonly=True)
    flagged = fields.Boolean(compute="_compute_flagged", store=True, index=True)
    review_state = fields.Selection(
        [("ok", "Not Flagged"), ("pending", "To Review"), ("accepted", "Accepted"),
         ("rejected", "Rejected")],
        default="ok", required=True, index=True,
    )
    reviewed_by_id = fields.Many2one("res.users", readonly=True)
    counted = fields.Boolean(
        compute="_compute_counted", store=True,
        help="Counts towards the round: not rejected by the reviewer.",
    )

    _sql_constraints = [
        ("client_id_unique", "UNIQUE(client_id)", "A scan with this client id already exists."),
    ]

    @api.depends(*(f"flag_{flag}" for flag in FLAGS))
    def _compute_flagged(self):
        for scan in self:
            scan.flagged = any(scan[f"flag_{flag}"] for flag in FLAGS)

    @api.depends("review_state")
    def _compute_counted(self):
        for scan in self:
            scan.counted = scan.review_state != "rejected"

    def _flag_codes(self):
        self.ensure_one()
        return [flag for flag in FLAGS if self[f"flag_{flag}"]]

    # ------------------------------------------------------------------ review

    def _check_reviewer(self):
        if not (self.env.user.has_group("school_safety.group_school_safety_officer")
                or self.env.user.has_group("school_safety.group_bureau_inspector")):
            raise AccessError(self.env._("Only safety officers review flagged scans."))
        self.check_access("write")

    def action_accept(self):
        self._check_reviewer()
        self.filtered(lambda s: s.review_state in ("pending", "rejected")).write(
            {"review_state": "accepted", "reviewed_by_id": self.env.uid})
        self.round_id._patrol_evaluate()
        return True

    def action_reject(self):
        self._check_reviewer()
        self.filtered(lambda s: s.review_state in ("pending", "accepted")).write(
            {"review_state": "rejected", "reviewed_by_id": self.env.uid})
        self.round_id._patrol_evaluate()
        return True

    # ------------------------------------------------------------------ the endpoint

    @api.model
    def _patrol_validate_payload(self, payload):
        if not isinstance(payload, dict):
            raise PatrolScanError("bad_request", self.env._("The scan must be a JSON object."))
        unknown = set(payload) - set(PAYLOAD_FIELDS)
        if unknown:
            raise PatrolScanError("bad_request", self.env._(
                "Unknown fields: %(fields)s.", fields=", ".join(sorted(unknown))))
        for name in REQUIRED_FIELDS:
            if payload.get(name) in (None, ""):
                raise PatrolScanError("bad_request", self.env._(
                    "The field %(field)s is required.", field=name))
        for name, value in payload.items():
            types = PAYLOAD_FIELDS[name]
            if isinstance(value, bool) or not isinstance(value, types):
                raise PatrolScanError("bad_request", self.env._(
                    "The field %(field)s has the wrong type.", field=name))
        if not CLIENT_ID_RE.match(payload["client_id"]):
            raise PatrolScanError("bad_request", self.env._(
                "The client id must be 8 to 64 letters, digits or dashes."))
        device_time = _parse_time(payload["device_time"])
        if not device_time:
            raise PatrolScanError("bad_request", self.env._(
                "The device time must be an ISO 8601 date and time with its offset."))
        sent_time = None
        if payload.get("sent_time") is not None:
            sent_time = _parse_time(payload["sent_time"])
            if not sent_time:
                raise PatrolScanError("bad_request", self.env._(
                    "The sent time must be an ISO 8601 date and time with its offset."))
        lat, lon, acc = payload.get("latitude"), payload.get("longitude"), payload.get("accuracy")
        if (lat is None) != (lon is None):
            raise PatrolScanError("bad_request", self.env._(
                "Latitude and longitude go together."))
        if lat is not None and not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise PatrolScanError("bad_request", self.env._("The position is out of range."))
        if acc is not None and not (0 <= acc <= 100000):
            raise PatrolScanError("bad_request", self.env._("The accuracy is out of range."))
        if payload.get("device") and len(payload["device"]) > 128:
            raise PatrolScanError("bad_request", self.env._("The device name is too long."))
        if not (0 < payload["round_id"] < 2**31):
            raise PatrolScanError("round_unknown", self.env._("This patrol round does not exist."))
        return device_time, sent_time

    @api.model
    def _patrol_existing(self, client_id):
        scan = self.sudo().search([("client_id", "=", client_id)], limit=1)
        if not scan:
            return None
        if scan.guard_id != self.env.user:
            raise PatrolScanError("client_id_conflict", self.env._(
                "This client id belongs to another scan."))
        return {"ok": True, "scan_id": scan.id, "duplicate": True, "flags": scan._flag_codes(),
                "round_state": scan.round_id.state}

    @api.model
    def _patrol_receive(self, payload, remote_addr=None):
        """Answer one scan request: the result dict, or an error code; rejections are logged."""
        try:
            return self._patrol_register(payload)
        except PatrolScanError as error:
            scan = payload if isinstance(payload, dict) else {}
            _logger.warning(
                "Patrol scan rejected: code=%s user=%s ip=%s round=%r client_id=%r",
                error.code, self.env.uid, remote_addr, scan.get("round_id"), scan.get("client_id"),
            )
            return {"ok": False, "error": error.code, "message": error.message}

    @api.model
    def _patrol_register(self, payload):
        """Check and store one scan from the phone; the single entry point of the endpoint.

        Returns ``{"ok": True, "scan_id", "duplicate", "flags", "round_state"}`` or raises
        PatrolScanError(code, message); nothing is written on error.
        """
        device_time, sent_time = self._patrol_validate_payload(payload)
        existing = self._patrol_existing(payload["client_id"])
        if existing:
            return existing
        user = self.env.user
        patrol = self.env["safety.patrol.round"].sudo().browse(payload["round_id"]).exists()
        if not patrol or patrol.company_id not in user.company_ids:
            raise PatrolScanError("round_unknown", self.env._("This patrol round does not exist."))
        if user not in patrol.guard_ids:
            raise PatrolScanError("not_assigned", self.env._(
                "You are not assigned to the round %(round)s.", round=patrol.name))
        # Scans of one round are serialised: touching the round's row makes a concurrent
        # request for the same round wait, then fail with a serialisation error that Odoo
        # retries with a fresh snapshot, where the first scan (a retry's twin) is visible.
        self.env.cr.execute(SQL(
            "UPDATE safety_patrol_round SET write_date = write_date WHERE id = %s", patrol.id))
        checkpoint, error = self.env["safety.patrol.checkpoint"]._patrol_check_token(payload["token"])
        if error:
            messages = {
                "token_malformed": self.env._("This is not a patrol checkpoint code."),
                "token_foreign_db": self.env._("This code belongs to another patrol system."),
                "token_forged": self.env._("This code is not genuine: its signature does not match."),
                "token_unknown_checkpoint": self.env._("This checkpoint no longer exists."),
                "token_reissued": self.env._(
                    "This label was replaced by a new one: scan the current label."),
            }
            raise PatrolScanError(error, messages[error])
        if checkpoint.company_id != patrol.company_id:
            raise PatrolScanError("checkpoint_other_school", self.env._(
                "This checkpoint belongs to another school."))
        line = patrol.route_id.line_ids.filtered(lambda l: l.checkpoint_id == checkpoint)
        if not line:
            raise PatrolScanError("checkpoint_not_on_route", self.env._(
                "The checkpoint %(checkpoint)s is not on the route of this round.",
                checkpoint=checkpoint.name))
        if patrol.finished:
            raise PatrolScanError("round_finished", self.env._(
                "The round %(round)s was already finished.", round=patrol.name))
        tolerance = patrol._window_tolerance()
        if not (patrol.planned_start - tolerance <= device_time <= patrol.deadline + tolerance):
            raise PatrolScanError("outside_window", self.env._(
                "This scan was taken outside the window of the round %(round)s.", round=patrol.name))
        previous = patrol.scan_ids.filtered("counted")
        if checkpoint in previous.checkpoint_id:
            raise PatrolScanError("already_scanned", self.env._(
                "The checkpoint %(checkpoint)s was already scanned in this round.",
                checkpoint=checkpoint.name))
        now = fields.Datetime.now()
        vals = {
            "round_id": patrol.id,
            "company_id": patrol.company_id.id,
            "checkpoint_id": checkpoint.id,
            "guard_id": user.id,
            "client_id": payload["client_id"],
            "token_version": checkpoint.token_version,
            "device_time": device_time,
            "sent_time": sent_time,
            "server_time": now,
            "latitude": payload.get("latitude") or 0.0,
            "longitude": payload.get("longitude") or 0.0,
            "has_position": payload.get("latitude") is not None,
            "accuracy": payload.get("accuracy") or 0.0,
            "device": payload.get("device") or False,
        }
        flags, notes = self._patrol_suspicions(patrol, line, checkpoint, previous, vals, now)
        vals.update({f"flag_{flag}": True for flag in flags})
        vals["flag_note"] = "\n".join(notes) or False
        vals["review_state"] = "pending" if flags else "ok"
        try:
            with self.env.cr.savepoint():
                scan = self.sudo().create(vals)
        except psycopg2.errors.UniqueViolation as violation:
            # the same client id is being stored for another round right now
            existing = self._patrol_existing(payload["client_id"])
            if existing:
                return existing
            raise PatrolScanError("client_id_conflict", self.env._(
                "This client id belongs to another scan.")) from violation
        round_vals = {}
        if not patrol.actual_start or device_time < patrol.actual_start:
            round_vals["actual_start"] = device_time
        if not patrol.started_by_id:
            round_vals["started_by_id"] = user.id
        if round_vals:
            patrol.write(round_vals)
        if patrol.state != "in_progress" or patrol.deadline <= now:
            patrol._patrol_evaluate(now)
        return {"ok": True, "scan_id": scan.id, "duplicate": False, "flags": list(flags),
                "round_state": patrol.state}

    @api.model
    def _patrol_suspicions(self, patrol, line, checkpoint, previous, vals, now):
        """The suspicious-scan rules, run once when the scan arrives."""
        params = self.env["ir.config_parameter"].sudo()
        max_speed = float(params.get_param("safety_inspection.patrol_max_speed", 7.0))
        min_gap = int(params.get_param("safety_inspection.patrol_min_gap", 20))
        max_skew = int(params.get_param("safety_inspection.patrol_max_clock_skew", 300))
        flags, notes = [], []
        device_time = vals["device_time"]
        # geofence
        if vals["has_position"] and (checkpoint.latitude or checkpoint.longitude):
            distance = _distance_m(vals["latitude"], vals["longitude"],
                                   checkpoint.latitude, checkpoint.longitude)
            if distance > checkpoint.radius + min(vals["accuracy"], checkpoint.radius):
                flags.append("geofence")
                notes.append(self.env._("%(distance)d m from the checkpoint (radius %(radius)d m).",
                                        distance=distance, radius=checkpoint.radius))
        # travel and gap against the scan just before by device time
        before = previous.filtered(lambda s: s.device_time <= device_time).sorted("device_time")[-1:]
        if before:
            seconds = (device_time - before.device_time).total_seconds()
            if vals["has_position"] and before.has_position:
                distance = _distance_m(vals["latitude"], vals["longitude"],
                                       before.latitude, before.longitude)
                if distance > 2 * checkpoint.radius and distance > max_speed * max(seconds, 1):
                    flags.append("travel")
                    notes.append(self.env._("%(distance)d m in %(seconds)d s since %(previous)s.",
                                            distance=distance, seconds=seconds,
                                            previous=before.checkpoint_id.name))
            if seconds < min_gap:
                flags.append("gap")
                notes.append(self.env._("Only %(seconds)d s after %(previous)s.",
                                        seconds=seconds, previous=before.checkpoint_id.name))
        # device clock
        reference = vals["sent_time"] or device_time
        if abs((now - reference).total_seconds()) > max_skew and (
                vals["sent_time"] or device_time > now):
            flags.append("clock")
            notes.append(self.env._("The phone's clock is %(seconds)d s off the server's.",
                                    seconds=(reference - now).total_seconds()))
        # order: every earlier in-order stop must be scanned already
        if line.order_mode == "required":
            earlier = patrol.route_id.line_ids.filtered(
                lambda l: l.order_mode == "required" and (l.sequence, l.id) < (line.sequence, line.id))
            skipped = earlier.checkpoint_id - previous.checkpoint_id
            if skipped:
                flags.append("order")
                notes.append(self.env._("Scanned before %(checkpoints)s.",
                                        checkpoints=", ".join(skipped.mapped("name"))))
        # time window of the stop from the round's start
        start = patrol.actual_start or device_time
        if previous:
            start = min(start, min(previous.mapped("device_time")))
        minutes = (device_time - start).total_seconds() / 60
        if (line.min_minutes and minutes < line.min_minutes) or (
                line.max_minutes and minutes > line.max_minutes):
            flags.append("timing")
            notes.append(self.env._("Scanned %(minutes)d min after the start, expected "
                                    "%(min)d to %(max)d min.", minutes=minutes,
                                    min=line.min_minutes, max=line.max_minutes or 0))
        return flags, notes
