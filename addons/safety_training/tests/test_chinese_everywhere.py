"""Chinese everywhere a Chinese user looks: public pages, PDFs, emails, activities and chatter
notes of the whole suite render in the recipient's language, else the school's (Chinese
here), whatever language the server's job or the browser speak.

Each rendered text is searched for the suite's own English terms (the msgids of the three
addons' zh_CN.po that have a translation): none may be left."""

import html
import json
import os
import re
from datetime import date, timedelta

import polib
import pytz

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.modules.module import get_module_path
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from odoo.addons.safety_inspection.tests.common import SafetyInspectionCase
from odoo.addons.school_safety.tests.common_letter import SIGNATURE, SafetyLetterCase

from .common import SafetyTrainingCase

ADDONS = ("school_safety", "safety_inspection", "safety_training")
LOADED = ("base", "web", "mail", "portal", "hr", "base_tier_validation") + ADDONS


def suite_terms():
    """The suite's English terms that Chinese replaces: phrases (two words or more)."""
    terms = set()
    for addon in ADDONS:
        po = polib.pofile(os.path.join(get_module_path(addon), "i18n", "zh_CN.po"))
        for entry in po:
            text = entry.msgid
            if not entry.msgstr or entry.msgstr == text or "%" in text or "{" in text:
                continue
            plain = re.sub(r"<[^>]+>", " ", text)
            words = re.findall(r"[A-Za-z]{2,}", plain)
            if len(words) >= 2:
                terms.add(" ".join(plain.split()))
    return terms


