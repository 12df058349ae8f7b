import json
from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged

from .common_letter import SIGNATURE, SafetyLetterCase


@tagged("post_install", "-at_install")
class TestLetterPortal(HttpCase, SafetyLetterCase):
    browser_size = "375x667"
    touch_enabled = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.campaign.action_generate()
        cls.letter = cls._letter(student=cls.student_1)
        cls.other = cls._letter(student=cls.student_2)
        cls.token = cls.letter.access_token

    def _sign_json(self, letter, token, signature=SIGNATURE, name="Guardian One"):
        response = self.url_open(
            f"/my/safety/letters/{letter.id}/sign?access_token={token}",
            data=json.dumps({"params": {"name": name, "signature": signature.decode() if signature else ""}}),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.status_code, 200)
        return response.json()["result"]

    def test_page_with_token(self):
        response = self.url_open(f"/my/safety/letters/{self.letter.id}?access_token={self.token}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Guardian One", response.text)
        self.assertIn("o_safety_letter_sign_open", response.text)

    def test_bad_tokens_not_found_and_nothing_written(self):
        urls = [
            f"/my/safety/letters/{self.letter.id}",
            f"/my/safety/letters/{self.letter.id}?access_token=wrong",
            f"/my/safety/letters/{self.letter.id}?access_token={self.other.access_token}",
            f"/my/safety/letters/999999999?access_token={self.token}",
        ]
        for url in urls:
            self.assertEqual(self.url_open(url).status_code, 404, url)
        result = self._sign_json(self.letter, self.other.access_token)
        self.assertIn("error", result)
        result = self._sign_json(self.letter, "wrong")
        self.assertIn("error", result)
        self.letter.invalidate_recordset()
        self.assertFalse(self.letter.party_b_signed_on)
        self.assertFalse(self.other.party_b_signed_on)

    def test_expired_token(self):
        self.letter.sudo().write(
            {"access_token_expiry": fields.Datetime.now() - timedelta(minutes=1)}
        )
        self.assertEqual(
            self.url_open(f"/my/safety/letters/{self.letter.id}?access_token={self.token}").status_code, 404
        )
        self.assertIn("error", self._sign_json(self.letter, self.token))
        self.letter.invalidate_recordset()
        self.assertFalse(self.letter.party_b_signed_on)

    def test_sign_json_and_verify(self):
        self.assertIn("error", self._sign_json(self.letter, self.token, signature=None))
        result = self._sign_json(self.letter, self.token)
        self.assertTrue(result.get("force_refresh"), result)
        self.letter.invalidate_recordset()
        self.assertEqual(self.letter.party_b_signed_by, "Guardian One")
        self.assertEqual(self.letter.party_b_signed_ip, "127.0.0.1")
        self.assertEqual(self.letter.state, "issued")
        self.assertIn("error", self._sign_json(self.letter, self.token))
        # the class teacher signs with the party A link
        result = self._sign_json(self.letter, self.letter.sudo().party_a_access_token, name="Teacher A")
        self.assertTrue(result.get("force_refresh"), result)
        self.letter.invalidate_recordset()
        self.assertEqual(self.letter.state, "signed")
        page = self.url_open(f"/safety/letter/verify/{self.letter.verification_uuid}")
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.letter.signed_hash, page.text)
        self.assertNotIn("Guardian One", page.text)
        self.assertNotIn("Student One", page.text)
        # unknown or unsigned letters: not found
        self.assertEqual(self.url_open(f"/safety/letter/verify/{self.other.verification_uuid}").status_code, 404)
        self.assertEqual(self.url_open("/safety/letter/verify/nope").status_code, 404)

    def test_guardian_signs_on_phone(self):
        self.start_tour(
            f"/my/safety/letters/{self.letter.id}?access_token={self.token}", "safety_letter_portal_sign"
        )
        self.letter.invalidate_recordset()
        self.assertTrue(self.letter.party_b_signed_on)
        self.assertTrue(self.letter.party_b_signature)
