import io
from datetime import date, datetime

import openpyxl
from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import SchoolSafetyCase

NOW = datetime(2026, 6, 1, 3, 0)  # the first of June, 11:00 in Shanghai
MAY = date(2026, 5, 1)


def sheet_values(content):
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    return [[cell for cell in row if cell is not None] for row in workbook.active.iter_rows(values_only=True)]


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestMonthlyReport(SchoolSafetyCase):
    """The monthly safety report: made by the job once, its sections, its files, its steps."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        (cls.school_a | cls.school_b).write({"safety_start_date": date(2026, 1, 1)})
        cls.user_principal_a.email = "principal.a@example.com"
        cls.incident = cls.env["safety.incident"].with_user(cls.user_officer_a).create({
            "company_id": cls.school_a.id, "occurred_at": datetime(2026, 5, 12, 2, 0), "location": "Canteen",
            "category": "accident", "injured_count": 3, "description": "Scalded by soup",
            "measures_taken": "Cold water, hospital",
        })
        cls.Report = cls.env["safety.monthly.report"]

    def _reports(self):
        return self.Report.search([("company_id", "in", (self.bureau | self.school_a | self.school_b).ids)])

    def _make(self, render=False):
        """Last month's reports of the two schools and their bureau, as the job makes them."""
        reports = self.Report._safety_generate(MAY, self.school_a | self.school_b, render=render)
        return reports | self.Report._safety_generate(MAY, self.bureau, render=render)

    @staticmethod
    def _section(report, key):
        return next(section for section in report.sections if section["key"] == key)

    @mute_logger("odoo.addons.base.models.ir_actions_report")
    def test_job_makes_each_report_once(self):
        new = self.Report.browse()
        while True:
            made = self.Report._cron_generate()
            if not made:
                break
            new |= made
        reports = self._reports()
        self.assertEqual(new & reports, reports)
        self.assertEqual(sorted(reports.mapped("kind")), ["bureau", "school", "school"])
        self.assertEqual(set(reports.mapped("month")), {MAY})
        school_a = reports.filtered(lambda r: r.company_id == self.school_a)
        self.assertEqual((school_a.state, school_a.enrollment), ("draft", 850))
        # posted with its PDF and Excel file, sent to the principal, who has it to do
        message = school_a.message_ids.filtered("attachment_ids")
        self.assertEqual(len(message), 1)
        self.assertEqual(sorted(message.attachment_ids.mapped("mimetype")), [
            "application/pdf", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ])
        self.assertIn(self.user_principal_a.partner_id, message.partner_ids)
        self.assertEqual(school_a.activity_ids.user_id, self.user_principal_a)
        pdf = message.attachment_ids.filtered(lambda a: a.mimetype == "application/pdf")
        self.assertTrue(pdf.raw.startswith(b"%PDF"))
        xlsx = message.attachment_ids - pdf
        rows = sheet_values(xlsx.raw)
        self.assertIn(["School", self.school_a.name], rows)
        self.assertIn(["Incidents", 1], rows)
        self.assertIn(["People injured", 3], rows)
        self.assertTrue(any("Canteen" in row for row in rows))
        counts = (len(reports), len(reports.message_ids), self.env["mail.mail"].search_count([]),
                  len(reports.activity_ids))
        # run again (the next day's run, or twice the same day): nothing more
        self.assertFalse(self.Report._cron_generate())
        reports = self._reports()
        self.assertEqual(
            (len(reports), len(reports.message_ids), self.env["mail.mail"].search_count([]),
             len(reports.activity_ids)),
            counts,
        )

    def test_sections(self):
        reports = self._make()
        school_a = reports.filtered(lambda r: r.company_id == self.school_a)
        school_b = reports.filtered(lambda r: r.company_id == self.school_b)
        bureau = reports.filtered(lambda r: r.kind == "bureau")
        incidents = self._section(school_a, "incidents")
        self.assertEqual(incidents["figures"][0], {"label": "Incidents", "value": 1, "unit": ""})
        by_category = incidents["tables"][0]["rows"]
        self.assertEqual(len(by_category), 4, "every category, also those with none")
        self.assertIn(["Accident or Disaster", 1, 3, 0], by_category)
        self.assertEqual(incidents["tables"][1]["rows"][0][1], "Canteen")
        self.assertEqual(incidents["notes"], [])
        # an explicit "none" when there were none
        self.assertEqual(self._section(school_b, "incidents")["notes"], ["Zero report: no safety incident this month."])
        self.assertEqual(self._section(school_a, "funds")["notes"], ["No budget data."])
        guards = {f["label"]: f["value"] for f in self._section(school_a, "guards")["figures"]}
        self.assertEqual((guards["Guards required (GB/T 29315)"], guards["Guards employed"]), (2, 1))
        # the bureau's: every school, their incidents with the school's name
        self.assertEqual(bureau.enrollment, 850 + 1000)
        schools = self._section(bureau, "schools")["tables"][0]["rows"]
        self.assertEqual([row[0] for row in schools], sorted([self.school_a.name, self.school_b.name]))
        self.assertEqual(self._section(bureau, "incidents")["tables"][1]["rows"][0][0], self.school_a.name)
        # the sections are in order, whichever addon made them
        sequences = [section["sequence"] for section in school_a.sections]
        self.assertEqual(sequences, sorted(sequences))
        self.assertIn("Zero report", school_b.sections_html)

    def test_in_the_schools_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"].search([("name", "=", "school_safety")])._update_translations(["zh_CN"])
        self.school_b.partner_id.lang = "zh_CN"
        report = self.Report._safety_generate(MAY, self.school_b, render=False)
        self.assertIn("零报告", self._section(report, "incidents")["notes"][0])
        self.assertNotIn("safety report of", report.name)
        html = self.env["ir.actions.report"]._render_qweb_html(
            "school_safety.safety_monthly_report_pdf", report.ids)[0].decode()
        self.assertIn("安全工作月报", html)
        content = self.env["ir.actions.report"]._render_xlsx("school_safety.safety_monthly_report_xlsx",
                                                             report.ids, {})[0]
        self.assertIn(["学校", self.school_b.name], sheet_values(content))

    def test_school_comments_and_submits_the_bureau_acknowledges(self):
        reports = self._make()
        report = reports.filtered(lambda r: r.company_id == self.school_a)
        bureau = reports.filtered(lambda r: r.kind == "bureau")
        # the officer prepares, the principal adds
        report.with_user(self.user_officer_a).write({"open_problems": "Canteen floor slippery"})
        report.with_user(self.user_principal_a).write({"next_month_plan": "Fire drill"})
        for user, error in ((self.user_inspector, AccessError), (self.user_manager, AccessError),
                            (self.user_staff_a, AccessError), (self.user_principal_b, AccessError)):
            with self.subTest(user=user.login), self.assertRaises(error):
                report.with_user(user).write({"school_comment": "Not mine to write"})
        with self.assertRaises(AccessError):
            report.with_user(self.user_officer_a).write({"state": "submitted"})
        with self.assertRaises(AccessError):
            report.with_user(self.user_officer_a).write({"sections": []})
        # only the principal submits, only the bureau acknowledges
        for user in (self.user_officer_a, self.user_inspector, self.user_manager, self.user_principal_b):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                report.with_user(user).action_submit()
        with self.assertRaises(UserError):
            report.with_user(self.user_inspector).action_acknowledge()  # not submitted yet
        report.with_user(self.user_principal_a)._safety_submit(render=False)
        self.assertEqual((report.state, report.submitted_by_id), ("submitted", self.user_principal_a))
        self.assertEqual(report.activity_ids.user_id, self.user_inspector | self.user_manager)
        with self.assertRaises(UserError):
            report.with_user(self.user_principal_a).action_submit()
        # evidence once submitted
        with self.assertRaises(UserError):
            report.with_user(self.user_principal_a).write({"open_problems": "Rewritten"})
        with self.assertRaises(UserError):
            report.with_user(self.user_principal_a).action_refresh()
        with self.assertRaises(UserError):
            report.with_user(self.user_manager).unlink()
        for user in (self.user_principal_a, self.user_officer_a, self.user_finance):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                report.with_user(user).action_acknowledge()
        report.with_user(self.user_inspector).action_acknowledge()
        self.assertEqual((report.state, report.acknowledged_by_id), ("acknowledged", self.user_inspector))
        self.assertFalse(report.activity_ids)
        self.assertEqual(report.open_problems, "Canteen floor slippery")
        # the bureau's own report: its managers write and submit it, nobody acknowledges it
        with self.assertRaises(AccessError):
            bureau.with_user(self.user_principal_a).read(["name"])
        with self.assertRaises(AccessError):
            bureau.with_user(self.user_inspector).write({"school_comment": "Inspector"})
        bureau.with_user(self.user_manager).write({"school_comment": "All schools reported."})
        with self.assertRaises(AccessError):
            bureau.with_user(self.user_inspector).action_submit()
        with mute_logger("odoo.addons.base.models.ir_actions_report"):
            bureau.with_user(self.user_manager).action_submit()
        self.assertEqual(bureau.state, "submitted")
        self.assertEqual(len(bureau.message_ids.filtered("attachment_ids").attachment_ids), 2)
        with self.assertRaises(UserError):
            bureau.with_user(self.user_manager).action_acknowledge()
        # not even a draft is deleted by a user: the server computes its figures again instead
        draft = reports.filtered(lambda r: r.company_id == self.school_b)
        for user in (self.user_principal_b, self.user_manager):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                draft.with_user(user).unlink()
        self.assertTrue(draft.exists())

    def test_each_school_sees_its_own(self):
        reports = self._make()
        Report = self.Report
        self.assertEqual(Report.with_user(self.user_principal_a).search([("id", "in", reports.ids)]).company_id,
                         self.school_a)
        self.assertEqual(Report.with_user(self.user_principal_b).search([("id", "in", reports.ids)]).company_id,
                         self.school_b)
        for user in (self.user_inspector, self.user_finance, self.user_manager):
            self.assertEqual(Report.with_user(user).search([("id", "in", reports.ids)]), reports)
        for user in (self.user_staff_a, self.user_guard_a):
            with self.assertRaises(AccessError):
                Report.with_user(user).search([])

    def test_refresh_a_draft(self):
        report = self._make().filtered(lambda r: r.company_id == self.school_b)
        self.assertEqual(self._section(report, "incidents")["figures"][0]["value"], 0)
        self.env["safety.incident"].with_user(self.user_principal_b).create({
            "company_id": self.school_b.id, "occurred_at": datetime(2026, 5, 30, 2, 0), "location": "Dormitory",
            "category": "other", "description": "Found late", "measures_taken": "Reported",
        })
        with self.assertRaises(AccessError):
            report.with_user(self.user_inspector).action_refresh()
        report.with_user(self.user_principal_b).action_refresh()
        self.assertEqual(self._section(report, "incidents")["figures"][0]["value"], 1)

    @mute_logger("odoo.addons.base.models.ir_actions_report")
    def test_any_past_month_on_demand(self):
        Wizard = self.env["safety.monthly.report.wizard"]
        wizard = Wizard.with_user(self.user_officer_a).create({"month": date(2026, 3, 15)})
        self.assertEqual(wizard.company_ids, self.school_a)
        action = wizard.action_generate()
        report = self.Report.search(action["domain"])
        self.assertEqual((report.company_id, report.month), (self.school_a, date(2026, 3, 1)))
        # again: the same report, its figures computed again
        self.assertEqual(self.Report.search(wizard.action_generate()["domain"]), report)
        with self.assertRaisesRegex(ValidationError, "over"):
            Wizard.with_user(self.user_officer_a).create({"month": date(2026, 6, 1)}).action_generate()
        with self.assertRaises(AccessError):
            Wizard.with_user(self.user_officer_a).create(
                {"month": date(2026, 3, 1), "company_ids": [(6, 0, self.school_b.ids)]}
            ).action_generate()
        with self.assertRaises(AccessError):
            Wizard.with_user(self.user_finance).create({"month": date(2026, 3, 1)})
        with self.assertRaises(AccessError):
            Wizard.with_user(self.user_inspector).create(
                {"month": date(2026, 3, 1), "company_ids": [(6, 0, self.school_a.ids)], "include_bureau": True}
            ).action_generate()
        action = Wizard.with_user(self.user_manager).create(
            {"month": date(2026, 3, 1), "company_ids": [(6, 0, (self.school_a | self.school_b).ids)],
             "include_bureau": True}
        ).action_generate()
        self.assertEqual(sorted(self.Report.search(action["domain"]).mapped("kind")), ["bureau", "school", "school"])