@tagged("post_install", "-at_install")
class TestChineseEverywhere(HttpCase, SafetyLetterCase, SafetyInspectionCase, SafetyTrainingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"].search([("name", "in", LOADED)])._update_translations(["zh_CN"])
        companies = cls.bureau | cls.school_a | cls.school_b | cls.kindergarten
        companies.partner_id.write({"lang": "zh_CN", "tz": "Asia/Shanghai"})
        (cls.guardian_1 | cls.guardian_2).lang = "zh_CN"
        users = cls.env["res.users"].search([("login", "like", "t_%")])
        users.write({"lang": "zh_CN", "tz": "Asia/Shanghai"})
        cls.terms = suite_terms()
        # names of the test world are English on purpose: they are not the suite's words
        cls.names = sorted(
            set(companies.mapped("name")) | set(cls.env["hr.employee"].search([]).mapped("name"))
            | set(cls.env["res.partner"].search([]).mapped("name")) | set(users.mapped("name"))
            | {"Test checklist", "Test Checklist"},
            key=len, reverse=True,
        )
        principal_k = cls.env["hr.employee"].create({
            "name": "Principal K", "company_id": cls.kindergarten.id, "safety_position": "principal",
        })
        cls.kindergarten.safety_principal_id = principal_k
        cls.employee_commander_k.parent_id = principal_k
        cls.campaign.lang = "zh_CN"
        cls.campaign._safety_generate(sync=True)

    def assertChinese(self, text, what):
        plain = html.unescape(re.sub(r"<[^>]+>", " ", str(text or "")))
        for name in self.names:
            plain = plain.replace(name, " ")
        plain = " ".join(plain.split())
        left = sorted(term for term in self.terms if re.search(rf"(?<![A-Za-z]){re.escape(term)}(?![A-Za-z])", plain))
        self.assertFalse(left, f"{what} shows English terms of the suite: {left}\n{plain[:1500]}")
        self.assertRegex(plain, r"[\u4e00-\u9fff]", f"{what} has no Chinese at all")

    # ---------------------------------------------------------------- public pages

    def test_public_pages_in_the_signers_language_and_the_schools_time(self):
        letter = self._letter(student=self.student_1)
        letter._safety_sign("a", SIGNATURE, "Teacher A", "10.0.0.1")
        token = letter.sudo().access_token
        # a browser asking for English gets the guardian's Chinese all the same
        page = self.url_open(
            f"/my/safety/letters/{letter.id}?access_token={token}", headers={"Accept-Language": "en-US,en"},
        )
        self.assertEqual(page.status_code, 200)
        self.assertRegex(page.text, r'<html[^>]* lang="zh-CN"')
        self.assertChinese(page.text, "the signing page")
        local = pytz.utc.localize(letter.party_a_signed_on).astimezone(pytz.timezone("Asia/Shanghai"))
        self.assertTrue(
            local.strftime("%H:%M") in page.text or local.strftime("%H时%M分") in page.text,
            "the signing time in the school's time zone",
        )
        letter._safety_sign("b", SIGNATURE, "Guardian One", "10.0.0.2")
        verify = self.url_open(f"/safety/letter/verify/{letter.verification_uuid}")
        self.assertEqual(verify.status_code, 200)
        self.assertRegex(verify.text, r'<html[^>]* lang="zh-CN"')
        self.assertChinese(verify.text, "the verification page")

    # ---------------------------------------------------------------- PDFs

    def _html(self, report, records):
        # as the English-speaking superuser: the paper speaks the school's language anyway
        return self.env["ir.actions.report"].with_context(lang="en_US")._render_qweb_html(
            report, records.ids
        )[0].decode()

    def test_papers_in_the_schools_language(self):
        letter = self._letter(self.employee_staff_a)
        self.assertChinese(self._html("school_safety.safety_letter_document", letter), "the letter PDF")
        hazard = self._hazard(**self._six_fixed())
        hazard.action_issue_notice()
        self.assertChinese(self._html("safety_inspection.report_safety_hazard_notice", hazard), "the notice PDF")
        drill = self._drill(problem_ids=[Command.create({"description": "门锁坏了", "location": "东楼梯"})])
        drill.action_done()
        self.assertChinese(self._html("safety_training.report_safety_drill", drill), "the drill PDF")
        checkpoint = self.env["safety.patrol.checkpoint"].create({"name": "大门", "company_id": self.school_a.id})
        self.assertChinese(
            self._html("safety_inspection.safety_patrol_checkpoint_label", checkpoint), "the label sheet"
        )

    def test_planned_inspections_copy_the_checklist_in_the_schools_language(self):
        """The daily job plans in English; the shipped checklist's checks reach the school in
        Chinese (they become its hazards' descriptions and its notices)."""
        self.template.active = False  # the shipped checklist plans
        plans = self.env(context={"lang": "en_US"})["safety.inspection"]._cron_generate_plans(
            today=date(2026, 6, 10)
        )
        lines = plans.filtered(lambda i: i.company_id == self.school_a).line_ids
        self.assertTrue(lines)
        for line in lines:
            self.assertRegex(line.name, r"[\u4e00-\u9fff]", line.name)

    # ---------------------------------------------------------------- emails, activities, notes

    def test_emails_activities_and_notes_in_the_recipients_language(self):
        Mail = self.env["mail.mail"]
        before = Mail.search([])
        # the letter reminder to a guardian
        template = self.env.ref("school_safety.mail_template_safety_letter_reminder")
        template.with_env(self.env(context={"lang": "en_US"})).send_mail(self._letter(student=self.student_1).id)
        # the signing activities of the letters just issued
        notes = self.env["mail.activity"].search([("res_model", "=", "safety.letter")])
        self.assertTrue(notes)
        for activity in notes:
            self.assertChinese((activity.summary or "") + " " + str(activity.note), "a letter activity")
        # overdue hazards: digests and activities, from the job in English
        hazard = self._hazard(**self._six_fixed(deadline=date(2026, 6, 1)))
        hazard.action_issue_notice()
        self.env(context={"lang": "en_US"})["safety.hazard"]._cron_check_overdue(today=date(2026, 6, 20))
        overdue = self.env["mail.activity"].search([("res_model", "=", "safety.hazard"), ("res_id", "=", hazard.id)])
        self.assertEqual(len(overdue), 3)
        for activity in overdue:
            self.assertChinese(activity.summary, "an overdue activity")
        # a patrol round nobody walked: its alert, its email, its tracked outcome
        route = self.env["safety.patrol.route"].create({
            "name": "巡逻路线", "company_id": self.school_a.id,
            "line_ids": [Command.create({"checkpoint_id": self.env["safety.patrol.checkpoint"].create(
                {"name": "大门", "company_id": self.school_a.id}).id})],
        })
        start = fields.Datetime.now() - timedelta(days=1)
        patrol = self.env["safety.patrol.round"].create({
            "company_id": self.school_a.id, "route_id": route.id, "planned_start": start,
            "planned_end": start + timedelta(hours=1),
        })
        # the job runs in a transaction of its own, where the round's changes are tracked (Odoo
        # tracks nothing of a record created in the same transaction)
        self.env.flush_all()
        self.env.cr.precommit.clear()
        self.env(context={"lang": "en_US"})["safety.patrol.round"]._cron_close_rounds()
        self.assertEqual(patrol.state, "missed")
        for activity in patrol.activity_ids:
            self.assertChinese(f"{activity.summary} {activity.note}", "the missed-round alert")
        self.env.cr.precommit.run()  # tracking is written when the transaction commits
        tracking = patrol.message_ids.tracking_value_ids.filtered(lambda t: t.field_id.name == "state")
        self.assertTrue(tracking)
        self.assertChinese(f"{tracking.old_value_char} {tracking.new_value_char}", "the round's tracked outcome")
        for mail in Mail.search([]) - before:
            self.assertChinese(f"{mail.subject} {mail.body_html}", f"the email {mail.subject!r}")
        # the acceptance notes of a rectification submitted by its owner
        rectified = self._hazard(**self._six_fixed())
        rectified.action_issue_notice()
        owner = rectified.with_env(self.env(user=self.user_staff_a, context={"lang": "zh_CN"}))
        owner.action_start_rectification()
        owner.write({"rectification_description": "已更换", "photo_after_ids": [Command.set(self._photo().ids)]})
        owner.action_submit()
        bodies = rectified.message_ids.filtered(lambda m: m.body).mapped("body")
        self.assertTrue(bodies)
        for body in bodies:
            self.assertChinese(body, "an acceptance note")
        # and what a user is refused under acceptance reads Chinese too
        with self.assertRaises(Exception) as refused:
            owner.write({"rectification_description": "改一下"})
        self.assertChinese(str(refused.exception), "the refusal under acceptance")

    def test_refusals_of_the_school_registration_in_the_users_language(self):
        """A bureau manager registering a school with more than its profile, or with numbers the
        database refuses, reads why in Chinese."""
        Company = self.env["res.company"].with_user(self.user_manager).with_context(lang="zh_CN")
        profile = {"name": "新学校", "parent_id": self.bureau.id, "safety_school_type": "primary"}
        with self.assertRaises(AccessError) as refused:
            Company.create([dict(profile, partner_id=self.env.ref("base.user_admin").partner_id.id)])
        self.assertChinese(str(refused.exception), "the refusal of a field outside the profile")
        # the database's rule, over RPC as the browser sends it
        self.authenticate("t_manager", "t_manager")
        with mute_logger("odoo.sql_db"):
            response = self.url_open("/web/dataset/call_kw/res.company/create", data=json.dumps({
                "jsonrpc": "2.0", "method": "call", "id": 1, "params": {
                    "model": "res.company", "method": "create", "args": [[dict(profile, safety_enrollment_day=-1)]],
                    "kwargs": {"context": {"lang": "zh_CN"}},
                },
            }), headers={"Content-Type": "application/json"})
        error = response.json()["error"]["data"]
        self.assertEqual(error["name"], "odoo.exceptions.ValidationError")
        self.assertChinese(error["message"], "the refusal of a negative enrollment")
