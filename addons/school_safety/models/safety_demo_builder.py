import base64
import io
import logging
import random
from datetime import datetime, time, timedelta
from urllib.parse import parse_qs, urlsplit

import pytz
from PIL import Image, ImageDraw

from odoo import api, fields, models

_logger = logging.getLogger(__name__)

DEMO_TZ = "Asia/Shanghai"

# Each school issues its letters once its organisation is checked: (days ago, school, login).
LETTER_ISSUES = (
    (40, "school_junior_demo", "principal2"),
    (33, "school_kindergarten_demo", "manager"),
    (33, "school_senior_demo", "manager"),
    (21, "school_primary_demo", "principal"),
)
# Letters still waiting, by their party B (an employee or a student): the sides not signed.
LETTER_UNSIGNED = {
    "student_junior_2_3_demo": "b",  # a guardian past the deadline, reminded by email
    "employee_primary_teacher_1_demo": "b",  # 张伟 (login "staff") has his own letter to sign
    "student_primary_1_3_demo": "b",  # a guardian of 张伟's class, reminded, not late yet
    "employee_primary_guard_3_demo": "ab",  # a guard: nobody signed his letter yet
}


class SafetyDemoBuilder(models.AbstractModel):
    """Demo data of a school year in progress, built through the records' own steps.

    Each addon's demo file ends with a call to its part (``_safety_demo_*``). A part acts as
    the demo login whose step it is (``with_user``: the step checks who asks, then writes as
    the server); past events go through the same steps, given the time they happened where a
    step stamps it (the private ``now`` of signing, issuing, the daily jobs, scans).
    Dates are relative to the day the demo is created, in the schools' time zone.
    """

    _name = "safety.demo.builder"
    _description = "Safety Demo Builder"

    # ------------------------------------------------------------ helpers

    @api.model
    def _safety_demo_today(self):
        """Today in the schools' time zone."""
        return pytz.utc.localize(fields.Datetime.now()).astimezone(pytz.timezone(DEMO_TZ)).date()

    @api.model
    def _safety_demo_at(self, days_ago, hour=9, minute=0):
        """Naive UTC datetime of ``hour:minute`` local time, ``days_ago`` days before today."""
        day = self._safety_demo_today() - timedelta(days=days_ago)
        local = pytz.timezone(DEMO_TZ).localize(datetime.combine(day, time(hour, minute)))
        return local.astimezone(pytz.utc).replace(tzinfo=None)

    @api.model
    def _safety_demo_date(self, days_ago):
        """A local date ``days_ago`` days before today (negative: ahead)."""
        return self._safety_demo_today() - timedelta(days=days_ago)

    @api.model
    def _safety_demo_user(self, login):
        return self.env.ref(f"school_safety.user_{login}_demo")

    @api.model
    def _safety_demo_as(self, records, user):
        """``records`` as the demo login ``user`` (a login or a user) sees them, in their language."""
        if isinstance(user, str):
            user = self._safety_demo_user(user)
        return records.with_user(user).with_context(lang=user.lang or "zh_CN", tz=user.tz or DEMO_TZ)

    @api.model
    def _safety_demo_load_terms(self, module):
        """Load ``module``'s translations now. The installer loads them only after the
        module's demo data, but the demo's steps copy translated texts into their records
        (the checklist into an inspection, an activity type's summary into an activity), as
        they do in the users' language once installed."""
        langs = [code for code, _name in self.env["res.lang"].get_installed() if code != "en_US"]
        if langs:
            self.env["ir.module.module"]._load_module_terms([module], langs)

    @api.model
    def _safety_demo_request(self):
        """End the request of the previous step and start the next one, as the server does
        between two requests (without committing: the demo is one transaction): what the
        previous step changed is tracked in the chatter, and the next starts with a fresh
        cache (a value computed for a whole batch in an earlier step, such as whether a
        hazard still needs its approvals, is not carried over)."""
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.env.invalidate_all()

    @api.model
    def _safety_demo_step(self, records, user):
        """``records`` as ``user`` for one step of theirs, in a request of its own."""
        self._safety_demo_request()
        return self._safety_demo_as(records, user)

    @api.model
    def _safety_demo_image(self, seed, kind="signature"):
        """A small PNG, base64: a pen stroke for a signature, a plain picture for a photo."""
        rng = random.Random(seed)
        if kind == "signature":
            image = Image.new("RGBA", (300, 100), (255, 255, 255, 0))
            x, y = 18, rng.randint(40, 60)
            points = [(x, y)]
            while x < 270:
                x += rng.randint(8, 20)
                y = max(15, min(85, y + rng.randint(-28, 28)))
                points.append((x, y))
            ImageDraw.Draw(image).line(points, fill=(20, 40, 120, 255), width=3, joint="curve")
        else:
            base = tuple(rng.randint(90, 200) for _i in range(3))
            image = Image.new("RGB", (320, 240), base)
            draw = ImageDraw.Draw(image)
            for _i in range(6):
                x, y = rng.randint(0, 280), rng.randint(0, 200)
                shade = tuple(max(0, c - rng.randint(20, 80)) for c in base)
                draw.rectangle((x, y, x + rng.randint(30, 120), y + rng.randint(20, 90)), fill=shade)
        buffer = io.BytesIO()
        image.save(buffer, format="PNG")
        return base64.b64encode(buffer.getvalue())

    # ------------------------------------------------------------ letters

    @api.model
    def _safety_demo_letters(self):
        """The year's campaign generated by the bureau, issued school by school, most letters
        signed on the days they were, the daily job reminding and escalating in between."""
        self._safety_demo_load_terms("school_safety")
        campaign = self.env.ref("school_safety.safety_letter_campaign_demo")
        self._safety_demo_step(campaign, "manager").action_generate()
        Letter = self.env["safety.letter"]
        unsigned = {}
        for xmlid, sides in LETTER_UNSIGNED.items():
            party = self.env.ref(f"school_safety.{xmlid}")
            field = "student_id" if party._name == "safety.student" else "party_b_employee_id"
            letter = Letter.search([("campaign_id", "=", campaign.id), (field, "=", party.id)])
            unsigned[letter.id] = sides
        # (when, order within the same minute, step, what)
        events = []
        for days, school_xmlid, login in LETTER_ISSUES:
            school = self.env.ref(f"school_safety.{school_xmlid}")
            issued_at = self._safety_demo_at(days, 8, 30)
            letters = Letter.search(
                [("campaign_id", "=", campaign.id), ("company_id", "=", school.id)], order="id"
            )
            events.append((issued_at, 0, "issue", (letters, login)))
            for index, letter in enumerate(letters):
                day_a = 1 + (index * 5) % 9
                day_b = day_a + (index * 3) % 4
                for side, day, hour in (("a", day_a, 10), ("b", day_b, 15)):
                    if side in unsigned.get(letter.id, ""):
                        continue
                    at = issued_at + timedelta(days=day, hours=hour - 8, minutes=(index * 7) % 50)
                    events.append((at, 1, "sign", (letter, side)))
        for days in range(max(days for days, *_rest in LETTER_ISSUES), -1, -1):
            events.append((self._safety_demo_at(days, 9, 0), 2, "cron", None))
        now = fields.Datetime.now()
        Campaign = self.env["safety.letter.campaign"].with_context(lang="zh_CN", tz=DEMO_TZ)
        signatures = 0
        for at, _order, step, what in sorted(
            (event for event in events if event[0] <= now), key=lambda event: event[:2]
        ):
            if step == "issue":
                letters, login = what
                self._safety_demo_step(letters, login)._safety_issue_letters(now=at)
            elif step == "sign":
                self._safety_demo_sign(*what, at)
                signatures += 1
            else:
                # the daily job, as the server runs it
                self._safety_demo_request()
                Campaign._cron_remind(now=at)
        self._safety_demo_request()
        letters = Letter.search([("campaign_id", "=", campaign.id)])
        _logger.info(
            "Demo letters: %d generated, %d issued, %d signatures, %d signed, %d waiting (%d overdue)",
            len(letters), len(letters.filtered(lambda letter: letter.state != "draft")), signatures,
            len(letters.filtered(lambda letter: letter.state == "signed")),
            len(letters.filtered(lambda letter: letter.state == "issued")),
            len(letters.filtered(lambda letter: letter.progress == "overdue")),
        )

    @api.model
    def _safety_demo_sign(self, letter, side, at):
        """One party signs at ``at``: in the backend when they have a login, else on the page
        of the signing link they were given, as the portal route checks it."""
        letter = letter.sudo()
        party = letter[f"party_{side}_employee_id"]
        signature = self._safety_demo_image(f"{letter.id}-{side}")
        if party.user_id:
            return self._safety_demo_step(letter, party.user_id)._safety_sign_as_user(signature, now=at)
        self._safety_demo_request()
        letter = letter.with_context(lang="zh_CN")  # the signing page speaks the signer's language
        url = letter._safety_portal_url(side)
        token = parse_qs(urlsplit(url).query)["access_token"][0]
        if letter._safety_check_token(token) != side:
            raise ValueError(f"the signing link of {letter.name} does not sign for party {side}")
        # an address of the documentation range (RFC 5737): the signer's phone
        ip = f"203.0.113.{letter.id % 250 + 1}"
        return letter._safety_sign(side, signature, letter[f"party_{side}_name"], ip, now=at)
