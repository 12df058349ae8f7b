import logging
from collections import namedtuple
from datetime import datetime, time, timedelta

import pytz
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import format_date, format_datetime

from .safety_incident import INCIDENT_CATEGORIES, bureau_recipients

_logger = logging.getLogger(__name__)

# The month a report covers, in the school's time zone: first and last day, the first day of
# the next month, the same bounds as naive UTC datetimes, and the schools it covers (the school
# itself, or every school of a bureau).
Period = namedtuple("Period", "start end next utc_start utc_next schools is_bureau")
# the schools whose monthly reports one call of the job makes (then it commits and goes on)
MONTHLY_BATCH = 25
REPORT_PDF = "school_safety.safety_monthly_report_pdf"
REPORT_XLSX = "school_safety.safety_monthly_report_xlsx"


def report_section(key, sequence, title, figures=None, tables=None, notes=None):
    """A section of the monthly report. Sections of the same ``key`` from several addons are
    merged (their figures, tables and notes appended in the addons' order)."""
    return {
        "key": key, "sequence": sequence, "title": title,
        "figures": list(figures or []), "tables": list(tables or []), "notes": list(notes or []),
    }


def report_figure(label, value, unit=""):
    """One figure of a section: a label and a number (or a short text)."""
    return {"label": label, "value": value, "unit": unit}


def report_table(title, columns, rows, empty):
    """A table of a section; ``empty`` is what the paper says when it has no row ("none")."""
    return {"title": title, "columns": list(columns), "rows": [list(row) for row in rows], "empty": empty}


