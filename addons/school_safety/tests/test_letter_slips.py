"""Guardians are reached where they are: paper slips with the QR code of each guardian's
signing link, a list of names and links for the class group chat, the signing followed class
by class. The links are handed out by their roles only, and every hand-out is logged."""

import json
import os
import subprocess
import tempfile
from urllib.parse import urlencode

import zxingcpp
from lxml import html as lxml_html
from PIL import Image

from odoo import fields, http
from odoo.tests import tagged

from .common_letter import SIGNATURE, SafetyLetterCase
from .common_rpc import RpcCase

SLIPS = "school_safety.safety_letter_guardian_slips"
BIG_CLASS = 18  # more than two pages of eight slips


@tagged("post_install", "-at_install")
class TestLetterSlips(RpcCase, SafetyLetterCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.student_3 = cls.env["safety.student"].create({
            "name": "Student Three",
            "company_id": cls.school_a.id,
            "class_name": "Class 3-1",
            "class_teacher_id": cls.employee_staff_a.id,
            "guardian_name": "Guardian Three",
        })
        cls.big_students = cls.env["safety.student"].create([
            {
                "name": f"Pupil {n:02d}",
                "company_id": cls.school_a.id,
                "class_name": "Class 5-2",
                "class_teacher_id": cls.employee_staff_a.id,
                "guardian_name": f"Parent {n:02d}",
                "guardian_phone": f"1390000{n:04d}",
            }
            for n in range(1, BIG_CLASS + 1)
        ])
        cls.campaign._safety_generate(sync=True)
        cls.letter_1 = cls._letter(student=cls.student_1)
        cls.letter_2 = cls._letter(student=cls.student_2)
        cls.letter_3 = cls._letter(student=cls.student_3)
        # the letter of student 2 is signed, the guardian of student 3 signed (the teacher not
        # yet): no slip, no link for either
        cls.letter_2._safety_sign("a", SIGNATURE, "Teacher A", "10.0.0.1")
        cls.letter_2._safety_sign("b", SIGNATURE, "Guardian Two", "10.0.0.2")
        cls.letter_3._safety_sign("b", SIGNATURE, "Guardian Three", "10.0.0.3")
        cls.letter_teacher = cls._letter(cls.employee_staff_a)
        cls.class_31 = cls.letter_1 | cls.letter_2 | cls.letter_3
        cls.class_52 = cls.env["safety.letter"].sudo().search(
            [("campaign_id", "=", cls.campaign.id), ("student_id", "in", cls.big_students.ids)]
        )

    # ------------------------------------------------------------ helpers

    def _decode_pdf(self, pdf):
        """The QR codes of each page of ``pdf``, read back with a real decoder."""
        self.assertTrue(pdf.startswith(b"%PDF"))
        pages = []
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "slips.pdf")
            with open(path, "wb") as file:
                file.write(pdf)
            subprocess.run(["pdftoppm", "-r", "150", "-png", path, os.path.join(tmp, "page")],
                           check=True, timeout=120)
            for name in sorted(os.listdir(tmp)):
                if name.endswith(".png"):
                    with Image.open(os.path.join(tmp, name)) as image:
                        pages.append([
                            result.text for result in zxingcpp.read_barcodes(image)
                            if result.format == zxingcpp.BarcodeFormat.QRCode
                        ])
        return pages

    def _render_pdf(self, user, letters):
        return self.env["ir.actions.report"].with_user(user).with_context(
            force_report_rendering=True,
        )._render_qweb_pdf(SLIPS, letters.ids)[0]

    def _url(self, letter):
        return letter.sudo()._safety_portal_url("b")

    def _hand_out_notes(self, letter):
        return letter.sudo().message_ids.filtered(lambda m: "handed out by" in str(m.body))

    # -------------------------------------------------------------- slips

    def test_slips_decode_to_each_guardians_signing_page(self):
        """As the class teacher: one slip per guardian still to sign, its QR code opens that
        guardian's signing page for anybody holding the paper, without any session."""
        teacher = self.user_staff_a
        # the button tells how many letters it left out, then prints the others
        action = (self.class_31 | self.letter_teacher).with_user(teacher).action_print_guardian_slips()
        self.assertEqual(action["tag"], "display_notification")
        self.assertIn("3 selected letters were skipped", action["params"]["message"])
        self.assertEqual(action["params"]["next"]["type"], "ir.actions.report")
        self.assertEqual(action["params"]["next"]["context"]["active_ids"], self.letter_1.ids)

        pdf = self._render_pdf(teacher, self.class_31 | self.letter_teacher)
        pages = self._decode_pdf(pdf)
        self.assertEqual(pages, [[self._url(self.letter_1)]], "one slip, for the guardian still to sign")
        self.assertEqual(len(self._hand_out_notes(self.letter_1)), 1)
        self.assertIn(teacher.name, str(self._hand_out_notes(self.letter_1).body))
        self.assertFalse(self._hand_out_notes(self.letter_2), "a signed letter hands nothing out")
        self.assertFalse(self._hand_out_notes(self.letter_3), "nor one the guardian signed")

        self.opener.cookies.clear()  # the paper goes home: no session at all
        response = self.url_open(pages[0][0])
        self.assertEqual(response.status_code, 200)
        self.assertIn("Guardian One", response.text)
        self.assertIn("o_safety_letter_sign_open", response.text)

    def test_big_class_paginates_and_no_slip_splits(self):
        teacher = self.user_staff_a
        letters = self.class_52
        self.assertEqual(len(letters), BIG_CLASS)
        page_html = self.env["ir.actions.report"].with_user(teacher)._render_qweb_html(SLIPS, letters.ids)[0]
        tree = lxml_html.fromstring(page_html)
        slips = tree.xpath("//td[contains(@class, 'o_safety_slip')]")
        self.assertEqual(len(slips), BIG_CLASS)
        for slip in slips:
            self.assertIn("page-break-inside: avoid", slip.get("style"))
            body = slip.xpath(".//div[contains(@class, 'o_safety_slip_body')]")[0]
            self.assertIn("page-break-inside: avoid", body.get("style"))
            self.assertIn("height: 60mm", body.get("style"))
        sheets = tree.xpath("//div[contains(@class, 'o_safety_slip_page')]")
        self.assertEqual(len(sheets), 3)
        self.assertEqual(
            ["page-break-after: always" in (sheet.get("style") or "") for sheet in sheets], [True, True, False]
        )
        self.assertNotIn(b"/report/barcode", page_html, "the links never go into a barcode URL")
        self.assertNotIn(letters[0].sudo().access_token.encode(), page_html, "only inside the QR images")

        pdf = self._render_pdf(teacher, letters)
        pages = self._decode_pdf(pdf)
        # eight whole slips a page: a slip cut by a page break would lose its QR code
        self.assertEqual([len(page) for page in pages], [8, 8, 2])
        by_url = {self._url(letter): letter for letter in letters}
        self.assertEqual(sorted(url for page in pages for url in page), sorted(by_url))
        self.opener.cookies.clear()
        for url in (url for page in pages for url in page):
            response = self.url_open(url)
            self.assertEqual(response.status_code, 200, url)
            self.assertIn(by_url[url].party_b_name, response.text)
        # each hand-out is noted on its letter: two renderings, two notes each
        for letter in letters:
            self.assertEqual(len(self._hand_out_notes(letter)), 2)

    # --------------------------------------------------------------- list

    def test_link_list_for_the_class_group(self):
        letters = self.class_31 | self.class_52 | self.letter_teacher
        action = self.assertAllowed("t_staff_a", "safety.letter", "action_guardian_link_list", [letters.ids])
        self.assertEqual(action["res_model"], "safety.letter.guardian.links")
        self.assertNotIn(self.letter_1.sudo().access_token, json.dumps(action))
        [wizard] = self.assertAllowed(
            "t_staff_a", "safety.letter.guardian.links", "read",
            [[action["res_id"]], ["text", "letter_count", "skipped_count"]],
        )
        self.assertEqual((wizard["letter_count"], wizard["skipped_count"]), (1 + BIG_CLASS, 3))
        text = wizard["text"]
        for letter in self.letter_1 | self.class_52:
            url = self._url(letter)
            self.assertEqual(text.count(url), 1, letter.name)
            line = next(line for line in text.splitlines() if url in line)
            self.assertEqual(
                line, f"{letter.student_id.name}'s guardian {letter.party_b_name}: {url}"
            )
            notes = self._hand_out_notes(letter)
            self.assertEqual(len(notes), 1)
            self.assertIn(self.user_staff_a.name, str(notes.body))
        for letter in self.letter_2 | self.letter_3:
            self.assertNotIn(self._url(letter), text)
            self.assertFalse(self._hand_out_notes(letter))
        self.assertIn("Class 3-1: dear parents", text)
        self.assertIn("Class 5-2: dear parents", text)

        # the list is its user's: nobody else reads it, no client makes or changes one
        for login in ("t_principal_a", "t_manager", "t_officer_a"):
            with self.subTest(login=login):
                self.assertRefused(
                    login, "safety.letter.guardian.links", "read", [[action["res_id"]], ["text"]], context={}
                )
                found = self.assertAllowed(
                    login, "safety.letter.guardian.links", "search_read", [[], ["text"]]
                )
                self.assertEqual(found, [])
        forged = "Student One's guardian Guardian One: https://evil.example.com/phish"
        self.assertRefused("t_staff_a", "safety.letter.guardian.links", "create", [{"text": forged}])
        self.assertRefused("t_staff_a", "safety.letter.guardian.links", "create", [{}])
        self.assertRefused(
            "t_staff_a", "safety.letter.guardian.links", "write", [[action["res_id"]], {"text": forged}]
        )
        self.assertNotIn("evil", self.env["safety.letter.guardian.links"].browse(action["res_id"]).text)

    def test_hand_out_logged_in_one_batch(self):
        """One note per letter, created together: the queries do not grow with the class."""
        teacher_env = self.env(user=self.user_staff_a)
        counts = []
        # the first call warms the caches (groups, rules, parameters) up
        for letters in (self.letter_1, self.class_52[:2], self.class_52[2:]):
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            letters.with_env(teacher_env).action_guardian_link_list()
            self.env.flush_all()
            counts.append(self.env.cr.sql_log_count - before)
        self.assertEqual(counts[1], counts[2], f"queries for 1, 2 and {BIG_CLASS - 2} letters: {counts}")

    # ---------------------------------------------------------- refusals

    def test_refused_to_who_may_not_hand_links_out(self):
        letters = self.class_31 | self.class_52
        tokens = [letter.sudo().access_token for letter in letters]
        notes = {letter.id: len(letter.sudo().message_ids) for letter in letters}
        ids = ",".join(map(str, letters.ids))
        for login in ("t_guard_a", "t_inspector", "t_principal_b"):
            with self.subTest(login=login):
                self.assertRefused(login, "safety.letter", "action_print_guardian_slips", [letters.ids])
                self.assertRefused(login, "safety.letter", "action_guardian_link_list", [letters.ids])
                self.assertRefused(login, "safety.letter", "action_guardian_link_list", [self.letter_1.ids])
                self._rpc_login = None
                self.authenticate(login, login)
                answers = []
                for converter in ("pdf", "html"):
                    response = self.url_open(f"/report/{converter}/{SLIPS}/{ids}")
                    self.assertNotEqual(response.status_code, 200, converter)
                    answers.append(response.text)
                    hostile = json.dumps({"force_report_rendering": True, "safety_letter_internal": True})
                    response = self.url_open(f"/report/{converter}/{SLIPS}/{ids}?{urlencode({'context': hostile})}")
                    self.assertNotEqual(response.status_code, 200, converter)
                    answers.append(response.text)
                response = self.url_open(
                    "/report/download",
                    data={
                        "data": json.dumps([f"/report/pdf/{SLIPS}/{ids}", "qweb-pdf"]),
                        "context": json.dumps({}),
                        "csrf_token": http.Request.csrf_token(self),
                    },
                )
                answers.append(response.text)
                self.assertNotIn("%PDF", response.text)
                for answer in answers:
                    for token in tokens:
                        self.assertNotIn(token, answer)
                # no list was made for them, and they read nobody else's (the inspector has no
                # access to the lists at all)
                body = self.call_kw(login, "safety.letter.guardian.links", "search_read", [[], ["text"]])
                self.assertTrue("error" in body or body["result"] == [], body)
        self.env.invalidate_all()
        self.assertEqual({letter.id: len(letter.sudo().message_ids) for letter in letters}, notes)

    # ---------------------------------------------------------- progress

    def test_progress_by_class(self):
        self.assertEqual(self.letter_1.class_name, "Class 3-1", "written by the campaign's bulk insert")
        self.assertFalse(self.letter_teacher.class_name)
        domain = [("campaign_id", "=", self.campaign.id), ("level", "=", "class_teacher_guardian")]
        groups = self.env["safety.letter"].with_user(self.user_staff_a).read_group(
            domain, ["class_name"], ["class_name", "progress"], lazy=False
        )
        counts = {(g["class_name"], g["progress"]): g["__count"] for g in groups}
        self.assertEqual(counts, {
            ("Class 3-1", "signed"): 1,
            ("Class 3-1", "pending"): 2,
            ("Class 5-2", "pending"): BIG_CLASS,
        })
        # the class filter of the search view
        found = self.env["safety.letter"].with_user(self.user_staff_a).search(
            domain + [("class_name", "ilike", "5-2")]
        )
        self.assertEqual(found, self.class_52)
        # a pupil changing class is followed by their letter (signed ones too: not in the seal)
        self.big_students[0].class_name = "Class 5-3"
        self.student_2.class_name = "Class 4-1"
        self.assertEqual(self.class_52[:1].class_name, "Class 5-3")
        self.assertEqual(self.letter_2.class_name, "Class 4-1")
        self.assertTrue(self.letter_2._safety_verify())
        self.assertRefused(
            "t_principal_a", "safety.letter", "write", [self.letter_1.ids, {"class_name": "Class 9-9"}]
        )
        self.assertEqual(self.letter_1.class_name, "Class 3-1")

    # ----------------------------------------------------------- language

    def test_chinese_letters_get_chinese_slips_and_lines(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["school_safety"], ["zh_CN"], overwrite=True)
        campaign = self.env["safety.letter.campaign"].create({
            "name": "Next year (Chinese)", "bureau_id": self.bureau.id, "year": fields.Date.today().year + 1,
            "bureau_signatory_id": self.employee_bureau.id, "lang": "zh_CN",
        })
        campaign._safety_generate(sync=True)
        letter = self._letter(student=self.student_1, campaign=campaign)
        self.assertEqual(letter.state, "issued")
        teacher = self.user_staff_a  # the user's own language stays English
        page_html = self.env["ir.actions.report"].with_user(teacher)._render_qweb_html(SLIPS, letter.ids)[0]
        self.assertIn("请用手机扫描二维码".encode(), page_html)
        self.assertNotIn(b"Please scan the QR code", page_html)
        action = letter.with_user(teacher).action_guardian_link_list()
        text = self.env["safety.letter.guardian.links"].with_user(teacher).browse(action["res_id"]).text
        self.assertIn(f"Student One 家长 Guardian One: {self._url(letter)}", text)
