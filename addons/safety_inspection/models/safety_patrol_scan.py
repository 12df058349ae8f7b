import logging

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

from ..controllers.patrol_payload import PatrolScanError, ScanPayload, as_scan
from . import patrol_suspicion as suspicion
from .patrol_suspicion import FLAGS

_logger = logging.getLogger(__name__)


class SafetyPatrolScan(models.Model):
    """One checkpoint scanned by a guard in a round, as received from the phone.

    Written only by the scan endpoint after its checks; suspicious scans are kept
    and flagged for the safety officer's review, never silently dropped.
    """

    _name = "safety.patrol.scan"
    _description = "Patrol Scan"
    _inherit = ["safety.school.record"]
    _order = "device_time desc, id desc"
    _rec_name = "checkpoint_id"
    # a scan is evidence from the moment it is received: nothing of it is written by a client,
    # its review is the officer's action, and it is never deleted
    _safety_create_fields = frozenset()
    _safety_client_writable = frozenset()
    _safety_locked_server_fields = frozenset({"review_state", "reviewed_by_id"})

    round_id = fields.Many2one("safety.patrol.round", required=True, index=True, ondelete="restrict")
    checkpoint_id = fields.Many2one(
        "safety.patrol.checkpoint", required=True, index=True, ondelete="restrict", check_company=True
    )
    guard_id = fields.Many2one("res.users", required=True, index=True)
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
    flag_position = fields.Boolean(
        string="No Position", readonly=True,
        help="The phone sent no position: where the code was scanned cannot be checked (a "
        "photographed label scanned elsewhere looks the same).",
    )
    flag_note = fields.Text(readonly=True)
    flagged = fields.Boolean(compute="_compute_flagged", store=True, index=True)
    review_state = fields.Selection(
        [("ok", "Not Flagged"), ("pending", "To Review"), ("accepted", "Accepted"),
         ("rejected", "Rejected")],
        default="ok", required=True, index=True, readonly=True,
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

    def _safety_is_locked(self):
        return True

    def _safety_locked_message(self):
        return self.env._(
            "A patrol scan is kept as the phone sent it: only its review can be decided."
        )

    def _safety_undeletable_message(self):
        return self.env._("Patrol scans are part of the patrol record and are never deleted.")

    @api.depends("review_state")
    def _compute_counted(self):
        for scan in self:
            scan.counted = scan.review_state != "rejected"

    # ------------------------------------------------------------------ review

    def _check_reviewer(self):
        if not self.env.user.has_group("school_safety.group_safety_supervisor"):
            raise AccessError(self.env._("Only safety officers review flagged scans."))
        self.check_access("write")

    def action_accept(self):
        self._check_reviewer()
        self.filtered(lambda s: s.review_state in ("pending", "rejected")).sudo().write(
            {"review_state": "accepted", "reviewed_by_id": self.env.uid})
        self.round_id._patrol_evaluate()
        return True

    def action_reject(self):
        self._check_reviewer()
        self.filtered(lambda s: s.review_state in ("pending", "accepted")).sudo().write(
            {"review_state": "rejected", "reviewed_by_id": self.env.uid})
        self.round_id._patrol_evaluate()
        return True

    # ------------------------------------------------------------------ the endpoint
    # The SQL of this section is the scan endpoint's hot path, kept on purpose: five queries
    # per scan where the ORM took about nineteen (test_scan_query_count pins them, and
    # tests/benchmarks/bench_patrol_scan.py measures them under concurrent guards). The ORM
    # has no equivalent for two of them: the round's row lock (FOR NO KEY UPDATE) and the
    # insert that answers a racing resend (ON CONFLICT DO NOTHING).

    @api.model
    def _patrol_existing(self, client_id):
        """The answer to a resent scan (one query), or None when the client id is new."""
        self.env.cr.execute(SQL(
            """SELECT s.id, s.guard_id, r.state, %s
                 FROM safety_patrol_scan s
                 JOIN safety_patrol_round r ON r.id = s.round_id
                WHERE s.client_id = %s""",
            SQL(", ").join(SQL.identifier("s", f"flag_{flag}") for flag in FLAGS), client_id,
        ))
        row = self.env.cr.fetchone()
        if not row:
            return None
        scan_id, guard_id, round_state, *flags = row
        if guard_id != self.env.uid:
            raise PatrolScanError("client_id_conflict", self.env._(
                "This client id belongs to another scan."))
        return {"ok": True, "scan_id": scan_id, "duplicate": True,
                "flags": [flag for flag, on in zip(FLAGS, flags, strict=True) if on], "round_state": round_state}

    @api.model
    def _patrol_receive(self, scan, remote_addr=None):
        """Answer one scan request: the result dict, or an error code; rejections are logged.

        ``scan`` is the route's ``ScanPayload`` (controllers/patrol_payload.py), or the phone's
        dict from a server caller, checked by the same ``parse_scan`` in ``_patrol_register``.
        """
        try:
            return self._patrol_register(scan)
        except PatrolScanError as error:
            sent = scan._asdict() if isinstance(scan, ScanPayload) else scan if isinstance(scan, dict) else {}
            _logger.warning(
                "Patrol scan rejected: code=%s user=%s ip=%s round=%.80r client_id=%.80r",
                error.code, self.env.uid, remote_addr, sent.get("round_id"), sent.get("client_id"),
            )
            return {"ok": False, "error": error.code, "message": error.translated(self.env)}

    @api.model
    def _patrol_register(self, scan, now=None):
        """Check and store one scan from the phone; the single entry point of the endpoint.

        ``scan`` is a ``ScanPayload``: the values the phone sent, checked by the route with
        ``patrol_payload.parse_scan``. A server caller (the demo builder) may give the phone's
        dict instead: it is checked by the same function first, so nothing unchecked reaches
        the SQL below (a client cannot call this private method at all).

        ``now`` is when the server receives the scan: the real time for the endpoint (which
        gives none); the demo builder replays scans received days ago at their own time.

        Returns ``{"ok": True, "scan_id", "duplicate", "flags", "round_state"}`` or raises
        PatrolScanError(code, message); nothing is written on error.

        This is the hot path of every guard's phone, so it reads what the checks need in
        three queries (resent scan; round, locked; checkpoint, stop and earlier scans) and
        writes the scan and the round's progress in two, where the ORM would take about
        twenty.  The round's state changes (planned → in progress, a late scan reopening a
        missed round) still go through the ORM, for tracking and alerts.
        """
        scan = as_scan(scan)
        self.env.flush_all()  # the queries below must see pending ORM writes
        existing = self._patrol_existing(scan.client_id)
        if existing:
            return existing
        patrol = self._patrol_lock_round(scan.round_id)
        if not patrol or patrol["company_id"] not in self.env.user._get_company_ids():
            raise PatrolScanError("round_unknown", self.env._("This patrol round does not exist."))
        if not patrol["assigned"]:
            raise PatrolScanError("not_assigned", self.env._(
                "You are not assigned to the round %(round)s.", round=patrol["name"]))
        Checkpoint = self.env["safety.patrol.checkpoint"]
        checkpoint_id, version, error = Checkpoint._patrol_parse_token(scan.token)
        stop = None
        if not error:
            stop = self._patrol_stop(patrol, checkpoint_id, scan.device_time)
            error = Checkpoint._patrol_token_state(version, stop)
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
        if stop["company_id"] != patrol["company_id"]:
            raise PatrolScanError("checkpoint_other_school", self.env._(
                "This checkpoint belongs to another school."))
        if not stop["line_id"]:
            raise PatrolScanError("checkpoint_not_on_route", self.env._(
                "The checkpoint %(checkpoint)s is not on the route of this round.",
                checkpoint=stop["name"]))
        if patrol["finished"]:
            raise PatrolScanError("round_finished", self.env._(
                "The round %(round)s was already finished.", round=patrol["name"]))
        tolerance = self.env["safety.patrol.round"]._window_tolerance()
        if not (patrol["planned_start"] - tolerance <= scan.device_time <= patrol["deadline"] + tolerance):
            raise PatrolScanError("outside_window", self.env._(
                "This scan was taken outside the window of the round %(round)s.",
                round=patrol["name"]))
        if stop["already_scanned"]:
            raise PatrolScanError("already_scanned", self.env._(
                "The checkpoint %(checkpoint)s was already scanned in this round.",
                checkpoint=stop["name"]))
        now = now or fields.Datetime.now()
        vals = {
            "round_id": scan.round_id,
            "company_id": patrol["company_id"],
            "checkpoint_id": checkpoint_id,
            "guard_id": self.env.uid,
            "client_id": scan.client_id,
            "token_version": version,
            "device_time": scan.device_time,
            "sent_time": scan.sent_time,
            "server_time": now,
            "latitude": scan.latitude or 0.0,
            "longitude": scan.longitude or 0.0,
            "has_position": scan.has_position,
            "accuracy": scan.accuracy or 0.0,
            "device": scan.device,
        }
        flags, notes = self._patrol_suspicions(patrol, stop, scan, now)
        vals.update({f"flag_{flag}": flag in flags for flag in FLAGS})
        vals.update({
            "flag_note": "\n".join(notes) or None,
            "flagged": bool(flags),
            "review_state": "pending" if flags else "ok",
            "counted": True,
            "create_uid": self.env.uid, "create_date": now,
            "write_uid": self.env.uid, "write_date": now,
        })
        scan_id = self._patrol_insert(vals)
        if not scan_id:
            # the client id was stored for another round meanwhile (the same round is locked)
            existing = self._patrol_existing(scan.client_id)
            if existing:
                return existing
            raise PatrolScanError("client_id_conflict", self.env._(
                "This client id belongs to another scan."))
        state = patrol["state"]
        if state != "in_progress" or patrol["deadline"] <= now:
            round_record = self.env["safety.patrol.round"].sudo().browse(scan.round_id)
            round_record._patrol_evaluate(now)
            state = round_record.state
        return {"ok": True, "scan_id": scan_id, "duplicate": False, "flags": list(flags),
                "round_state": state}

    @api.model
    def _patrol_lock_round(self, round_id):
        """The round of a scan as a dict, its row locked until the end of the transaction.

        Scans of one round are serialised: a concurrent request for the same round waits
        here, and once the first one committed (and so updated the round's progress) fails
        with a serialisation error, which Odoo retries with a fresh snapshot where the
        first scan (a resend's twin) is visible.
        """
        self.env.cr.execute(SQL(
            """SELECT r.id, r.company_id, r.route_id, r.name, r.state, r.finished, r.planned_start,
                      r.deadline, r.actual_start,
                      EXISTS(SELECT 1 FROM safety_patrol_round_guard_rel g
                              WHERE g.round_id = r.id AND g.user_id = %(uid)s) AS assigned
                 FROM safety_patrol_round r
                WHERE r.id = %(round)s
                  FOR NO KEY UPDATE OF r""",
            uid=self.env.uid, round=round_id,
        ))
        return self.env.cr.dictfetchone()

    @api.model
    def _patrol_stop(self, patrol, checkpoint_id, device_time):
        """What the checks need about the scanned checkpoint, in one query (None if unknown):
        the checkpoint, its stop on the round's route, whether it was scanned already, the
        in-order stops before it not scanned yet, the round's first scan and the scan just
        before this one by device time."""
        self.env.cr.execute(SQL(
            """SELECT c.company_id, c.active, c.token_version, c.name, c.latitude, c.longitude,
                      c.radius, l.id AS line_id, l.order_mode, l.min_minutes, l.max_minutes,
                      EXISTS(SELECT 1 FROM safety_patrol_scan s
                              WHERE s.round_id = %(round)s AND s.counted
                                AND s.checkpoint_id = c.id) AS already_scanned,
                      ARRAY(SELECT ec.name
                              FROM safety_patrol_route_line e
                              JOIN safety_patrol_checkpoint ec ON ec.id = e.checkpoint_id
                             WHERE l.order_mode = 'required' AND e.route_id = l.route_id
                               AND e.order_mode = 'required'
                               AND (e.sequence, e.id) < (l.sequence, l.id)
                               AND NOT EXISTS(SELECT 1 FROM safety_patrol_scan s
                                               WHERE s.round_id = %(round)s AND s.counted
                                                 AND s.checkpoint_id = e.checkpoint_id)
                             ORDER BY e.sequence, e.id) AS skipped,
                      (SELECT min(s.device_time) FROM safety_patrol_scan s
                        WHERE s.round_id = %(round)s AND s.counted) AS first_time,
                      b.device_time AS before_time, b.has_position AS before_has_position,
                      b.latitude AS before_latitude, b.longitude AS before_longitude,
                      bc.name AS before_name
                 FROM safety_patrol_checkpoint c
            LEFT JOIN safety_patrol_route_line l
                   ON l.route_id = %(route)s AND l.checkpoint_id = c.id
            LEFT JOIN LATERAL (
                       SELECT s.device_time, s.has_position, s.latitude, s.longitude, s.checkpoint_id
                         FROM safety_patrol_scan s
                        WHERE s.round_id = %(round)s AND s.counted AND s.device_time <= %(time)s
                     ORDER BY s.device_time DESC, s.id DESC
                        LIMIT 1) b ON TRUE
            LEFT JOIN safety_patrol_checkpoint bc ON bc.id = b.checkpoint_id
                WHERE c.id = %(checkpoint)s""",
            round=patrol["id"], route=patrol["route_id"], checkpoint=checkpoint_id, time=device_time,
        ))
        return self.env.cr.dictfetchone()

    @api.model
    def _patrol_insert(self, vals):
        """Store the scan and the round's progress; return the new id, or None when the
        client id exists already.  The ORM caches that the two rows make stale are dropped."""
        columns = list(vals)
        self.env.cr.execute(SQL(
            """INSERT INTO safety_patrol_scan (%s) VALUES %s
               ON CONFLICT (client_id) DO NOTHING RETURNING id""",
            SQL(", ").join(map(SQL.identifier, columns)), tuple(vals[column] for column in columns),
        ))
        row = self.env.cr.fetchone()
        if not row:
            return None
        # the same figures as safety.patrol.round._compute_progress, counted in SQL
        self.env.cr.execute(SQL(
            """UPDATE safety_patrol_round r
                  SET checkpoint_done = (
                          SELECT count(DISTINCT s.checkpoint_id)
                            FROM safety_patrol_scan s
                            JOIN safety_patrol_route_line l
                              ON l.route_id = r.route_id AND l.checkpoint_id = s.checkpoint_id
                           WHERE s.round_id = r.id AND s.counted),
                      flagged_count = (
                          SELECT count(*) FROM safety_patrol_scan s
                           WHERE s.round_id = r.id AND s.review_state = 'pending'),
                      actual_start = LEAST(r.actual_start, %(time)s),
                      started_by_id = COALESCE(r.started_by_id, %(uid)s),
                      write_uid = %(uid)s, write_date = %(now)s
                WHERE r.id = %(round)s""",
            time=vals["device_time"], uid=self.env.uid, now=vals["write_date"], round=vals["round_id"],
        ))
        self.env["safety.patrol.round"].invalidate_model([
            "scan_ids", "checkpoint_done", "flagged_count", "missed_checkpoint_ids",
            "actual_start", "started_by_id", "write_uid", "write_date",
        ])
        self.env["safety.patrol.checkpoint"].invalidate_model(["last_scan_date", "days_since_scan"])
        return row[0]

    @api.model
    def _patrol_thresholds(self):
        """The suspicion rules' system parameters (cached by ir.config_parameter: no query)."""
        params = self.env["ir.config_parameter"].sudo()
        default = suspicion.Thresholds()
        return suspicion.Thresholds(
            max_speed=float(params.get_param("safety_inspection.patrol_max_speed", default.max_speed)),
            min_gap=int(params.get_param("safety_inspection.patrol_min_gap", default.min_gap)),
            max_skew=int(params.get_param("safety_inspection.patrol_max_clock_skew", default.max_skew)),
            require_position=params.get_param("safety_inspection.patrol_require_position", "1") not in (
                "0", "False", "false", ""),
        )

    @api.model
    def _patrol_suspicions(self, patrol, stop, scan, now):
        """The suspicious-scan rules of patrol_suspicion.py, run once when the scan arrives,
        on the round (``_patrol_lock_round``), the stop and earlier scans (``_patrol_stop``),
        the checked scan and the time it was received: ``(flags, notes)``, in rule order."""
        limits = self._patrol_thresholds()
        here = suspicion.Position(scan.latitude, scan.longitude) if scan.has_position else None
        previous = None
        if stop["before_time"]:
            there = None
            if stop["before_has_position"]:
                there = suspicion.Position(float(stop["before_latitude"]), float(stop["before_longitude"]))
            previous = suspicion.PreviousScan(stop["before_time"], there, stop["before_name"])
        radius = stop["radius"] or 0
        reasons = (
            ("geofence", suspicion.geofence(
                here, scan.accuracy, suspicion.located(stop["latitude"], stop["longitude"]), radius)),
            ("travel", suspicion.travel(here, scan.device_time, previous, radius, limits.max_speed)),
            ("gap", suspicion.gap(scan.device_time, previous, limits.min_gap)),
            ("clock", suspicion.clock(scan.device_time, scan.sent_time, now, limits.max_skew)),
            ("position", suspicion.no_position(here, limits.require_position)),
            ("order", suspicion.order(stop["skipped"])),
            ("timing", suspicion.timing(scan.device_time, patrol["actual_start"], stop["first_time"],
                                        stop["min_minutes"], stop["max_minutes"])),
        )
        raised = [(flag, reason) for flag, reason in reasons if reason is not None]
        return [flag for flag, _reason in raised], [self.env._(reason) for _flag, reason in raised]
