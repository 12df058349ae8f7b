"""What is signed stays signed, whoever calls and however: the letters, their links, the
school records and the bureau's privileged steps, attacked over JSON-RPC as each role."""

import json

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common_letter import SIGNATURE, SafetyLetterCase
from .common_rpc import HOSTILE_CONTEXT, RpcCase

SEALED = [
    "state", "progress", "content", "signed_date", "signed_hash", "party_a_signed_by",
    "party_a_signed_on", "party_b_signed_by", "party_b_signed_on", "party_b_signed_ip", "company_id",
]
XSS = '<p>Text</p><img src="x" onerror="alert(document.cookie)"><script>alert(1)</script>'


@tagged("post_install", "-at_install")
class TestLetterTrust(RpcCase, SafetyLetterCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.campaign._safety_generate(sync=True)
        cls.letter_signed = cls._letter(cls.employee_principal_a)
        cls.letter_signed._safety_sign("a", SIGNATURE, "Bureau Head", "10.0.0.1")
        cls.letter_signed._safety_sign("b", SIGNATURE, "Principal A", "10.0.0.2")
        cls.letter_teacher = cls._letter(cls.employee_staff_a)
        cls.letter_guardian = cls._letter(student=cls.student_1)

    def test_context_keys_and_sealed_fields(self):
        """No context key, no 'readonly' field: a signed letter changes by no call."""
        letter = self.letter_signed
        self.assertTrue(letter._safety_verify())
        snapshot = letter.read(SEALED)
        attacks = [
            {"state": "issued"},
            {"signed_date": "2020-01-01 08:00:00"},
            {"signed_hash": "0" * 64},
            {"content": "<p>forged and backdated</p>"},
            {"party_b_signed_by": "Somebody Else", "party_b_signed_ip": "6.6.6.6"},
            {"company_id": self.school_b.id},
        ]
        for login in ("t_principal_a", "t_manager"):
            for vals in attacks:
                with self.subTest(login=login, vals=vals):
                    self.assertRefused(login, "safety.letter", "write", [letter.ids, vals])
        self.assertUnchanged(letter, snapshot)
        self.assertTrue(letter._safety_verify())
        # not even the superuser's ORM changes a seal
        with self.assertRaises(UserError):
            letter.sudo().write({"content": "<p>forged</p>"})

    def test_issued_text_refused_to_every_role(self):
        """The principal once stored a script in a draft letter's text."""
        letter = self.letter_teacher
        snapshot = letter.read(["content", "state", "party_b_name"])
        for login in ("t_principal_a", "t_manager", "t_staff_a"):
            self.assertRefused(login, "safety.letter", "write", [letter.ids, {"content": XSS}])
            self.assertRefused(login, "safety.letter", "write", [letter.ids, {"party_b_name": "X"}])
        self.assertUnchanged(letter, snapshot)

    def test_tampered_seal_fails_verification(self):
        """A change below the ORM (direct SQL, the only path left) shows on the public page."""
        letter = self.letter_signed
        original = letter.content
        url = f"/safety/letter/verify/{letter.verification_uuid}"
        self.assertEqual(self.url_open(url).status_code, 200)
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE safety_letter SET content = %s WHERE id = %s", ["<p>forged</p>", letter.id]
        )
        self.env.invalidate_all()
        self.assertEqual(self.url_open(url).status_code, 404)
        # a backdated seal date (the hash still matching the text) fails too
        self.env.cr.execute(
            "UPDATE safety_letter SET content = %s, signed_date = signed_date - interval '30 days' WHERE id = %s",
            [str(original), letter.id],
        )
        self.env.invalidate_all()
        self.assertEqual(self.url_open(url).status_code, 404)

    def test_deleting_campaign_keeps_letters(self):
        letters = self.campaign.letter_ids
        count = len(letters)
        self.assertRefused("t_manager", "safety.letter.campaign", "unlink", [self.campaign.ids])
        self.assertRefused("t_manager", "safety.letter", "unlink", [self.letter_signed.ids])
        self.assertRefused(
            "t_manager", "safety.letter.campaign", "write",
            [self.campaign.ids, {"letter_ids": [Command.clear()]}],
        )
        self.assertEqual(self.env["safety.letter"].search_count([("campaign_id", "=", self.campaign.id)]), count)
        self.assertTrue(self.letter_signed.exists())

    def test_tokens_not_readable(self):
        """The class teacher (party A of the guardian's letter) must not read the guardian's
        token, nor anybody else over RPC: it signs for the guardian."""
        letter = self.letter_guardian
        token = letter.sudo().access_token
        self.assertTrue(token)
        for login in ("t_staff_a", "t_inspector", "t_principal_a", "t_manager"):
            with self.subTest(login=login):
                self.assertRefused(login, "safety.letter", "read", [letter.ids, ["access_token"]], context={})
                self.assertRefused(
                    login, "safety.letter", "search_read", [[("id", "=", letter.id)], ["access_token"]], context={}
                )
                self.assertRefused(
                    login, "safety.letter", "web_search_read", [],
                    {"domain": [("id", "=", letter.id)], "specification": {"access_token": {}}}, context={},
                )
                self.assertRefused(login, "safety.letter", "export_data", [letter.ids, ["access_token"]], context={})
                self.assertRefused(
                    login, "safety.letter", "read_group", [[], ["access_token"], ["access_token"]], context={}
                )
                self.assertRefused(login, "safety.letter", "get_portal_url", [letter.ids], context={})
        # the portal's share wizard would hand the token to any reader of the letter
        body = self.call_kw(
            "t_staff_a", "portal.share", "onchange", [{}, [], {"res_model": {}, "res_id": {}, "share_link": {}}],
            context={"active_model": "safety.letter", "active_id": letter.id},
        )
        self.assertNotIn(token, json.dumps(body))

    def test_signing_link_handed_out_by_its_roles_and_logged(self):
        letter = self.letter_guardian
        token = letter.sudo().access_token
        messages = len(letter.message_ids)
        # the class teacher hands the guardian's link out (on a slip, in the class group)
        result = self.assertAllowed("t_staff_a", "safety.letter", "action_signing_link", [letter.ids])
        self.assertIn(token, result["url"])
        self.assertEqual(len(letter.message_ids), messages + 1)
        self.assertIn("handed out", letter.message_ids[0].body)
        # the inspector, the guard and another school's principal do not
        for login in ("t_inspector", "t_guard_a", "t_principal_b"):
            self.assertRefused(login, "safety.letter", "action_signing_link", [letter.ids], context={})
        # and the party A signs as the other party by no link: they pass it on
        self.authenticate("t_staff_a", "t_staff_a")
        response = self.url_open(
            f"/my/safety/letters/{letter.id}/sign?access_token={token}",
            data=json.dumps({"params": {"name": "Guardian One", "signature": SIGNATURE.decode()}}),
            headers={"Content-Type": "application/json"},
        )
        self.assertIn("error", response.json()["result"])
        self.env.invalidate_all()
        self.assertFalse(letter.party_b_signed_on)

    def test_signer_ip_comes_from_the_request(self):
        letter = self.letter_teacher
        wizard = self.assertAllowed(
            "t_staff_a", "safety.letter.sign.wizard", "create",
            [{"letter_id": letter.id, "name": "Teacher A", "signature": SIGNATURE.decode()}],
            context=HOSTILE_CONTEXT,
        )
        self.assertAllowed(
            "t_staff_a", "safety.letter.sign.wizard", "action_sign", [[wizard]], context=HOSTILE_CONTEXT
        )
        self.assertTrue(letter.party_b_signed_on)
        self.assertNotEqual(letter.party_b_signed_ip, "6.6.6.6")
        self.assertEqual(letter.party_b_signed_ip, "127.0.0.1")

    def test_sign_wizard_shows_own_letters_only(self):
        """The wizard's letter text was read as superuser: the guard read the principal's
        letter, another school read school A's."""
        letter = self.letter_signed
        for login in ("t_guard_a", "t_principal_b"):
            with self.subTest(login=login):
                self.assertRefused(login, "safety.letter.sign.wizard", "create", [{"letter_id": letter.id}], context={})
                body = self.call_kw(
                    login, "safety.letter.sign.wizard", "onchange",
                    [{"letter_id": letter.id}, ["letter_id"], {"letter_id": {}, "content": {}}],
                )
                self.assertNotIn("Principal A", json.dumps(body.get("result", {})))

    def test_guardians_and_students_belong_to_their_school(self):
        guardian = self.guardian_1
        self.assertEqual(guardian.company_id, self.school_a)
        self.assertRefused(
            "t_principal_b", "res.partner", "read", [guardian.ids, ["name", "phone", "email"]], context={}
        )
        found = self.assertAllowed(
            "t_principal_b", "res.partner", "search_read", [[("phone", "=", guardian.phone)], ["name"]]
        )
        self.assertEqual(found, [])
        found = self.assertAllowed("t_principal_b", "safety.student", "search_read", [[], ["name"]])
        self.assertEqual(found, [])
        self.assertRefused(
            "t_principal_b", "safety.student", "read", [self.student_1.ids, ["guardian_phone"]], context={}
        )
        # the school's own officer keeps the guardian's phone up to date
        self.assertAllowed(
            "t_officer_a", "safety.student", "write", [self.student_1.ids, {"guardian_phone": "13900000009"}]
        )
        self.assertEqual(guardian.phone, "13900000009")
        # and moves no student (with letters and guardian) to another school
        self.assertRefused(
            "t_officer_a", "safety.student", "write", [self.student_1.ids, {"company_id": self.school_b.id}]
        )

    def test_rich_text_sanitised_and_escaped(self):
        template = self.letter_guardian.template_id
        action = self.assertAllowed("t_manager", "safety.letter.template", "action_new_version", [template.ids])
        new = action["res_id"]
        self.assertAllowed("t_manager", "safety.letter.template", "write", [[new], {"preamble": XSS}])
        stored = self.env["safety.letter.template"].browse(new).preamble
        self.assertNotIn("onerror", stored)
        self.assertNotIn("<script", stored)
        # text that reached the database some other way is escaped on output still
        letter = self.letter_guardian
        self.env.flush_all()
        self.env.cr.execute("UPDATE safety_letter SET content = %s WHERE id = %s", [XSS, letter.id])
        self.env.invalidate_all()
        page = self.url_open(f"/my/safety/letters/{letter.id}?access_token={letter.sudo().access_token}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("<p>Text</p>", page.text)
        self.assertNotIn("alert(document.cookie)", page.text)
        self.assertNotIn("<script>alert(1)", page.text)
        html = self.env["ir.actions.report"]._render_qweb_html("school_safety.safety_letter_document", letter.ids)[0]
        self.assertIn(b"<p>Text</p>", html)
        self.assertNotIn(b"alert(document.cookie)", html)

    def test_privileged_school_creation_takes_a_profile_only(self):
        admin_partner = self.env.ref("base.user_admin").partner_id
        snapshot = admin_partner.read(["name", "email", "parent_id"])
        self.assertRefused(
            "t_manager", "res.company", "create",
            [{"name": "Hijack School", "parent_id": self.bureau.id, "safety_school_type": "primary",
              "partner_id": admin_partner.id}], context={},
        )
        self.assertUnchanged(admin_partner, snapshot)
        self.assertFalse(self.env["res.company"].search([("name", "=", "Hijack School")]))
        # on a school of theirs: the profile, not the contact behind it nor the bureau tree
        self.assertRefused(
            "t_manager", "res.company", "write", [self.school_a.ids, {"partner_id": admin_partner.id}], context={}
        )
        self.assertRefused(
            "t_manager", "res.company", "write", [self.school_a.ids, {"user_ids": [Command.link(2)]}], context={}
        )
        self.assertAllowed("t_manager", "res.company", "write", [self.school_a.ids, {"safety_building_floors": 5}])
        new = self.assertAllowed(
            "t_manager", "res.company", "create",
            [{"name": "New School", "parent_id": self.bureau.id, "safety_school_type": "primary"}],
        )
        self.assertTrue(self.env["res.company"].browse(new).safety_is_school)

    def test_privileged_school_creation_takes_only_its_fields(self):
        """The one create that runs as superuser (a bureau manager registering a school) takes
        the fields of a school profile and refuses any other, whatever the context says."""
        Company = self.env["res.company"]
        admin = self.env.ref("base.user_admin")
        snapshot = admin.partner_id.read(["name", "email", "parent_id", "company_id"])
        profile = {"name": "Hijack School", "parent_id": self.bureau.id, "safety_school_type": "primary"}
        attacks = {
            "partner_id": admin.partner_id.id,
            "user_ids": [Command.link(admin.id)],
            "safety_principal_id": self.employee_principal_a.id,
            "safety_is_bureau": True,
            "currency_id": self.env.ref("base.USD").id,
            # empty values of fields the school form does not show are refused too
            "active": False,
            "sequence": 0,
        }
        for name, value in attacks.items():
            with self.subTest(field=name):
                message = self.assertRefused("t_manager", "res.company", "create", [[dict(profile, **{name: value})]])
                self.assertIn("registered with its profile only", message)
                self.assertIn(Company._fields[name]._description_string(self.env), message)
        self.assertFalse(Company.search([("name", "=", "Hijack School")]))
        self.assertUnchanged(admin.partner_id, snapshot)
        # the client's defaults do not reach the privileged create either
        hostile_defaults = dict(
            HOSTILE_CONTEXT, default_partner_id=admin.partner_id.id, default_user_ids=[admin.id],
            default_active=False, default_safety_is_bureau=True, default_parent_id=self.school_b.id,
        )
        new = self.assertAllowed(
            "t_manager", "res.company", "create", [[dict(profile, name="Context School")]], context=hostile_defaults,
        )
        school = Company.browse(new)
        self.assertNotEqual(school.partner_id, admin.partner_id)
        self.assertTrue(school.active)
        self.assertFalse(school.safety_is_bureau)
        self.assertEqual(school.parent_id, self.bureau)
        self.assertNotIn(admin, school.user_ids)
        self.assertUnchanged(admin.partner_id, snapshot)
        # the empty values the school form sends of its other fields set nothing
        self.assertAllowed("t_manager", "res.company", "create", [[dict(
            profile, name="Form School", safety_principal_id=False, safety_officer_id=False, safety_is_bureau=False,
        )]])
        # what the database refuses reaches the manager as a refusal with the rule's message
        with mute_logger("odoo.sql_db"):
            message = self.assertRefused(
                "t_manager", "res.company", "create",
                [[dict(profile, name="Negative School", safety_enrollment_day=-5)]],
            )
            self.assertIn("cannot be negative", message)
            message = self.assertRefused(
                "t_manager", "res.company", "write", [self.school_a.ids, {"safety_latitude": 95.0}], context={},
            )
            self.assertIn("latitude must lie between -90 and 90", message)
        self.assertFalse(Company.search([("name", "=", "Negative School")]))

    def test_privileged_steps_check_their_caller(self):
        campaign = self.env["safety.letter.campaign"].create({
            "name": "Next year", "bureau_id": self.bureau.id, "year": fields.Date.today().year + 1,
            "bureau_signatory_id": self.employee_bureau.id, "lang": "en_US", "auto_issue": False,
        })
        campaign._safety_generate(sync=True)
        drafts = campaign.letter_ids
        self.assertTrue(drafts and set(drafts.mapped("state")) == {"draft"})
        self.assertRefused("t_inspector", "safety.letter.campaign", "action_issue_all", [campaign.ids])
        self.assertRefused("t_inspector", "safety.letter", "action_issue", [drafts[:1].ids])
        self.assertEqual(set(drafts.mapped("state")), {"draft"})
        self.assertRefused("t_staff_a", "safety.letter", "action_supersede", [self.letter_teacher.ids])
        self.assertEqual(self.letter_teacher.state, "issued")
        # the campaign's progress lines are its own
        self.assertRefused(
            "t_manager", "safety.letter.campaign.line", "create",
            [{"campaign_id": campaign.id, "company_id": self.school_b.id}],
        )
        self.assertRefused("t_manager", "safety.letter.campaign", "write", [campaign.ids, {"state": "draft"}])
