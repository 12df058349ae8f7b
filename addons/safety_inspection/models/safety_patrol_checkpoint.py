import base64
import hashlib
import hmac
import io
import re
import secrets
from datetime import timedelta

import qrcode

from odoo import api, fields, models
from odoo.exceptions import AccessError

TOKEN_PREFIX = "SP1"
SECRET_PARAM = "safety_inspection.patrol_secret"
TOKEN_RE = re.compile(r"^SP1\.([0-9a-f]{8})\.([1-9][0-9]{0,9})\.([1-9][0-9]{0,5})\.([A-Za-z0-9_-]{16})$")
SUPERVISORS = "school_safety.group_safety_supervisor"


class SafetyPatrolCheckpoint(models.Model):
    """A place a guard must visit, marked by a QR label carrying a signed token.

    The token is ``SP1.<db>.<checkpoint id>.<version>.<signature>``: the signature is
    an HMAC-SHA256 with a per-database secret, so a label cannot be forged, and the
    version lets a defaced or peeled-off label be re-issued, invalidating the old one.
    """

    _name = "safety.patrol.checkpoint"
    _description = "Patrol Checkpoint"
    _inherit = ["safety.school.record", "mail.thread"]
    _order = "company_id, name, id"

    name = fields.Char(required=True, tracking=True, index="trigram")
    active = fields.Boolean(default=True)
    place = fields.Char(help="Where the label hangs, e.g. 'north gate, left pillar'.")
    latitude = fields.Float(digits=(10, 7))
    longitude = fields.Float(digits=(10, 7))
    radius = fields.Integer(
        string="Radius (m)", default=50,
        help="Scans farther than this from the position are flagged for review.",
    )
    key_area = fields.Boolean(
        help="Key areas must be patrolled at least 5 times a day (GB/T 29315-2022)."
    )
    token_version = fields.Integer(default=1, readonly=True, copy=False, tracking=True)
    qr_payload = fields.Char(
        string="QR Code Content", compute="_compute_qr_payload", groups=SUPERVISORS
    )
    qr_image = fields.Binary(string="QR Code", compute="_compute_qr_payload", groups=SUPERVISORS)
    last_scan_date = fields.Datetime(
        string="Last Scan", compute="_compute_last_scan_date", search="_search_last_scan_date",
        help="When a counted scan of this checkpoint was last taken (by the phone's time).",
    )
    days_since_scan = fields.Integer(
        compute="_compute_last_scan_date", help="Days since the last counted scan (0 when never scanned).",
    )
    scan_age = fields.Char(string="Since Last Scan", compute="_compute_last_scan_date")
    stale = fields.Boolean(
        string="Not Scanned Recently", compute="_compute_last_scan_date", search="_search_stale",
        help="No counted scan for the number of days in the system parameter "
             "safety_inspection.patrol_stale_days (3 by default).",
    )
    route_line_ids = fields.One2many("safety.patrol.route.line", "checkpoint_id", string="Route Stops")
    plan_rounds_per_day = fields.Integer(
        string="Planned Rounds per Day", compute="_compute_plan_rounds_per_day",
        help="Fewest planned rounds passing here on any day that has patrols.",
    )
    plan_ok = fields.Boolean(
        string="Plan Meets Standard", compute="_compute_plan_rounds_per_day",
        help="False for a key area planned fewer than 5 times on some patrol day.",
    )

    _sql_constraints = [
        ("radius_positive", "CHECK(radius > 0)", "The radius of a checkpoint must be positive."),
    ]

    @api.depends("token_version")
    def _compute_qr_payload(self):
        for checkpoint in self:
            if not checkpoint.id:
                checkpoint.qr_payload = checkpoint.qr_image = False
                continue
            checkpoint.qr_payload = checkpoint._patrol_token()
            checkpoint.qr_image = base64.b64encode(self._patrol_qr_png(checkpoint.qr_payload))

    def _compute_last_scan_date(self):
        """Read from the scans rather than written on every scan: no hot row to lock."""
        last = dict(self.env["safety.patrol.scan"].sudo()._read_group(
            [("checkpoint_id", "in", self.ids), ("counted", "=", True)],
            ["checkpoint_id"], ["device_time:max"],
        ))
        now = fields.Datetime.now()
        limit = now - timedelta(days=self._patrol_stale_days())
        for checkpoint in self:
            checkpoint.last_scan_date = last.get(checkpoint)
            days = (now - checkpoint.last_scan_date).days if checkpoint.last_scan_date else 0
            checkpoint.days_since_scan = days
            if not checkpoint.last_scan_date:
                checkpoint.scan_age = self.env._("Never scanned")
            elif not days:
                checkpoint.scan_age = self.env._("Today")
            else:
                checkpoint.scan_age = self.env._("%(days)s days ago", days=days)
            checkpoint.stale = not checkpoint.last_scan_date or checkpoint.last_scan_date < limit

    def _search_last_scan_date(self, operator, value):
        """Checkpoints whose last counted scan matches; ``<`` and ``= False`` include the never
        scanned.  "The last scan is at or after v" is "some counted scan is at or after v", so
        each operator is one subquery over the scans (``_search``: the ORM flushes what it
        reads, where a hand-written subquery would miss a review not yet flushed), whatever
        their number, read as superuser as the compute does."""
        if operator == "=" and not value:
            return [("id", "not in", self._patrol_scanned_subquery())]
        if operator not in ("<", "<=", ">", ">="):
            raise NotImplementedError(operator)
        value = fields.Datetime.to_datetime(value)
        if operator in (">", ">="):
            return [("id", "in", self._patrol_scanned_subquery([("device_time", operator, value)]))]
        # last < v: no counted scan at or after v (never scanned included); last <= v: none after v
        later = ">=" if operator == "<" else ">"
        return [("id", "not in", self._patrol_scanned_subquery([("device_time", later, value)]))]

    @api.model
    def _patrol_scanned_subquery(self, domain=()):
        """The checkpoints with a counted scan matching ``domain``, as a subquery."""
        scans = self.env["safety.patrol.scan"].sudo()._search([("counted", "=", True), *domain])
        return scans.subselect("checkpoint_id")

    @api.model
    def _patrol_stale_days(self):
        return max(1, int(self.env["ir.config_parameter"].sudo().get_param(
            "safety_inspection.patrol_stale_days", 3)))

    def _search_stale(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise NotImplementedError(operator)
        limit = fields.Datetime.now() - timedelta(days=self._patrol_stale_days())
        domain = [("last_scan_date", "<", limit)]
        return domain if (operator == "=") == value else ["!"] + domain

    def _compute_plan_rounds_per_day(self):
        minimum = int(self.env["ir.config_parameter"].sudo().get_param(
            "safety_inspection.patrol_key_area_daily", 5))
        lines = self.env["safety.patrol.route.line"].sudo().search([
            ("checkpoint_id", "in", self.ids),
            ("route_id.active", "=", True),
        ])
        schedules = self.env["safety.patrol.schedule"].sudo().search([
            ("route_id", "in", lines.route_id.ids),
        ])
        per_checkpoint = {}
        for line in lines:
            per_day = [0] * 7
            for schedule in schedules.filtered(lambda s, r=line.route_id: s.route_id == r):
                count = len(schedule._parse_start_times())
                for weekday in schedule._weekdays():
                    per_day[weekday] += count
            days = [n for n in per_day if n]
            per_checkpoint[line.checkpoint_id.id] = min(days) if days else 0
        for checkpoint in self:
            checkpoint.plan_rounds_per_day = per_checkpoint.get(checkpoint.id, 0)
            checkpoint.plan_ok = not checkpoint.key_area or checkpoint.plan_rounds_per_day >= minimum

    # ------------------------------------------------------------------ tokens

    @api.model
    def _patrol_secret(self):
        """The per-database signing key; only system administrators can read it."""
        params = self.env["ir.config_parameter"].sudo()
        secret = params.get_param(SECRET_PARAM)
        if not secret:
            secret = secrets.token_urlsafe(32)
            params.set_param(SECRET_PARAM, secret)
        return secret

    @api.model
    def _patrol_db_tag(self):
        uuid = self.env["ir.config_parameter"].sudo().get_param("database.uuid", "")
        return uuid.replace("-", "")[:8].lower().ljust(8, "0")

    @api.model
    def _patrol_sign(self, body):
        digest = hmac.new(self._patrol_secret().encode(), body.encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest[:12]).decode()

    def _patrol_token(self, version=None):
        self.ensure_one()
        body = f"{TOKEN_PREFIX}.{self._patrol_db_tag()}.{self.id}.{version or self.token_version}"
        return f"{body}.{self._patrol_sign(body)}"

    @api.model
    def _patrol_parse_token(self, token):
        """Check a token's form and signature without the database.

        Return ``(checkpoint id, version, None)`` or ``(None, None, error code)``.
        """
        if not isinstance(token, str):
            return None, None, "token_malformed"
        match = TOKEN_RE.match(token.strip())
        if not match:
            return None, None, "token_malformed"
        db_tag, checkpoint_id, version, signature = match.groups()
        body = token.strip().rsplit(".", 1)[0]
        if db_tag != self._patrol_db_tag():
            return None, None, "token_foreign_db"
        if not hmac.compare_digest(self._patrol_sign(body), signature):
            return None, None, "token_forged"
        return int(checkpoint_id), int(version), None

    @api.model
    def _patrol_check_token(self, token):
        """Return (checkpoint, error code); the checkpoint is read as superuser."""
        checkpoint_id, version, error = self._patrol_parse_token(token)
        if error:
            return self.browse(), error
        checkpoint = self.sudo().with_context(active_test=False).browse(checkpoint_id).exists()
        error = self._patrol_token_state(version, checkpoint)
        if error == "token_unknown_checkpoint":
            return self.browse(), error
        return checkpoint, error

    @api.model
    def _patrol_token_state(self, version, checkpoint):
        """The error code of a genuine token against its checkpoint (a record, or the
        scan endpoint's row with ``active`` and ``token_version``), or None when valid."""
        if not checkpoint or not checkpoint["active"]:
            return "token_unknown_checkpoint"
        if version != checkpoint["token_version"]:
            return "token_reissued"
        return None

    @api.model
    def _patrol_qr_png(self, payload):
        qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=8, border=4)
        qr.add_data(payload)
        qr.make(fit=True)
        buffer = io.BytesIO()
        qr.make_image().save(buffer, format="PNG")
        return buffer.getvalue()

    # ------------------------------------------------------------------ actions

    def action_reissue_code(self):
        """A label was peeled off or defaced: print a new one, the old code stops working."""
        if not self.env.user.has_group("school_safety.group_school_safety_officer") \
                and not self.env.user.has_group("school_safety.group_bureau_manager"):
            raise AccessError(self.env._("Only safety officers can re-issue checkpoint codes."))
        self.check_access("write")
        for checkpoint in self:
            old = checkpoint.token_version
            checkpoint.sudo().token_version = old + 1
            checkpoint.message_post(body=self.env._(
                "QR code re-issued by %(user)s: version %(old)s no longer accepted, "
                "version %(new)s printed.",
                user=self.env.user.name, old=old, new=old + 1,
            ))
        return True

    def action_print_labels(self):
        self._patrol_check_label_printer()
        return self.env.ref("safety_inspection.safety_patrol_checkpoint_label_report").report_action(self)

    def _patrol_check_label_printer(self):
        """The labels carry every valid code of a school: with them, a round could be "walked"
        from the guard room. Only the safety officers (and the bureau) print them."""
        user = self.env.user
        if not user.has_group("school_safety.group_safety_supervisor"):
            raise AccessError(self.env._("Only safety officers print checkpoint labels."))
        self.check_access("read")
