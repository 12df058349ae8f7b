import logging
from datetime import timedelta

from odoo import api, fields, models, modules
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from ..lib import letter_planner as planner
from .safety_letter_template import LETTER_LANGS

_logger = logging.getLogger(__name__)

# Campaigns expecting at most this many letters run at once; larger ones in the background.
SYNC_LIMIT = 5000


class SafetyLetterCampaign(models.Model):
    _name = "safety.letter.campaign"
    _description = "Safety Responsibility Letter Campaign"
    _inherit = ["safety.evidence.mixin", "mail.thread"]
    _order = "year desc, id desc"
    _safety_create_fields = frozenset({"bureau_id"})
    _safety_server_fields = frozenset({"line_ids", "letter_ids"})

    name = fields.Char(required=True, tracking=True)
    year = fields.Integer(required=True, default=lambda self: fields.Date.today().year, aggregator=False)
    bureau_id = fields.Many2one(
        "res.company",
        required=True,
        domain="[('safety_is_bureau', '=', True)]",
        default=lambda self: self.env.company if self.env.company.safety_is_bureau else False,
    )
    user_id = fields.Many2one("res.users", string="Responsible", default=lambda self: self.env.user)
    bureau_signatory_id = fields.Many2one(
        "hr.employee",
        domain="[('company_id', '=', bureau_id)]",
        help="Signs the bureau's side of the letters with the principals.",
    )
    lang = fields.Selection(LETTER_LANGS, string="Letter Language", required=True, default="zh_CN")
    state = fields.Selection(
        [("draft", "Draft"), ("running", "Generating"), ("done", "Generated")],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
    )
    auto_issue = fields.Boolean(
        string="Issue at Once",
        default=True,
        help="Freeze the text and open the letters for signing as soon as they are generated.",
    )
    sign_deadline = fields.Date(string="Signing Deadline")
    reminder_days = fields.Integer(
        string="Remind After (Days)", default=7, help="Unsigned letters get reminders after this delay."
    )
    escalation_days = fields.Integer(
        string="Escalate After (Days)",
        default=14,
        help="After this delay the school's principal is told about unsigned letters.",
    )
    token_validity_days = fields.Integer(string="Link Valid (Days)", default=120)
    line_ids = fields.One2many("safety.letter.campaign.line", "campaign_id", string="School Progress")
    letter_ids = fields.One2many("safety.letter", "campaign_id", string="All Letters")
    letter_count = fields.Integer(compute="_compute_counts", string="Letters")
    school_done_count = fields.Integer(compute="_compute_counts", string="Schools Done")
    school_count = fields.Integer(compute="_compute_counts", string="Schools")

    _sql_constraints = [
        ("bureau_year_unique", "unique(bureau_id, year)", "A bureau runs one campaign per year."),
        (
            "delays_positive",
            "CHECK(reminder_days > 0 AND escalation_days > 0 AND token_validity_days > 0)",
            "Reminder, escalation and link validity delays must be positive.",
        ),
    ]

    def _safety_is_kept(self):
        self.ensure_one()
        return bool(self.env["safety.letter"].sudo().search_count(
            [("campaign_id", "=", self.id), ("state", "!=", "draft")], limit=1
        ))

    def _safety_undeletable_message(self):
        return self.env._(
            "%(campaign)s has issued letters, which are kept: the campaign cannot be deleted.",
            campaign=self.name,
        )

    def _safety_check_client_write(self, vals):
        frozen = {"year", "lang", "bureau_signatory_id"} & set(vals)
        if frozen and self.filtered(lambda c: c.state != "draft") and self._safety_changed(
            {name: vals[name] for name in frozen}
        ):
            raise UserError(
                self.env._("The year, language and signatory of a generated campaign cannot change.")
            )

    def unlink(self):
        self._unlink_except_safety_evidence()
        # only draft letters remain: they go with their campaign (signed ones never do)
        self.env["safety.letter"].sudo().search([("campaign_id", "in", self.ids)]).unlink()
        return super().unlink()

    @api.depends("line_ids.state", "line_ids.letter_count")
    def _compute_counts(self):
        # the campaign's own figures: the bureau's whole campaign, whichever schools are active
        for campaign in self:
            lines = campaign.sudo().line_ids
            campaign.letter_count = sum(lines.mapped("letter_count"))
            campaign.school_count = len(lines)
            campaign.school_done_count = len(lines.filtered(lambda line: line.state == "done"))

    # --------------------------------------------------------------- actions

    def action_generate(self):
        """Generate the missing letters of every school of the bureau.

        The whole organisation is checked first: any gap stops the campaign before it
        writes anything, with the list of every gap found.
        """
        return self._safety_generate()

    def _safety_check_manager(self):
        self.check_access("write")
        if not self.env.user.has_group("school_safety.group_bureau_manager"):
            raise AccessError(self.env._("Only the bureau's managers run letter campaigns."))

    def _safety_generate(self, sync=False):
        """action_generate; ``sync`` generates at once whatever the size (tests, benchmarks)."""
        self.ensure_one()
        self._safety_check_manager()
        schools = self.env["res.company"].sudo().search(
            [("safety_bureau_id", "=", self.bureau_id.id), ("safety_is_school", "=", True)]
        )
        if not schools:
            raise UserError(self.env._("%(bureau)s supervises no school.", bureau=self.bureau_id.name))
        gaps = list(planner.campaign_gaps(self._safety_planner_campaign()))
        complete = set()
        for school in schools:
            # one school at a time: a large bureau's students and letters never all sit in memory
            org = self._safety_read_school(school, guardian_names=False)
            school_gaps = planner.find_gaps(org)
            gaps += school_gaps
            if not school_gaps and planner.is_complete(org):
                complete.add(school.id)
        if gaps:
            raise UserError(
                self.env._(
                    "The organisation has gaps; no letter was generated. Fix these first:\n%(gaps)s",
                    gaps="\n".join(f"- {gap}" for gap in self._safety_gap_messages(gaps)),
                )
            )
        # every school's progress, whichever companies the user has active
        existing = {line.company_id: line for line in self.sudo().line_ids}
        expected = self._safety_expected_counts(schools)
        Line = self.env["safety.letter.campaign.line"].sudo()
        Line.create([
            {"campaign_id": self.id, "company_id": school.id, "letter_expected": expected.get(school.id, 0)}
            for school in schools
            if school not in existing
        ])
        counts = self._safety_letter_counts()
        for line in self.sudo().line_ids:
            # a school whose chain is complete has nothing to do (re-runs take seconds)
            line.write({
                "state": "done" if line.company_id.id in complete else "pending",
                "letter_count": counts.get(line.company_id.id, 0),
                "letter_expected": expected.get(line.company_id.id, 0),
            })
        self.sudo().state = "running"
        if sum(expected.values()) <= SYNC_LIMIT or sync:
            self._safety_process_lines()
        else:
            self.env.ref("school_safety.ir_cron_safety_letter_generate")._trigger()
        return True

    def action_issue_all(self):
        """Issue every draft letter of the campaign."""
        self.ensure_one()
        self._safety_check_manager()
        Letter = self.env["safety.letter"]
        drafts = Letter.sudo().search([("campaign_id", "=", self.id), ("state", "=", "draft")], order="id")
        Letter._safety_issue(self, drafts.ids)
        return True

    def action_view_letters(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("school_safety.safety_letter_action")
        action["domain"] = [("campaign_id", "=", self.id)]
        action["context"] = {"search_default_group_school": 1}
        return action

    # ------------------------------------------------------- background job

    @api.model
    def _cron_generate(self):
        """Work through the pending schools of running campaigns, one commit per school.

        An interrupted run leaves its remaining schools pending; the next run resumes there.
        """
        campaigns = self.search([("state", "=", "running")])
        for campaign in campaigns:
            campaign._safety_process_lines(commit=not modules.module.current_test)

    def _safety_process_lines(self, commit=False):
        self.ensure_one()
        self = self.sudo()  # noqa: PLW0642 -- the step runs as the server (manager or cron checked)
        lines = self.line_ids.filtered(lambda line: line.state == "pending").sorted("id")
        total = len(self.line_ids)
        done = total - len(lines)
        Cron = self.env["ir.cron"]
        Letter = self.env["safety.letter"]
        terms = self._safety_planner_campaign()
        for line in lines:
            new_ids = self._safety_generate_school(line.company_id, terms)
            if self.auto_issue:
                Letter._safety_issue(self, new_ids)
            line.write({"state": "done", "letter_count": line._safety_count_letters()})
            done += 1
            _logger.info(
                "Letter campaign %s: %s done (%d/%d schools, %d new letters)",
                self.name, line.company_id.name, done, total, len(new_ids),
            )
            if commit:
                Cron._notify_progress(done=done, remaining=total - done)
                # the job's progress: a school done stays done when a later one fails or the
                # worker is stopped, and the next run resumes after it (the cron's own pattern)
                self.env.cr.commit()  # pylint: disable=invalid-commit
        self.state = "done"
        if commit:
            # the job's last progress step: the campaign is done (see above)
            self.env.cr.commit()  # pylint: disable=invalid-commit

    # --------------------------------------------------------- planning
    #
    # The campaign reads, lib/letter_planner.py decides, safety.letter writes.

    def _safety_planner_campaign(self):
        """What the planner needs of the campaign: its year, its bureau signatory and the
        newest active template of each level in the letter language (one search)."""
        self.ensure_one()
        templates = {}
        for template in self.env["safety.letter.template"].sudo().search(
            [("lang", "=", self.lang)], order="version desc, id desc"
        ):
            templates.setdefault(template.level, template.id)
        signatory = self.sudo().bureau_signatory_id
        return planner.Campaign(
            year=self.year,
            signatory_id=signatory.id or None,
            signatory_name=signatory.name or None,
            templates=templates,
        )

    def _safety_read_school(self, school, guardian_names=True):
        """What the planner needs of one school (``planner.School``), in three queries;
        without ``guardian_names`` (the gap check needs none), guardians have no name.

        Raw SQL on purpose: this runs for every school of every campaign run, over 30,000
        staff, 320,000 students and guardians and 350,000 letters in a large bureau, where
        ORM records cost several times these tuples (``--compare-reads`` of the benchmark,
        docs/benchmarks.md)."""
        cr = self.env.cr
        for model in ("hr.employee", "safety.student", "res.partner", "safety.letter"):
            self.env[model].flush_model()
        cr.execute(SQL(
            """SELECT id, name, parent_id, safety_position, work_contact_id
                 FROM hr_employee
                WHERE company_id = %s AND active AND safety_position IS NOT NULL
                  AND safety_position != 'bureau'
             ORDER BY id""",
            school.id,
        ))
        employees = {row[0]: planner.Employee._make(row) for row in cr.fetchall()}
        # the guardian's name by a subquery on the key: PostgreSQL would join all of res_partner
        cr.execute(SQL(
            """SELECT s.id, s.name, s.class_name, s.class_teacher_id, s.guardian_id, %s
                 FROM safety_student s
                WHERE s.company_id = %s AND s.active
             ORDER BY s.id""",
            SQL("(SELECT p.name FROM res_partner p WHERE p.id = s.guardian_id)") if guardian_names else SQL("NULL"),
            school.id,
        ))
        students = tuple(map(planner.Student._make, cr.fetchall()))
        letters = {}
        if self.id:
            cr.execute(SQL(
                "SELECT level, party_key, id FROM safety_letter WHERE campaign_id = %s AND company_id = %s",
                self.id, school.id,
            ))
            letters = {(level, key): letter_id for level, key, letter_id in cr.fetchall()}
        return planner.School(
            id=school.id,
            name=school.name,
            principal_id=school.safety_principal_id.id or None,
            employees=employees,
            students=students,
            letters=letters,
        )

    def _safety_plan_school(self, school, terms=None):
        """The planner's plan of one school: its gaps, or the letters it still misses.

        ``terms``: the planner's view of this campaign (``_safety_planner_campaign``), when
        the caller has it already."""
        self.ensure_one()
        return planner.plan_school(self._safety_read_school(school), terms or self._safety_planner_campaign())

    def _safety_generate_school(self, school, terms=None):
        """Insert the missing letters of one school; returns the new letter ids."""
        plan = self._safety_plan_school(school, terms)
        if plan.gaps:
            raise UserError("\n".join(self._safety_gap_messages(plan.gaps)))
        if not plan.letters:
            return []
        return self.env["safety.letter"]._safety_insert_plan(self, school, plan.letters)

    def _safety_gap_messages(self, gaps):
        """The planner's gaps in words, in the user's language (the names of the people outside
        the organisation read at once)."""
        outsiders = {getattr(gap, "outsider_id", None) for gap in gaps} - {None}
        names = {}
        if outsiders:
            employees = self.env["hr.employee"].sudo().with_context(active_test=False).search_fetch(
                [("id", "in", list(outsiders))], ["name"]
            )
            names = {employee.id: employee.name for employee in employees}
        levels = dict(self.env["safety.letter.template"]._fields["level"]._description_selection(self.env))
        messages = []
        for gap in gaps:
            match gap:
                case planner.NoSignatory():
                    message = self.env._("The campaign has no bureau signatory for the letters with the principals.")
                case planner.NoTemplate(level=level):
                    message = self.env._("No active %(level)s template in the letter language.", level=levels[level])
                case planner.NoPrincipal(school=school):
                    message = self.env._("%(school)s has no principal.", school=school)
                case planner.PrincipalOutside(school=school, outsider_id=principal_id):
                    message = self.env._(
                        "%(school)s: the principal %(name)s is not an active employee of the school "
                        "in the principal position.",
                        school=school, name=names.get(principal_id, principal_id),
                    )
                case planner.ExtraPrincipal(school=school, name=name):
                    message = self.env._(
                        "%(school)s: %(name)s is in the principal position but is not the "
                        "school's principal.",
                        school=school, name=name,
                    )
                case planner.ReportsToNobody(school=school, name=name):
                    message = self.env._("%(school)s: %(name)s reports to nobody.", school=school, name=name)
                case planner.ReportsOutside(school=school, name=name, outsider_id=manager_id):
                    message = self.env._(
                        "%(school)s: %(name)s reports to %(manager)s, who is not an active member "
                        "of the school's safety organisation.",
                        school=school, name=name, manager=names.get(manager_id, manager_id),
                    )
                case planner.ReportingLoop(school=school, names=loop):
                    message = self.env._(
                        "%(school)s: the reporting lines go round in a loop: %(loop)s.",
                        school=school, loop=" → ".join(loop),
                    )
                case planner.TeacherOutside(school=school, outsider_id=teacher_id, students=students):
                    message = self.env._(
                        "%(school)s: %(count)s students (%(students)s) have the class teacher "
                        "%(teacher)s, who is not an active member of the school's safety organisation.",
                        school=school,
                        count=len(students),
                        students=", ".join(students[:5]),
                        teacher=names.get(teacher_id, teacher_id),
                    )
                case _:
                    raise NotImplementedError(gap)
            messages.append(message)
        return messages

    def _safety_letter_counts(self):
        """{school id: number of letters of the campaign}, whichever companies are active."""
        groups = self.env["safety.letter"].sudo()._read_group(
            [("campaign_id", "=", self.id)], ["company_id"], ["__count"]
        )
        return {school.id: count for school, count in groups}

    @api.model
    def _safety_expected_counts(self, schools):
        """{school id: letters the school's chain holds}: one per active member of its safety
        organisation, one per active student."""
        counts = dict.fromkeys(schools.ids, 0)
        for Model, domain in (
            (self.env["hr.employee"], [("safety_position", "not in", [False, "bureau"])]),
            (self.env["safety.student"], []),
        ):
            for school, count in Model.sudo()._read_group(
                [("company_id", "in", schools.ids), *domain], ["company_id"], ["__count"]
            ):
                counts[school.id] += count
        return counts

    # ------------------------------------------------------ joiners, leavers

    @api.model
    def _safety_sync_schools(self, schools):
        """Create (and issue) the missing letters of running campaigns for ``schools``.

        Called when people join: each new letter also gets a signing activity. A school
        whose organisation has a gap is left for the next campaign run (it is logged), as is
        a campaign missing a template.
        """
        schools = schools.filtered("safety_bureau_id")
        if not schools:
            return
        campaigns = self.sudo().search([
            ("state", "!=", "draft"),
            ("year", "=", fields.Date.today().year),
            ("bureau_id", "in", schools.safety_bureau_id.ids),
        ])
        for campaign in campaigns:
            terms = campaign._safety_planner_campaign()
            gaps = planner.campaign_gaps(terms)
            if gaps:
                _logger.warning(
                    "Letter campaign %s: joiners left for later: %s",
                    campaign.name, "; ".join(campaign._safety_gap_messages(gaps)),
                )
                continue
            Letter = campaign.env["safety.letter"]
            for school in schools.filtered(lambda s, c=campaign: s.safety_bureau_id == c.bureau_id):
                plan = campaign._safety_plan_school(school, terms)
                if plan.gaps:
                    _logger.warning(
                        "Letter campaign %s: %s left for later: %s",
                        campaign.name, school.name, "; ".join(campaign._safety_gap_messages(plan.gaps)),
                    )
                    continue
                if not plan.letters:
                    continue
                new_ids = Letter._safety_insert_plan(campaign, school, plan.letters)
                if campaign.auto_issue:
                    Letter._safety_issue(campaign, new_ids)
                line = campaign.line_ids.filtered(lambda line, s=school: line.company_id == s)
                if line:
                    line.letter_count = line._safety_count_letters()

    # ------------------------------------------------- reminders, escalation

    @api.model
    def _cron_remind(self, now=None):
        """Daily: mark overdue letters, remind the signers, escalate to the principals.

        ``now`` (server only: the demo builder replays the daily job of past days) is when the
        job runs, by default now."""
        now = now or fields.Datetime.now()
        Letter = self.env["safety.letter"].sudo()
        Letter.flush_model()
        # one statement: a campaign's deadline passes for up to 350,000 letters on the same day
        self.env.cr.execute(SQL(
            "UPDATE safety_letter SET progress = 'overdue' WHERE state = 'issued' "
            "AND progress = 'pending' AND deadline < %s",
            now.date(),
        ))
        Letter.invalidate_model(["progress"])
        template = self.env.ref("school_safety.mail_template_safety_letter_reminder", raise_if_not_found=False)
        for campaign in self.search([("state", "!=", "draft")]):
            due = Letter.search([
                ("campaign_id", "=", campaign.id),
                ("state", "=", "issued"),
                ("issue_date", "<=", now - timedelta(days=campaign.reminder_days)),
                ("reminder_date", "=", False),
            ], limit=5000)
            for letter in due:
                # internal signers get an activity; others an email with their link,
                # or, without email, the other party gets the activity to chase them
                if letter.party_b_employee_id.user_id or not (letter.party_b_partner_id.email and template):
                    if not letter.activity_ids:
                        letter._safety_schedule_sign_activities()
                else:
                    template.send_mail(letter.id)
            due.write({"reminder_date": now})
            late = Letter.search([
                ("campaign_id", "=", campaign.id),
                ("state", "=", "issued"),
                ("issue_date", "<=", now - timedelta(days=campaign.escalation_days)),
                ("escalation_date", "=", False),
            ], limit=50000)
            for school in late.company_id:
                school_late = late.filtered(lambda letter, s=school: letter.company_id == s)
                principal_user = school.safety_principal_id.user_id
                anchor = school_late.filtered(lambda letter: letter.level == "bureau_principal")[:1] or school_late[:1]
                if principal_user:
                    anchor = anchor.with_context(lang=principal_user.lang or school._safety_lang())
                    anchor.activity_schedule(
                        "school_safety.mail_activity_type_safety_letter_escalation",
                        user_id=principal_user.id,
                        note=anchor.env._(
                            "%(count)s safety letters of %(school)s are still unsigned after "
                            "%(days)s days.",
                            count=len(school_late), school=school.name, days=campaign.escalation_days,
                        ),
                    )
            late.write({"escalation_date": now})
