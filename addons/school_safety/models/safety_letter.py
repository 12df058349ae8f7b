import base64
import binascii
import hashlib
import json
import logging
import uuid
from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.http import request
from odoo.tools import SQL, consteq, groupby, html_sanitize
from odoo.tools.sql import create_index

from .safety_letter_template import LETTER_LEVELS

_logger = logging.getLogger(__name__)

SIGNATURE_FIELDS = tuple(
    f"party_{side}_{name}"
    for side in ("a", "b")
    for name in ("signature", "signed_by", "signed_on", "signed_ip")
)
# The text and the parties: frozen once the letter is issued, whoever writes.
ISSUED_FROZEN_FIELDS = frozenset(
    (
        "content",
        "template_id",
        "level",
        "campaign_id",
        "company_id",
        "year",
        "party_a_employee_id",
        "party_a_name",
        "party_b_employee_id",
        "party_b_partner_id",
        "party_b_name",
        "student_id",
        "verification_uuid",
        "issue_date",
    )
)
# What server steps may still write on a sealed (signed) letter: it is superseded when the
# party leaves, and the bookkeeping of its links. The seal (text, signatures, hash) never.
SEALED_SERVER_FIELDS = frozenset({
    "state", "progress", "superseded_date", "reminder_date", "escalation_date",
    "access_token", "access_token_expiry", "party_a_access_token",
})

STATES = [
    ("draft", "Draft"),
    ("issued", "Issued"),
    ("signed", "Signed"),
    ("superseded", "Superseded"),
]
PROGRESS = [
    ("draft", "Not Issued"),
    ("pending", "Waiting for Signature"),
    ("overdue", "Overdue"),
    ("signed", "Signed"),
    ("superseded", "Superseded"),
]

# The campaign's writes go in batches of so many letters per statement.
INSERT_BATCH = 20000
ISSUE_BATCH = 10000
# Columns written by the bulk insert, with their PostgreSQL array types.
INSERT_COLUMNS = (
    ("campaign_id", "int4"),
    ("company_id", "int4"),
    ("year", "int4"),
    ("level", "varchar"),
    ("template_id", "int4"),
    ("parent_id", "int4"),
    ("party_key", "varchar"),
    ("party_a_employee_id", "int4"),
    ("party_a_name", "varchar"),
    ("party_b_employee_id", "int4"),
    ("party_b_partner_id", "int4"),
    ("party_b_name", "varchar"),
    ("student_id", "int4"),
    ("class_name", "varchar"),
    ("name", "varchar"),
    ("verification_uuid", "varchar"),
)