class SafetyMonthlyReport(models.Model):
    """The monthly safety report (安全工作月报) of a school, or of a bureau over its schools.

    Made by the job on the first days of each month for the month before (or on demand for any
    past month), with the figures of the month frozen in ``sections``: each addon brings its
    sections (``_safety_monthly_sections``), school_safety the header, guards, incidents and
    funds. The school adds the month's open problems, next month's plan and its comments, then
    its principal submits it; the bureau acknowledges it. Once submitted it is evidence: it no
    longer changes and is never deleted.
    """

    _name = "safety.monthly.report"
    _description = "Monthly Safety Report"
    _inherit = ["safety.school.record", "mail.thread", "mail.activity.mixin"]
    _order = "month desc, kind, company_id"
    _safety_create_fields = frozenset()
    _safety_client_writable = frozenset({"open_problems", "next_month_plan", "school_comment"})
    _safety_locked_server_fields = frozenset({"state", "acknowledged_by_id", "acknowledged_on"})
    _safety_transitions = {"submitted": ("draft",), "acknowledged": ("submitted",)}

    name = fields.Char(required=True, readonly=True)
    company_id = fields.Many2one(readonly=True, string="School or Bureau")
    bureau_id = fields.Many2one(store=True)
    kind = fields.Selection(
        [("school", "School"), ("bureau", "Bureau")], required=True, readonly=True, default="school"
    )
    month = fields.Date(required=True, readonly=True, index=True, help="The first day of the month reported.")
    enrollment = fields.Integer(readonly=True, help="Students at the time the report was made.")
    sections = fields.Json(readonly=True, help="The month's figures, as made (in the school's language).")
    sections_html = fields.Html(string="Figures of the Month", compute="_compute_sections_html")
    generated_on = fields.Datetime(readonly=True)
    open_problems = fields.Text(help="The safety problems still open at the end of the month.")
    next_month_plan = fields.Text(string="Next Month's Plan")
    school_comment = fields.Text(string="Comments")
    state = fields.Selection(
        [("draft", "Draft"), ("submitted", "Submitted"), ("acknowledged", "Acknowledged by the Bureau")],
        default="draft", required=True, readonly=True, tracking=True, index=True, copy=False,
    )
    submitted_by_id = fields.Many2one("res.users", string="Filed By", readonly=True, copy=False)
    submitted_on = fields.Datetime(readonly=True, copy=False)
    acknowledged_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    acknowledged_on = fields.Datetime(readonly=True, copy=False)

    _sql_constraints = [
        ("month_unique", "UNIQUE(company_id, month)", "There is already a report of this month."),
    ]

    @api.depends("sections")
    def _compute_sections_html(self):
        for report in self:
            report.sections_html = self.env["ir.qweb"]._render(
                "school_safety.safety_monthly_report_sections", {"report": report}
            )

    def _safety_is_locked(self):
        self.ensure_one()
        return self.state != "draft"

    def _safety_locked_message(self):
        return self.env._("%(report)s is submitted: it is part of the record and no longer changes.",
                          report=self.name)

    def _safety_undeletable_message(self):
        return self.env._("A submitted monthly report is part of the record and cannot be deleted.")

    def _safety_check_client_write(self, vals):
        """The school's officers and principal write their school's report, the bureau's
        managers the bureau's, while it is a draft."""
        if self._safety_changed(vals):
            self._safety_check_author()

    def _safety_check_author(self):
        user = self.env.user
        for report in self:
            allowed = (
                user.has_group("school_safety.group_bureau_manager") if report.kind == "bureau"
                else user.has_group("school_safety.group_school_safety_officer")
            )
            if not allowed:
                raise AccessError(
                    self.env._(
                        "%(report)s is written by its school's safety officer and principal (a bureau's "
                        "report: by the bureau's managers).", report=report.name,
                    )
                )

    # ------------------------------------------------------------ the month

    def _safety_lang(self):
        self.ensure_one()
        return self.company_id._safety_lang()

    def _safety_period(self):
        self.ensure_one()
        company = self.company_id.sudo()
        tz = pytz.timezone(company._safety_tz())
        start = self.month
        nxt = start + relativedelta(months=1)

        def utc(day):
            return tz.localize(datetime.combine(day, time.min)).astimezone(pytz.utc).replace(tzinfo=None)

        is_bureau = self.kind == "bureau"
        schools = self._safety_bureau_schools(company) if is_bureau else company
        return Period(start, nxt - timedelta(days=1), nxt, utc(start), utc(nxt), schools, is_bureau)

    @api.model
    def _safety_bureau_schools(self, bureau):
        return self.env["res.company"].sudo().search(
            [("safety_bureau_id", "=", bureau.id), ("safety_is_school", "=", True)], order="name"
        )

    def _safety_format_date(self, value):
        return format_date(self.env, value, lang_code=self.env.lang) if value else ""

    def _safety_format_datetime(self, value):
        self.ensure_one()
        return format_datetime(
            self.env, value, tz=self.company_id.sudo()._safety_tz(), dt_format="yyyy-MM-dd HH:mm",
            lang_code=self.env.lang,
        ) if value else ""

    def _safety_selection_label(self, model, field, value):
        return dict(self.env[model]._fields[field]._description_selection(self.env)).get(value, value or "")

    # ------------------------------------------------------------ the sections

    def _safety_monthly_sections(self):
        """The sections of this report, computed now (as superuser, in the report's language):
        a list of ``report_section(...)``. Each addon adds its own:
        ``return super()._safety_monthly_sections() + [report_section(...)]``."""
        self.ensure_one()
        period = self._safety_period()
        sections = [self._safety_section_guards(period), self._safety_section_incidents(period),
                    self._safety_monthly_funds_section(period)]
        if period.is_bureau:
            sections.insert(0, self._safety_section_schools(period))
        return sections

    def _safety_section_schools(self, period):
        reports = self.sudo().search([("company_id", "in", period.schools.ids), ("month", "=", period.start)])
        by_school = {report.company_id: report for report in reports}
        rows = []
        for school in period.schools:
            report = by_school.get(school)
            rows.append([
                school.name,
                self._safety_selection_label(self._name, "state", report.state) if report else self.env._("Not made"),
                self._safety_format_datetime(report.submitted_on) if report else "",
            ])
        return report_section("schools", 5, self.env._("Schools' Reports"), figures=[
            report_figure(self.env._("Schools"), len(period.schools)),
            report_figure(self.env._("Reports submitted"), len(reports.filtered(lambda r: r.state != "draft"))),
        ], tables=[report_table(
            self.env._("Reports of the month"),
            [self.env._("School"), self.env._("Status"), self.env._("Submitted On")],
            rows, self.env._("No school."),
        )])

    def _safety_section_guards(self, period):
        schools = period.schools
        required = sum(schools.mapped("safety_guards_required"))
        employed = sum(schools.mapped("safety_guards_employed"))
        figures = [
            report_figure(self.env._("Guards required (GB/T 29315)"), required),
            report_figure(self.env._("Guards employed"), employed),
            report_figure(self.env._("Shortfall"), sum(schools.mapped("safety_guard_shortfall"))),
        ]
        if period.is_bureau:
            figures.append(report_figure(self.env._("Schools short of guards"),
                                         len(schools.filtered(lambda s: s.safety_guard_shortfall > 0))))
        return report_section("guards", 40, self.env._("Patrol and Guard Duty"), figures=figures)

    def _safety_section_incidents(self, period):
        incidents = self.env["safety.incident"].sudo().search([
            ("company_id", "in", period.schools.ids),
            ("occurred_at", ">=", period.utc_start), ("occurred_at", "<", period.utc_next),
        ], order="occurred_at, id")
        by_category = []
        for key, _label in INCIDENT_CATEGORIES:
            mine = incidents.filtered(lambda i, k=key: i.category == k)
            by_category.append([
                self._safety_selection_label("safety.incident", "category", key), len(mine),
                sum(mine.mapped("injured_count")), sum(mine.mapped("death_count")),
            ])
        columns = [
            self.env._("Occurred At"),
            self.env._("Place"),
            self.env._("Category"),
            self.env._("Injured"),
            self.env._("Deaths"),
            self.env._("What Was Done"),
        ]
        rows = [[
            self._safety_format_datetime(i.occurred_at), i.location,
            self._safety_selection_label("safety.incident", "category", i.category),
            i.injured_count, i.death_count, i.measures_taken,
        ] for i in incidents]
        if period.is_bureau:
            columns.insert(0, self.env._("School"))
            for row, incident in zip(rows, incidents, strict=True):
                row.insert(0, incident.company_id.name)
        notes = [] if incidents else [self.env._("Zero report: no safety incident this month.")]
        return report_section("incidents", 60, self.env._("Incidents"), figures=[
            report_figure(self.env._("Incidents"), len(incidents)),
            report_figure(self.env._("People injured"), sum(incidents.mapped("injured_count"))),
            report_figure(self.env._("Deaths"), sum(incidents.mapped("death_count"))),
        ], tables=[
            report_table(self.env._("By category"), [
                self.env._("Category"), self.env._("Incidents"), self.env._("Injured"), self.env._("Deaths"),
            ], by_category, ""),
            report_table(self.env._("Incidents of the month"), columns, rows, self.env._("None.")),
        ], notes=notes)

    def _safety_monthly_funds_section(self, period):
        """Safety funds allocated, spent this month and to date, by category.

        The hook of the safety budgets (issue 13): the addon bringing budgets and special funds
        overrides this method and returns the same section (key ``funds``) with its figures and a
        table (category, allocated, spent this month, spent to date). Until then the paper says
        there is no budget data."""
        return report_section("funds", 70, self.env._("Safety Funds"), notes=[self.env._("No budget data.")])

    @api.model
    def _safety_merge_sections(self, sections):
        merged = {}
        for section in sections:
            if section["key"] in merged:
                target = merged[section["key"]]
                for part in ("figures", "tables", "notes"):
                    target[part] += section[part]
            else:
                merged[section["key"]] = dict(section)
        return sorted(merged.values(), key=lambda section: (section["sequence"], section["key"]))

    def _safety_compute(self, now=None):
        """Compute the sections of draft reports now (as the server, in each report's language)."""
        now = now or fields.Datetime.now()
        for report in self.sudo():
            if report.state != "draft":
                continue
            report = report.with_context(lang=report._safety_lang())
            period = report._safety_period()
            report.write({
                "sections": report._safety_merge_sections(report._safety_monthly_sections()),
                "enrollment": sum(period.schools.mapped("safety_enrollment_total")),
                "generated_on": now,
            })

    # ------------------------------------------------------------ making them

    @api.model
    def _safety_previous_month(self, school):
        today = datetime.now(pytz.timezone(school.sudo()._safety_tz())).date()
        return today.replace(day=1) - relativedelta(months=1)

    @api.model
    def _safety_generate(self, month, companies, render=True, now=None):
        """The reports of ``month`` for ``companies`` (schools, or bureaus: their report over
        their schools), made when missing, with their figures, their files posted to their
        chatter and sent. Existing reports are left as they are (run twice, it makes nothing
        more). Returns the new reports. ``render`` and ``now`` are for the server only (the demo
        builder makes its reports without files, at the time the job ran)."""
        month = month.replace(day=1)
        companies = companies.sudo()
        existing = self.sudo().search([("company_id", "in", companies.ids), ("month", "=", month)])
        missing = companies - existing.company_id
        if not missing:
            return self.browse()
        values = []
        for company in missing:
            lang_env = self.with_context(lang=company._safety_lang()).env
            values.append({
                "company_id": company.id,
                "kind": "bureau" if company.safety_is_bureau else "school",
                "month": month,
                "name": lang_env._("%(company)s: safety report of %(month)s",
                                   company=company.name, month=month.strftime("%Y-%m")),
            })
        reports = self.sudo().with_context(mail_create_nolog=True).create(values)
        reports._safety_compute(now=now)
        reports._safety_publish(render=render)
        return reports.with_env(self.env)

    def _safety_publish(self, render=True):
        """Post each new report to its chatter with its PDF and Excel files, send it to the
        principal (a bureau's: to its safety officer or inspectors) and ask them for it."""
        files = self._safety_render_files() if render else {}
        activity_type = self.env.ref("school_safety.mail_activity_type_safety_monthly_report")
        for report in self.sudo():
            lang_env = report.with_context(lang=report._safety_lang()).env
            if report.kind == "school":
                principal = report.company_id.safety_principal_id
                users = principal.user_id
                partners = users.partner_id or principal.work_contact_id.filtered("email")
                body = lang_env._(
                    "The safety report of %(month)s is ready: please add the month's open problems, "
                    "next month's plan and your comments, then submit it to the bureau.",
                    month=report.month.strftime("%Y-%m"),
                )
            else:
                users = bureau_recipients(self.env, report.company_id.safety_bureau_id or report.company_id)
                users = users or self.env["res.users"].sudo().search([
                    ("groups_id", "in", self.env.ref("school_safety.group_bureau_manager").ids),
                    ("company_ids", "in", report.company_id.ids), ("share", "=", False),
                ])
                partners = users.partner_id
                body = lang_env._("The bureau's safety report of %(month)s is ready.",
                                  month=report.month.strftime("%Y-%m"))
            attachments = files.get(report.id, [])
            report.message_post(
                body=body, attachments=attachments, partner_ids=partners.ids,
                subtype_xmlid="mail.mt_comment" if partners else "mail.mt_note",
            )
            for user in users:
                report.with_context(mail_activity_quick_update=True).activity_schedule(
                    activity_type_id=activity_type.id,
                    date_deadline=report.month + relativedelta(months=1, days=9),
                    user_id=user.id,
                    summary=report.with_context(lang=user.lang or report._safety_lang()).env._(
                        "Submit the monthly safety report"),
                )

    def _safety_render_files(self):
        """{report id: [(file name, content), ...]}: the PDF and the Excel file of each report.

        One wkhtmltopdf run per report: a batch rendered at once and split on its headings would
        save the start-up of wkhtmltopdf, but the wkhtmltopdf 0.12.6 of Debian (unpatched Qt)
        produces no file at all for several documents when it cannot reach the server's assets."""
        Report = self.env["ir.actions.report"].sudo().with_context(force_report_rendering=True)
        files = {}
        for report in self:
            pdf = Report._render_qweb_pdf(REPORT_PDF, report.ids)[0]
            xlsx = Report._render_xlsx(REPORT_XLSX, report.ids, {})[0]
            base = report._safety_file_name()
            files[report.id] = [(f"{base}.pdf", pdf), (f"{base}.xlsx", xlsx)]
        return files

    def _safety_file_name(self):
        self.ensure_one()
        state = self._safety_selection_label(self._name, "state", self.state)
        return f"{self.name} ({state})".replace("/", "-")

    @api.model
    def _safety_missing(self, companies):
        """[(month, company)]: the reports of last month (in each one's time zone) still to make for
        ``companies``: schools that kept their records by the end of that month, bureaus once
        one of their schools has its report."""
        pending = []
        for company in companies.sudo():
            month = self._safety_previous_month(company)
            if company.safety_is_bureau:
                if not self.sudo().search_count([
                    ("company_id", "in", self._safety_bureau_schools(company).ids), ("month", "=", month),
                ], limit=1):
                    continue
            else:
                start = company.safety_start_date or company.create_date.date()
                if start > month + relativedelta(months=1, days=-1):
                    continue
            pending.append((month, company))
        if not pending:
            return []
        made = {
            (report.company_id.id, report.month)
            for report in self.sudo().search([
                ("company_id", "in", [company.id for _month, company in pending]),
                ("month", "in", list({month for month, _company in pending})),
            ])
        }
        return [(month, company) for month, company in pending if (company.id, month) not in made]

    @api.model
    def _cron_generate(self, batch_size=MONTHLY_BATCH, render=True, now=None):
        """Make last month's reports: the schools' first, a batch per call (the job's progress
        tells the cron to call again while schools remain), then each bureau's over its schools.
        Schools that started keeping their records after the month get none."""
        Company = self.env["res.company"].sudo()
        missing = self._safety_missing(Company.search([("safety_is_school", "=", True)], order="id"))
        batch, rest = missing[:batch_size], missing[batch_size:]
        new = self.browse()
        for month in sorted({month for month, _school in batch}):
            new |= self._safety_generate(
                month, Company.union(*(s for m, s in batch if m == month)), render=render, now=now
            )
        if not rest:
            bureaus = Company.search([("safety_is_bureau", "=", True)], order="id")
            for month, bureau in self._safety_missing(bureaus):
                new |= self._safety_generate(month, bureau, render=render, now=now)
        _logger.info(
            "Monthly safety reports: %d made (%d schools in this batch, %d still to make)",
            len(new), len(batch), len(rest),
        )
        # the cron runner commits each batch and calls again while schools remain
        self.env["ir.cron"]._notify_progress(done=len(batch), remaining=len(rest))
        return new

    # ------------------------------------------------------------ steps

    def action_refresh(self):
        """Compute the figures of a draft again (records filed late in the month)."""
        self.check_access("write")
        self._safety_check_author()
        if self.filtered(lambda report: report.state != "draft"):
            raise UserError(self.env._("Only a draft report's figures are computed again."))
        self._safety_compute()
        return True

    def action_submit(self):
        """The school's principal (a bureau's report: a bureau manager) files the report."""
        user = self.env.user
        for report in self:
            allowed = (
                user.has_group("school_safety.group_bureau_manager") if report.kind == "bureau"
                else user.has_group("school_safety.group_school_principal")
            )
            if not allowed:
                raise AccessError(
                    self.env._(
                        "%(report)s is submitted by its school's principal (a bureau's report: by a "
                        "bureau manager).", report=report.name,
                    )
                )
        return self._safety_submit()

    def _safety_submit(self, now=None, render=True):
        """action_submit. ``now`` and ``render`` are for the server only (the demo builder)."""
        self._safety_transition("submitted", {
            "submitted_by_id": self.env.user.id, "submitted_on": now or fields.Datetime.now(),
        })
        files = self._safety_render_files() if render else {}
        for report in self.sudo():
            report.activity_unlink(["school_safety.mail_activity_type_safety_monthly_report"])
            lang_env = report.with_context(lang=report._safety_lang()).env
            users = bureau_recipients(self.env, report.company_id) if report.kind == "school" else self.env["res.users"]
            report.message_post(
                body=lang_env._("Submitted by %(user)s.", user=self.env.user.name),
                attachments=files.get(report.id, []), partner_ids=users.partner_id.ids,
                subtype_xmlid="mail.mt_comment" if users else "mail.mt_note",
            )
            for user in users:
                report.with_context(mail_activity_quick_update=True).activity_schedule(
                    "school_safety.mail_activity_type_safety_monthly_report", user_id=user.id,
                    summary=report.with_context(lang=user.lang or report._safety_lang()).env._(
                        "Acknowledge the monthly safety report"),
                )
        return True

    def action_acknowledge(self):
        """The bureau has read the school's report."""
        return self._safety_acknowledge()

    def _safety_acknowledge(self, now=None):
        """action_acknowledge. ``now`` is for the server only (the demo builder)."""
        if not self.env.user.has_group("school_safety.group_bureau_inspector"):
            raise AccessError(self.env._("The bureau's inspectors and managers acknowledge monthly reports."))
        if self.filtered(lambda report: report.kind == "bureau"):
            raise UserError(self.env._("A bureau's own report is submitted, not acknowledged."))
        self._safety_transition("acknowledged", {
            "acknowledged_by_id": self.env.user.id, "acknowledged_on": now or fields.Datetime.now(),
        })
        for report in self.sudo():
            report.activity_unlink(["school_safety.mail_activity_type_safety_monthly_report"])
            principal = report.company_id.safety_principal_id.user_id
            report.message_post(
                body=report.with_context(lang=report._safety_lang()).env._(
                    "Acknowledged by the bureau (%(user)s).", user=self.env.user.name),
                partner_ids=principal.partner_id.ids,
                subtype_xmlid="mail.mt_comment" if principal else "mail.mt_note",
            )
        return True
