from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged, users

from .common_letter import SIGNATURE, SafetyLetterCase


@tagged("post_install", "-at_install")
class TestLetterSigning(SafetyLetterCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.campaign.action_generate()
        cls.letter_principal = cls._letter(cls.employee_principal_a)
        cls.letter_teacher = cls._letter(cls.employee_staff_a)
        cls.letter_guardian = cls._letter(student=cls.student_1)

    def _sign(self, letter, user, name=None):
        # a client's context cannot give the signer's address (read from the request: none here)
        letter.with_user(user).with_context(safety_signer_ip="10.0.0.7").action_sign(SIGNATURE, name)

    def test_both_sign_then_locked_and_hashed(self):
        letter = self.letter_principal
        self._sign(letter, self.user_manager)
        self.assertEqual(letter.state, "issued")
        self.assertEqual(letter.party_a_signed_by, self.user_manager.name)
        self.assertEqual(letter.party_a_signed_ip, "")
        self.assertTrue(letter.party_a_signed_on)
        self._sign(letter, self.user_principal_a, "Principal A")
        self.assertEqual(letter.state, "signed")
        self.assertEqual(letter.progress, "signed")
        self.assertEqual(len(letter.signed_hash), 64)
        self.assertEqual(letter.signed_hash, letter._safety_compute_hash())
        self.assertTrue(letter._safety_verify())
        self.assertEqual(letter.signed_date, max(letter.party_a_signed_on, letter.party_b_signed_on))
        # any later write to content or signatures is refused, even for the bureau
        for vals in (
            {"content": "<p>changed</p>"},
            {"party_b_signed_by": "Someone"},
            {"signed_hash": "0" * 64},
        ):
            with self.assertRaises(UserError):
                letter.with_user(self.user_manager).write(vals)
            with self.assertRaises(UserError):
                letter.sudo().write(vals)
        with self.assertRaises(UserError):
            letter.unlink()
        # tampering behind the ORM's back breaks the verification
        letter.flush_recordset()
        self.env.cr.execute("UPDATE safety_letter SET content = '<p>forged</p>' WHERE id = %s", [letter.id])
        letter.invalidate_recordset()
        self.assertFalse(letter._safety_verify())

    def test_hash_covers_signature_details(self):
        letter = self.letter_principal
        self._sign(letter, self.user_manager)
        self._sign(letter, self.user_principal_a)
        digest = letter.signed_hash
        letter.flush_recordset()
        self.env.cr.execute(
            "UPDATE safety_letter SET party_b_signed_ip = '1.2.3.4' WHERE id = %s", [letter.id]
        )
        letter.invalidate_recordset()
        self.assertNotEqual(letter._safety_compute_hash(), digest)

    def test_backend_sign_wizard(self):
        wizard = self.env["safety.letter.sign.wizard"].with_user(self.user_staff_a).create({
            "letter_id": self.letter_teacher.id,
            "name": "Teacher A",
            "signature": SIGNATURE,
        })
        wizard.action_sign()
        self.assertEqual(self.letter_teacher.party_b_signed_by, "Teacher A")
        self.assertFalse(self.letter_teacher.party_a_signed_on)

    def test_sign_errors_change_nothing(self):
        letter = self.letter_teacher
        # empty signature
        with self.assertRaises(UserError):
            letter.with_user(self.user_staff_a).action_sign(False)
        with self.assertRaises(UserError):
            letter.with_user(self.user_staff_a).action_sign(b"bm90IGFuIGltYWdl")  # "not an image"
        self.assertFalse(letter.party_b_signed_on)
        # signing for someone else: the officer sees the letter but is no party to it
        with self.assertRaises(UserError):
            letter.with_user(self.user_officer_a).action_sign(SIGNATURE)
        self.assertFalse(letter.party_a_signed_on or letter.party_b_signed_on)
        # direct write of a signature, bypassing the Sign action
        with self.assertRaises(UserError):
            letter.with_user(self.user_principal_a).write({"party_a_signature": SIGNATURE})
        # signing twice
        self._sign(letter, self.user_staff_a)
        with self.assertRaises(UserError):
            self._sign(letter, self.user_staff_a)
        # signing a fully signed letter
        self._sign(letter, self.user_principal_a)
        with self.assertRaises(UserError):
            self._sign(letter, self.user_principal_a)

    def test_sign_unissued(self):
        campaign = self.env["safety.letter.campaign"].create({
            "name": "Draft campaign",
            "year": 2031,
            "bureau_id": self.bureau.id,
            "bureau_signatory_id": self.employee_bureau.id,
            "lang": "zh_CN",
            "auto_issue": False,
        })
        campaign.action_generate()
        letter = self._letter(self.employee_staff_a, campaign=campaign)
        self.assertEqual(letter.state, "draft")
        with self.assertRaises(UserError):
            self._sign(letter, self.user_staff_a)
        self.assertFalse(letter.party_b_signed_on)
        self.assertIn("一票否决", campaign.action_issue_all() and letter.content)

    def test_pdf_and_excel(self):
        letter = self.letter_principal
        self._sign(letter, self.user_manager)
        self._sign(letter, self.user_principal_a)
        html = self.env["ir.actions.report"]._render_qweb_html(
            "school_safety.safety_letter_report", letter.ids
        )[0].decode()
        self.assertIn(letter.signed_hash, html)
        self.assertIn("barcode_type=QR", html)
        self.assertIn(letter.verification_uuid, html)
        self.assertEqual(html.count('o_safety_signature'), 2)
        self.assertEqual(html.count(SIGNATURE.decode()), 2)
        pdf, kind = self.env["ir.actions.report"].with_context(force_report_rendering=True)._render_qweb_pdf(
            "school_safety.safety_letter_report", letter.ids
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        xlsx, kind = self.env["ir.actions.report"]._render(
            "school_safety.safety_letter_xlsx_report", self.campaign.ids
        )
        self.assertEqual(kind, "xlsx")
        self.assertTrue(xlsx.startswith(b"PK"))

    def test_signers_told_at_issue(self):
        """Issued letters give their signers an activity and a link at once, not at the first
        reminder a week later."""
        # the teacher signs their own letter: an activity on it, the day it is issued
        self.assertEqual(self.letter_teacher.activity_ids.user_id, self.user_staff_a)
        # the guardian with an email has their link by email
        mails = self.env["mail.mail"].search(
            [("model", "=", "safety.letter"), ("res_id", "=", self.letter_guardian.id)]
        )
        self.assertEqual(len(mails), 1)
        self.assertIn(f"access_token={self.letter_guardian.sudo().access_token}", mails.body_html)
        # the class teacher hands the link to the guardian without email, and signs as party A
        notes = self.env["mail.activity"].search(
            [("res_model", "=", "safety.letter"), ("user_id", "=", self.user_staff_a.id)]
        ).mapped("note")
        self.assertTrue(any("have no email" in note for note in notes), notes)
        self.assertTrue(any("as party A" in note for note in notes), notes)
        # the principal signs as party A of the deputies' and staff's letters
        self.assertTrue(self.env["mail.activity"].search(
            [("res_model", "=", "safety.letter"), ("user_id", "=", self.user_principal_a.id)]
        ))

    def test_reminders_overdue_escalation(self):
        self.campaign.write({"reminder_days": 3, "escalation_days": 10})
        letter = self.letter_teacher
        deadline = letter.deadline
        with freeze_time(fields.Datetime.now() + timedelta(days=4)):
            self.env["safety.letter.campaign"]._cron_remind()
        self.assertTrue(letter.reminder_date)
        self.assertEqual(letter.activity_ids.user_id, self.user_staff_a)
        mails = self.env["mail.mail"].search(
            [("model", "=", "safety.letter"), ("res_id", "=", self.letter_guardian.id)]
        )
        self.assertEqual(len(mails), 2, "the link at issue, the reminder after three days")
        self.assertIn("access_token=", mails[0].body_html)
        with freeze_time(fields.Datetime.to_datetime(deadline) + timedelta(days=11)):
            self.env["safety.letter.campaign"]._cron_remind()
        self.assertEqual(letter.progress, "overdue")
        escalation = self.env["mail.activity"].search([
            ("activity_type_id", "=", self.env.ref("school_safety.mail_activity_type_safety_letter_escalation").id),
            ("user_id", "=", self.user_principal_a.id),
        ])
        self.assertEqual(len(escalation), 1)
        self.assertTrue(letter.escalation_date)


@tagged("post_install", "-at_install")
class TestLetterSecurity(SafetyLetterCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.campaign.action_generate()
        cls.all_letters = cls._letter()

    def _visible(self):
        return self.env["safety.letter"].search([("campaign_id", "=", self.campaign.id)])

    @users("t_staff_a")
    def test_staff_sees_own_letters(self):
        # teacher A: own letter (party B) and the two guardian letters (party A)
        expected = self._letter(self.employee_staff_a) | self._letter(student=self.student_1) | self._letter(
            student=self.student_2
        )
        self.assertEqual(self._visible(), expected.with_env(self.env))

        with self.assertRaises(AccessError):
            self._letter(self.employee_guard_a).with_env(self.env).read(["content"])
        with self.assertRaises(AccessError):
            self._letter(self.employee_staff_a).with_env(self.env).write({"deadline": "2030-01-01"})

    @users("t_guard_a")
    def test_guard_sees_own_letter(self):
        self.assertEqual(self._visible(), self._letter(self.employee_guard_a).with_env(self.env))

    @users("t_principal_a")
    def test_principal_sees_school(self):
        expected = self.all_letters.filtered(lambda letter: letter.company_id == self.school_a)
        self.assertEqual(self._visible(), expected.with_env(self.env))
        self.assertEqual(len(expected), 8)

        with self.assertRaises(AccessError):
            self.env["safety.letter.campaign"].create({"name": "x", "bureau_id": self.bureau.id})
        with self.assertRaises(AccessError):
            self.campaign.with_env(self.env).action_generate()
        students = self.env["safety.student"].search([])
        self.assertEqual(students, (self.student_1 | self.student_2).with_env(self.env))

    @users("t_principal_b")
    def test_principal_b_never_sees_school_a(self):
        self.assertEqual(
            self._visible(),
            self.all_letters.filtered(lambda letter: letter.company_id == self.school_b).with_env(self.env),
        )
        self.assertFalse(self.env["safety.student"].search([]))

    @users("t_officer_a")
    def test_officer_sees_school(self):
        self.assertEqual(
            self._visible(),
            self.all_letters.filtered(lambda letter: letter.company_id == self.school_a).with_env(self.env),
        )

    @users("t_manager", "t_inspector")
    def test_bureau_sees_all(self):
        self.assertEqual(self._visible(), self.all_letters.with_env(self.env))

    @users("t_finance")
    def test_finance_sees_nothing(self):

        with self.assertRaises(AccessError):
            self._visible()


@tagged("post_install", "-at_install")
class TestLetterOtherBureau(SafetyLetterCase):
    """Two bureaus in one database: neither sees the other's campaign, letters or students."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Company = cls.env["res.company"]
        cls.other_bureau = Company.create({"name": "Other Bureau", "safety_is_bureau": True})
        cls.other_school = Company.create({
            "name": "Other School",
            "parent_id": cls.other_bureau.id,
            "safety_school_type": "primary",
        })
        Employee = cls.env["hr.employee"]
        other_head = Employee.create({
            "name": "Other Bureau Head", "company_id": cls.other_bureau.id, "safety_position": "bureau",
        })
        other_principal = Employee.create({
            "name": "Other Principal", "company_id": cls.other_school.id, "safety_position": "principal",
        })
        cls.other_school.safety_principal_id = other_principal
        other_teacher = Employee.create({
            "name": "Other Class Teacher", "company_id": cls.other_school.id,
            "safety_position": "class_teacher", "parent_id": other_principal.id,
        })
        cls.other_student = cls.env["safety.student"].create({
            "name": "Other Student",
            "company_id": cls.other_school.id,
            "class_name": "1-1",
            "class_teacher_id": other_teacher.id,
            "guardian_id": cls.env["res.partner"].create({"name": "Other Guardian"}).id,
        })
        cls.other_campaign = cls.env["safety.letter.campaign"].create({
            "name": "Other campaign",
            "bureau_id": cls.other_bureau.id,
            "bureau_signatory_id": other_head.id,
            "lang": "en_US",
        })
        cls.campaign.action_generate()
        cls.other_campaign.action_generate()
        cls.other_letters = cls._letter(campaign=cls.other_campaign)

    @users("t_manager", "t_inspector")
    def test_bureau_sees_only_its_own_bureau(self):
        self.assertTrue(self.other_letters)
        Letter = self.env["safety.letter"]
        self.assertFalse(Letter.search([("id", "in", self.other_letters.ids)]))
        self.assertEqual(Letter.search([]), self._letter().with_env(self.env))
        self.assertNotIn(self.other_campaign, self.env["safety.letter.campaign"].search([]))
        self.assertNotIn(self.other_student, self.env["safety.student"].search([]))
        with self.assertRaises(AccessError):
            self.other_letters[0].with_env(self.env).read(["content"])