class SafetyLetter(models.Model):
    """One responsibility letter between two parties.

    Letters are written only by their own steps (generation, issue, signing, supersession:
    ``_safety_client_writable`` is empty); once both parties signed, the text, signatures
    and hash are sealed, even for the superuser. Issued and signed letters are never deleted.
    """

    _name = "safety.letter"
    _description = "Safety Responsibility Letter"
    _inherit = ["safety.school.record", "portal.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "year desc, company_id, level, id"
    _safety_create_fields = frozenset()
    _safety_client_writable = frozenset()
    _safety_locked_server_fields = SEALED_SERVER_FIELDS

    name = fields.Char(required=True, readonly=True)
    # evidence is never cascaded away: what a letter points to cannot be deleted under it
    campaign_id = fields.Many2one(
        "safety.letter.campaign", required=True, readonly=True, index=True, ondelete="restrict"
    )
    year = fields.Integer(required=True, readonly=True, index=True, aggregator=False)
    company_id = fields.Many2one(readonly=True, ondelete="restrict")
    level = fields.Selection(LETTER_LEVELS, required=True, readonly=True, index=True)
    template_id = fields.Many2one(
        "safety.letter.template", required=True, readonly=True, ondelete="restrict"
    )
    parent_id = fields.Many2one(
        "safety.letter", string="Letter Above", readonly=True, index="btree_not_null", ondelete="set null"
    )
    child_ids = fields.One2many("safety.letter", "parent_id", string="Letters Below")
    party_key = fields.Char(required=True, readonly=True, help="Technical: who party B is.")
    party_a_employee_id = fields.Many2one(
        "hr.employee", string="Party A", readonly=True, index=True, ondelete="restrict"
    )
    party_a_name = fields.Char(readonly=True)
    party_b_employee_id = fields.Many2one(
        "hr.employee", readonly=True, index="btree_not_null",
        ondelete="restrict",
    )
    party_b_partner_id = fields.Many2one(
        "res.partner", string="Party B Contact", readonly=True, index="btree_not_null",
        ondelete="restrict",
    )
    party_b_name = fields.Char(readonly=True)
    student_id = fields.Many2one(
        "safety.student", readonly=True, index="btree_not_null", ondelete="restrict"
    )
    # the class teacher follows the signing by class; the student's current class (the
    # campaign's bulk insert writes it, the ORM keeps it when the student changes class)
    class_name = fields.Char(
        related="student_id.class_name", string="Class", store=True, index="btree_not_null"
    )
    state = fields.Selection(STATES, default="draft", required=True, readonly=True, tracking=True)
    progress = fields.Selection(
        PROGRESS, default="draft", required=True, readonly=True, index=True,
        help="Signing status for the progress reports; overdue once the deadline has passed.",
    )
    content = fields.Html(readonly=True, help="Text frozen when the letter is issued.")
    issue_date = fields.Datetime(readonly=True)
    deadline = fields.Date(readonly=True)
    # the signing link of party B: read only by the server's own steps, handed out by
    # action_signing_link (logged), never over RPC
    access_token = fields.Char(groups="base.group_system")
    access_token_expiry = fields.Datetime(readonly=True, groups="base.group_system")
    party_a_access_token = fields.Char(copy=False, readonly=True, groups="base.group_system")
    reminder_date = fields.Datetime(readonly=True)
    escalation_date = fields.Datetime(readonly=True)
    superseded_date = fields.Datetime(readonly=True)
    party_a_signature = fields.Binary(attachment=True, readonly=True, copy=False)
    party_a_signed_by = fields.Char(readonly=True, copy=False)
    party_a_signed_on = fields.Datetime(readonly=True, copy=False)
    party_a_signed_ip = fields.Char(string="Party A IP", readonly=True, copy=False)
    party_b_signature = fields.Binary(attachment=True, readonly=True, copy=False)
    party_b_signed_by = fields.Char(readonly=True, copy=False)
    party_b_signed_on = fields.Datetime(readonly=True, copy=False)
    party_b_signed_ip = fields.Char(string="Party B IP", readonly=True, copy=False)
    signed_date = fields.Datetime(readonly=True, copy=False)
    signed_hash = fields.Char(string="SHA-256", readonly=True, copy=False)
    verification_uuid = fields.Char(
        required=True, readonly=True, copy=False, index=True, default=lambda self: str(uuid.uuid4())
    )
    verification_url = fields.Char(compute="_compute_verification_url")
    can_sign_a = fields.Boolean(compute="_compute_can_sign")
    can_sign_b = fields.Boolean(compute="_compute_can_sign")
    can_hand_out_link = fields.Boolean(
        compute="_compute_can_hand_out_link",
        help="The current user may hand out the signing link of the party without an account.",
    )

    _sql_constraints = [
        (
            "party_unique",
            "unique(campaign_id, level, party_key)",
            "A person signs only one letter per level in a campaign.",
        ),
        ("uuid_unique", "unique(verification_uuid)", "The verification code must be unique."),
    ]

    def init(self):
        # the campaign reads and counts letters per (campaign, school)
        create_index(
            self.env.cr, "safety_letter_campaign_company_index", self._table, ["campaign_id", "company_id"]
        )

    def _compute_access_url(self):
        result = super()._compute_access_url()
        for letter in self:
            letter.access_url = f"/my/safety/letters/{letter.id}"
        return result

    def _compute_verification_url(self):
        base = self.get_base_url() if self else ""
        for letter in self:
            letter.verification_url = f"{base}/safety/letter/verify/{letter.verification_uuid}"

    @api.depends_context("uid")
    @api.depends("state", "party_a_signed_on", "party_b_signed_on")
    def _compute_can_sign(self):
        user = self.env.user
        for letter in self:
            issued = letter.state == "issued"
            letter.can_sign_a = issued and not letter.party_a_signed_on and (
                letter.sudo().party_a_employee_id.user_id == user
            )
            letter.can_sign_b = issued and not letter.party_b_signed_on and (
                letter.sudo().party_b_employee_id.user_id == user
            )

    @api.depends_context("uid")
    @api.depends("state", "party_a_signed_on", "party_b_signed_on")
    def _compute_can_hand_out_link(self):
        for letter in self:
            side = letter._safety_link_side() if letter.id else None
            allowed = False
            if side:
                try:
                    letter._safety_check_hand_out(side)
                    allowed = True
                except AccessError:
                    allowed = False
            letter.can_hand_out_link = allowed

    # ------------------------------------------------------------------ CRUD

    def _safety_is_locked(self):
        self.ensure_one()
        return bool(self.signed_hash) and self.state in ("signed", "superseded")

    def _safety_is_kept(self):
        self.ensure_one()
        return self.state != "draft"

    def _safety_locked_message(self):
        return self.env._("A signed letter is locked: its text and signatures cannot change.")

    def _safety_undeletable_message(self):
        return self.env._("Issued and signed letters are kept; supersede them instead of deleting.")

    def write(self, vals):
        frozen = set(vals) & ISSUED_FROZEN_FIELDS
        if frozen and self._safety_changed({k: vals[k] for k in frozen}) and self.filtered(
            lambda letter: letter.state != "draft"
        ):
            raise UserError(self.env._("The text of an issued letter is frozen and cannot change."))
        if "state" in vals and vals["state"] != "superseded" and self.filtered(
            lambda letter: letter._safety_is_locked()
        ):
            raise UserError(self._safety_locked_message())
        return super().write(vals)

    # --------------------------------------------------------------- actions

    def _safety_check_leader(self):
        """The current user runs the letters: a bureau manager, or a principal of their school."""
        self.check_access("write")
        user = self.env.user
        if not (
            user.has_group("school_safety.group_bureau_manager")
            or user.has_group("school_safety.group_school_principal")
        ):
            raise AccessError(
                self.env._("Only the bureau's managers and the school's principal manage letters.")
            )

    def action_issue(self):
        """Freeze the text of draft letters and open them for signing."""
        return self._safety_issue_letters()

    def _safety_issue_letters(self, now=None):
        """action_issue. ``now`` is for the server only (the demo builder records an issue made
        weeks ago at its own time); callers over RPC reach action_issue, which gives none."""
        self._safety_check_leader()
        drafts = self.filtered(lambda letter: letter.state == "draft")
        if self - drafts:
            raise UserError(self.env._("Only draft letters can be issued."))
        # checked who asks and what: the campaign issues as the server (a principal does not
        # read the bureau, whose name the letters state)
        Letter = self.env["safety.letter"].sudo()
        for campaign in drafts.campaign_id.sudo():
            of_campaign = drafts.filtered(lambda letter, c=campaign: letter.campaign_id == c)
            Letter._safety_issue(campaign, of_campaign.ids, now=now)
        return True

    def action_supersede(self):
        """The party left: the letter no longer binds anyone, but is kept (and stays locked)."""
        self._safety_check_leader()
        self._safety_supersede()
        return True

    def _safety_supersede(self):
        letters = self.sudo().filtered(lambda letter: letter.state != "superseded")
        letters.activity_unlink(["school_safety.mail_activity_type_safety_letter_sign"])
        letters.write(
            {"state": "superseded", "progress": "superseded", "superseded_date": fields.Datetime.now()}
        )

    @api.model
    def _safety_supersede_parties(self, party_field, parties):
        """Supersede the live letters whose ``party_field`` is one of ``parties``
        (employees or students who left)."""
        self.sudo().search(
            [(party_field, "in", parties.ids), ("state", "!=", "superseded")]
        )._safety_supersede()

    def action_sign(self, signature, name=None):
        """Sign as the current user in the backend; the user must be a party."""
        return self._safety_sign_as_user(signature, name)

    def _safety_sign_as_user(self, signature, name=None, now=None):
        """action_sign. ``now`` is for the server only (the demo builder records a signature
        given days ago at its own time); action_sign, the RPC door, gives none."""
        self.ensure_one()
        user = self.env.user
        letter = self.sudo()
        if letter.party_a_employee_id.user_id == user and not letter.party_a_signed_on:
            side = "a"
        elif letter.party_b_employee_id.user_id == user and not letter.party_b_signed_on:
            side = "b"
        elif user in (letter.party_a_employee_id.user_id | letter.party_b_employee_id.user_id):
            side = "a" if letter.party_a_employee_id.user_id == user else "b"
        else:
            raise UserError(
                self.env._("You are not a party to this letter and cannot sign it for someone else.")
            )
        # the signer's address comes from the request itself, never from the caller's context
        ip = request.httprequest.remote_addr if request else ""
        return self._safety_sign(side, signature, name or user.name, ip, now=now)

    def action_open_sign_wizard(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Sign the Letter"),
            "res_model": "safety.letter.sign.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_letter_id": self.id},
        }

    def action_signing_link(self):
        """Hand out the signing link of the party without an account (logged on the letter)."""
        self.ensure_one()
        side = self._safety_link_side()
        if not side:
            raise UserError(self.env._("Nobody of this letter signs through a link: both parties sign here."))
        self._safety_check_hand_out(side)
        self._safety_log_hand_out(side)
        return {"type": "ir.actions.act_url", "url": self._safety_portal_url(side), "target": "new"}

    def action_print_guardian_slips(self):
        """Print one slip per guardian still to sign, with the QR code of their signing link.

        The report checks and logs again when it renders (whatever route asks for it): here
        only the letters that get a slip are chosen and the user is told about the others.
        """
        letters, skipped = self._safety_guardian_letters_to_hand_out()
        action = self.env.ref("school_safety.safety_letter_guardian_slips_report").report_action(
            letters, config=False
        )
        return self._safety_skipped_notification(skipped, action)

    def action_guardian_link_list(self):
        """The names and signing links of the guardians still to sign, one per line, to paste
        into the class group chat (each hand-out logged on its letter)."""
        letters, skipped = self._safety_guardian_letters_to_hand_out()
        text = letters._safety_guardian_link_text()
        letters._safety_log_hand_out("b")
        # made by the server after the checks: clients cannot create one (see the wizard)
        wizard = self.env["safety.letter.guardian.links"].sudo().create({
            "text": text,
            "letter_count": len(letters),
            "skipped_count": skipped,
        })
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Links for the Class Group"),
            "res_model": "safety.letter.guardian.links",
            "res_id": wizard.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
        }

    def _safety_guardian_letters_to_hand_out(self):
        """(letters, number skipped): the guardians' letters of ``self`` still waiting for the
        guardian's signature with a valid link, after checking that the current user may hand
        out the link of every guardian's letter selected (else AccessError, for all of them).
        Letters of other levels, signed, superseded, draft or expired ones are skipped."""
        self.check_access("read")
        guardian_letters = self.filtered(lambda letter: letter.level == "class_teacher_guardian")
        guardian_letters._safety_check_hand_out("b")
        now = fields.Datetime.now()
        letters = guardian_letters.sudo().filtered(
            lambda letter: letter.state == "issued"
            and not letter.party_b_signed_on
            and letter.access_token
            and not (letter.access_token_expiry and letter.access_token_expiry < now)
        ).sorted(lambda letter: (
            letter.company_id.name, letter.class_name or "", letter.student_id.name or "", letter.id
        ))
        skipped = len(self) - len(letters)
        if not letters:
            raise UserError(
                self.env._(
                    "No guardian of the %(count)s selected letters is waiting to sign: only issued "
                    "letters of guardians who have not signed yet, with a link still valid, are "
                    "handed out.",
                    count=len(self),
                )
            )
        return letters.with_env(self.env), skipped

    def _safety_skipped_notification(self, skipped, next_action):
        if not skipped:
            return next_action
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "warning",
                "message": self.env._(
                    "%(count)s selected letters were skipped: signed, superseded, not issued, with an "
                    "expired link or not a guardian's letter.",
                    count=skipped,
                ),
                "next": next_action,
            },
        }

    def _safety_lang(self):
        """The letter's language when it is installed, else the user's."""
        self.ensure_one()
        lang = self.sudo().campaign_id.lang
        return lang if lang and self.env["res.lang"]._get_data(code=lang) else self.env.lang or "en_US"

    def _safety_guardian_link_text(self):
        """One line per guardian, "<student>'s guardian <guardian>: <link>", grouped by class
        under a short greeting, each in the letter's language. Hands the links out: callers
        checked ``_safety_check_hand_out('b')`` and log it."""
        blocks = []
        current = None
        for letter in self.sudo():
            lang = letter._safety_lang()
            env = self.with_context(lang=lang).env
            key = (letter.company_id, letter.class_name, lang)
            if key != current:
                current = key
                blocks.append([
                    env._(
                        "%(school)s, %(class_name)s: dear parents, please open your own link below "
                        "to read and sign the school-family safety responsibility letter.",
                        school=letter.company_id.name, class_name=letter.class_name or "",
                    )
                ])
            blocks[-1].append(
                env._(
                    "%(student)s's guardian %(guardian)s: %(link)s",
                    student=letter.student_id.name or "",
                    guardian=letter.party_b_name or "",
                    link=letter._safety_portal_url("b"),
                )
            )
        return "\n\n".join("\n".join(block) for block in blocks)

    def _safety_link_side(self):
        """The side still to sign that has no user account ('b' first), or None."""
        self.ensure_one()
        letter = self.sudo()
        if letter.state != "issued":
            return None
        for side in ("b", "a"):
            if not letter[f"party_{side}_signed_on"] and not letter[f"party_{side}_employee_id"].user_id:
                return side
        return None

    def _safety_check_hand_out(self, side):
        """Who may hand out a signing link: the other party (the class teacher for a guardian,
        the manager for their staff), the school's principal, the bureau's managers. Checks
        every letter of ``self`` (one read check for all) and refuses them all if one fails."""
        self.check_access("read")
        user = self.env.user
        if user.has_group("school_safety.group_bureau_manager"):
            return
        principal = user.has_group("school_safety.group_school_principal")
        other_field = f"party_{'a' if side == 'b' else 'b'}_employee_id"
        for letter in self.sudo():
            other = letter[other_field].user_id
            if (other and user == other) or (principal and letter.company_id in user.company_ids):
                continue
            raise AccessError(
                self.env._(
                    "Only the other party, the principal or the bureau hand out the signing link of %(letter)s.",
                    letter=letter.name,
                )
            )

    def _safety_log_hand_out(self, side):
        """Note on each letter of ``self`` that its link was handed out, and by whom: one
        note per letter, all created in one batch."""
        letters = self.sudo()
        user = self.env.user.name
        party_field = f"party_{side}_name"
        letters._message_log_batch({
            letter.id: self.env._(
                "Signing link of %(party)s handed out by %(user)s.", party=letter[party_field] or "", user=user
            )
            for letter in letters
        })

    def _portal_ensure_token(self):
        # the token signs for party B: outside the server's own steps, only through
        # action_signing_link (portal.mixin would hand it to any reader, e.g. the share wizard)
        if not self.env.su:
            raise AccessError(self.env._("Signing links are handed out with the Signing Link button."))
        return super()._portal_ensure_token()

    def _safety_content_html(self):
        """The frozen text as shown on screen and on paper, sanitised again on output (read with
        the rights of ``self``: the caller's, or the portal's once it checked the token)."""
        self.ensure_one()
        return Markup(html_sanitize(self.content or ""))

    # -------------------------------------------------------- business logic

    def _safety_sign(self, side, signature, name, ip, now=None):
        """Record one party's signature; lock and hash the letter after the second one.

        Callers have checked who signs; here only the letter's state and the data. ``now``
        (server only: the demo builder) is when the signature was given, by default now.
        """
        self.ensure_one()
        letter = self.sudo()
        if letter.state == "draft":
            raise UserError(self.env._("This letter is not issued yet and cannot be signed."))
        if letter.state == "superseded":
            raise UserError(self.env._("This letter was superseded and can no longer be signed."))
        if letter.state != "issued" or letter[f"party_{side}_signed_on"]:
            raise UserError(self.env._("This letter is already signed."))
        if not signature:
            raise UserError(self.env._("The signature is empty: please sign before confirming."))
        if not (name or "").strip():
            raise UserError(self.env._("Please give the name of the person signing."))
        try:
            raw = base64.b64decode(signature, validate=True)
        except (binascii.Error, ValueError, TypeError):
            raw = b""
        if not raw.startswith(b"\x89PNG") and not raw.startswith(b"\xff\xd8"):
            raise UserError(self.env._("The signature is not a valid image."))
        now = now or fields.Datetime.now()
        letter.write({
            f"party_{side}_signature": signature,
            f"party_{side}_signed_by": name.strip(),
            f"party_{side}_signed_on": now,
            f"party_{side}_signed_ip": ip or "",
        })
        signer_user = letter[f"party_{side}_employee_id"].user_id
        if signer_user:
            letter.activity_feedback(
                ["school_safety.mail_activity_type_safety_letter_sign"], user_id=signer_user.id
            )
        letter.message_post(
            body=self.env._("Signed by %(name)s.", name=name.strip()),
            subtype_xmlid="mail.mt_note",
            date=now,
        )
        if letter.party_a_signed_on and letter.party_b_signed_on:
            letter._safety_lock()
        return True

    def _safety_lock(self):
        for letter in self:
            digest = letter._safety_compute_hash()
            letter.sudo().write({
                "state": "signed",
                "progress": "signed",
                "signed_date": max(letter.party_a_signed_on, letter.party_b_signed_on),
                "signed_hash": digest,
            })
            letter.activity_unlink(["school_safety.mail_activity_type_safety_letter_sign"])

    def _safety_canonical(self):
        """Canonical serialisation of the content and both signatures, the hash input."""
        self.ensure_one()
        letter = self.sudo()

        def side(s):
            image = letter[f"party_{s}_signature"] or b""
            signed_on = letter[f"party_{s}_signed_on"]
            return {
                "name": letter[f"party_{s}_signed_by"] or "",
                "time": signed_on.isoformat() if signed_on else "",
                "ip": letter[f"party_{s}_signed_ip"] or "",
                "image_sha256": hashlib.sha256(base64.b64decode(image)).hexdigest(),
            }

        return json.dumps(
            {
                "letter": letter.verification_uuid,
                "content": str(letter.content or ""),
                "party_a": side("a"),
                "party_b": side("b"),
            },
            sort_keys=True,
            ensure_ascii=False,
            separators=(",", ":"),
        )

    def _safety_compute_hash(self):
        return hashlib.sha256(self._safety_canonical().encode()).hexdigest()

    def _safety_verify(self):
        """True when the letter is signed and its stored hash still matches its data."""
        self.ensure_one()
        letter = self.sudo()
        return bool(
            letter.state in ("signed", "superseded")
            and letter.signed_hash
            and letter.party_a_signed_on
            and letter.party_b_signed_on
            and letter.signed_date == max(letter.party_a_signed_on, letter.party_b_signed_on)
            and consteq(letter.signed_hash, letter._safety_compute_hash())
        )

    def _safety_check_token(self, token):
        """Which party a portal token signs for ('a' or 'b'), or None when wrong/expired."""
        self.ensure_one()
        letter = self.sudo()
        if not token or letter.state == "draft":
            return None
        if letter.access_token_expiry and letter.access_token_expiry < fields.Datetime.now():
            return None
        if letter.access_token and consteq(letter.access_token, token):
            return "b"
        if letter.party_a_access_token and consteq(letter.party_a_access_token, token):
            return "a"
        return None

    def _safety_portal_url(self, side="b"):
        self.ensure_one()
        letter = self.sudo()
        token = letter._portal_ensure_token() if side == "b" else letter.party_a_access_token
        return f"{letter.get_base_url()}{letter.access_url}?access_token={token}"

    def _safety_sign_activity_user(self):
        """Who gets the signing activity: party B's user, else the party A's user."""
        self.ensure_one()
        letter = self.sudo()
        return letter.party_b_employee_id.user_id or letter.party_a_employee_id.user_id

    def _safety_schedule_sign_activities(self):
        for letter in self:
            user = letter._safety_sign_activity_user()
            if user:
                letter.sudo().activity_schedule(
                    "school_safety.mail_activity_type_safety_letter_sign",
                    date_deadline=letter.deadline or fields.Date.today() + timedelta(days=14),
                    user_id=user.id,
                    note=self.env._("Please sign the safety responsibility letter %(name)s.", name=letter.name),
                )

    # ---------------------------------------- the campaign's writes (350,000 letters a year)
    #
    # A campaign writes every letter of a bureau at once: per-record ORM creates and writes
    # (and their followers, tracking and recomputations) cost minutes there, so these write
    # with one statement per batch (docs/benchmarks.md, "Responsibility letters"). Callers are
    # the campaign's own steps; the uniqueness of (campaign, level, party) keeps re-runs from
    # duplicating anything.

    @api.model
    def _safety_insert_plan(self, campaign, school, letters):
        """Insert the letters the planner planned for ``school`` (``PlannedLetter`` rows,
        lib/letter_planner.py), a depth at a time so each letter finds its parent's id;
        returns the new letter ids."""
        created = {}  # party key -> id of the letters inserted here
        new_ids = []
        for _depth, group in sorted(groupby(letters, key=lambda letter: letter.depth)):
            for start in range(0, len(group), INSERT_BATCH):
                chunk = group[start:start + INSERT_BATCH]
                parent_ids = [letter.parent_id or created.get(letter.parent_key) for letter in chunk]
                for key, letter_id in self._safety_insert_rows(campaign, school, chunk, parent_ids):
                    created[key] = letter_id
                    new_ids.append(letter_id)
        self.invalidate_model()
        return new_ids

    @api.model
    def _safety_insert_rows(self, campaign, school, letters, parent_ids):
        """One INSERT of many draft letters, column arrays unnested; returns (party_key, id)."""
        count = len(letters)
        # the planned letters' fields as columns (one list per field), then the campaign's
        values = dict(zip(letters[0]._fields, map(list, zip(*letters, strict=True)), strict=True))
        values.update(
            campaign_id=[campaign.id] * count,
            company_id=[school.id] * count,
            year=[campaign.year] * count,
            parent_id=parent_ids,
            verification_uuid=[str(uuid.uuid4()) for _index in range(count)],
        )
        uid = self.env.uid
        self.env.cr.execute(SQL(
            """INSERT INTO safety_letter (%s, state, progress, create_uid, write_uid, create_date, write_date)
               SELECT *, 'draft', 'draft', %s, %s, now() at time zone 'UTC', now() at time zone 'UTC'
                 FROM unnest(%s)
               RETURNING party_key, id""",
            SQL(", ").join(SQL.identifier(column) for column, _type in INSERT_COLUMNS),
            uid,
            uid,
            SQL(", ").join(
                SQL("%s::%s[]", values[column], SQL(type_)) for column, type_ in INSERT_COLUMNS
            ),
        ))
        return self.env.cr.fetchall()

    @api.model
    def _safety_issue(self, campaign, letter_ids, now=None):
        """Freeze the text of the draft letters ``letter_ids`` of ``campaign`` and give them
        their signing links, in batches; the signers are told at once.

        ``now`` (server only: the demo builder) is when they were issued, by default now."""
        now = now or fields.Datetime.now()
        letter_ids = list(letter_ids)
        for start in range(0, len(letter_ids), ISSUE_BATCH):
            self._safety_issue_batch(campaign, letter_ids[start:start + ISSUE_BATCH], now)

    @api.model
    def _safety_issue_batch(self, campaign, letter_ids, now):
        cr = self.env.cr
        self.flush_model()
        cr.execute(SQL(
            """SELECT l.id, l.template_id, l.party_a_name, l.party_b_name, c.name, s.name, s.class_name
                 FROM safety_letter l
                 JOIN res_company c ON c.id = l.company_id
            LEFT JOIN safety_student s ON s.id = l.student_id
                WHERE l.id = ANY(%s) AND l.state = 'draft'""",
            letter_ids,
        ))
        rows = cr.fetchall()
        if not rows:
            return
        Template = self.env["safety.letter.template"]
        templates = Template.sudo().with_context(active_test=False).browse({row[1] for row in rows})
        base_html = {template.id: template._safety_base_html() for template in templates}
        ids, contents, tokens_b, tokens_a = [], [], [], []
        for letter_id, template_id, party_a, party_b, school, student, class_name in rows:
            ids.append(letter_id)
            contents.append(Template._safety_fill(base_html[template_id], {
                "bureau": campaign.bureau_id.name,
                "school": school,
                "year": str(campaign.year),
                "party_a": party_a,
                "party_b": party_b,
                "student": student,
                "class": class_name,
            }))
            tokens_b.append(str(uuid.uuid4()))
            tokens_a.append(str(uuid.uuid4()))
        deadline = campaign.sign_deadline or (now.date() + timedelta(days=30))
        cr.execute(SQL(
            """UPDATE safety_letter l
                  SET content = v.content, access_token = v.token_b, party_a_access_token = v.token_a,
                      state = 'issued', progress = 'pending', issue_date = %s, deadline = %s,
                      access_token_expiry = %s, write_date = %s, write_uid = %s
                 FROM unnest(%s::int4[], %s::text[], %s::varchar[], %s::varchar[])
                   AS v(id, content, token_b, token_a)
                WHERE l.id = v.id AND l.state = 'draft'""",
            now, deadline, now + timedelta(days=campaign.token_validity_days), now, self.env.uid,
            ids, contents, tokens_b, tokens_a,
        ))
        self.invalidate_model()
        self._safety_notify_issued(campaign, ids)

    @api.model
    def _safety_notify_issued(self, campaign, letter_ids):
        """Tell the signers at once that their letters wait (not a week later, at the first
        reminder), in a few batches:

        * a signer with an account gets an activity on their letter;
        * a guardian with an email gets the email with their signing link;
        * the party A of the other letters (the class teacher for guardians without email)
          gets one activity per class to hand the links out (slips, class group);
        * each party A with an account gets one activity for the letters they sign as party A.
        """
        letters = self.sudo().browse(letter_ids).filtered(lambda letter: letter.state == "issued")
        if not letters:
            return
        school_lang = letters[0].company_id._safety_lang()

        def told(user):
            # the language of who is told (the job, or the manager issuing, may speak another)
            return self.with_context(lang=user.lang or school_lang).env

        sign_type = self.env.ref("school_safety.mail_activity_type_safety_letter_sign")
        model_id = self.env["ir.model"]._get_id("safety.letter")
        deadline = campaign.sign_deadline or fields.Date.today() + timedelta(days=14)
        activities, emails = {}, []  # (letter, user) -> activity values: one each

        def add(letter, user, note):
            key = (letter.id, user.id)
            if key in activities:
                activities[key]["note"] += Markup("<br/>") + note
            else:
                activities[key] = {
                    "res_model_id": model_id, "res_id": letter.id, "activity_type_id": sign_type.id,
                    "user_id": user.id, "date_deadline": deadline, "note": Markup(escape(note)),
                }

        as_party_a = defaultdict(lambda: self.env["safety.letter"])
        to_hand_out = defaultdict(lambda: self.env["safety.letter"])
        for letter in letters:
            a_user = letter.party_a_employee_id.user_id
            b_user = letter.party_b_employee_id.user_id
            if b_user:
                add(letter, b_user, told(b_user)._(
                    "Please sign the safety responsibility letter %(name)s.", name=letter.name))
            elif letter.party_b_partner_id.email:
                emails.append(letter.id)
            elif a_user:
                to_hand_out[(a_user, letter.student_id.class_name or "")] |= letter
            if a_user:
                as_party_a[a_user] |= letter
        for user, group in as_party_a.items():
            add(group[0], user, told(user)._(
                "%(count)s safety letters wait for your signature as party A.", count=len(group)))
        school_name = letters[0].company_id.name
        for (user, class_name), group in to_hand_out.items():
            add(group[0], user, told(user)._(
                "%(count)s guardians of %(class_name)s have no email: hand them their signing "
                "links (printed slips or the class group).",
                count=len(group), class_name=class_name or school_name,
            ))
        # one create, no "assigned to you" email per activity
        self.env["mail.activity"].sudo().with_context(mail_activity_quick_update=True).create(
            list(activities.values())
        )
        template = self.env.ref("school_safety.mail_template_safety_letter_reminder", raise_if_not_found=False)
        if emails and template:
            template.sudo().send_mail_batch(emails)
        _logger.info(
            "Letter campaign %s: %d letters issued, %d activities, %d emails with a signing link",
            campaign.name, len(letters), len(activities), len(emails),
        )
