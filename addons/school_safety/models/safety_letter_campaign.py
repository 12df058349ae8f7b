import logging
import uuid
from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup, escape

from odoo import api, fields, models, modules
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from .safety_letter_template import LETTER_LANGS

_logger = logging.getLogger(__name__)

# Letter level of an employee by their safety position (principals: bureau_principal).
POSITION_LEVEL = {
    "deputy": "principal_deputy",
    "middle_manager": "deputy_middle",
    "class_teacher": "middle_staff",
    "teacher": "middle_staff",
    "logistics": "middle_staff",
    "guard": "middle_staff",
}
# Campaigns expecting at most this many letters run at once; larger ones in the background.
SYNC_LIMIT = 5000
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
        string="Bureau",
        required=True,
        domain="[('safety_is_bureau', '=', True)]",
        default=lambda self: self.env.company if self.env.company.safety_is_bureau else False,
    )
    user_id = fields.Many2one("res.users", string="Responsible", default=lambda self: self.env.user)
    bureau_signatory_id = fields.Many2one(
        "hr.employee",
        string="Bureau Signatory",
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
            campaign.school_done_count = len(lines.filtered(lambda l: l.state == "done"))

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
        gaps = self._safety_campaign_gaps()
        complete = set()
        for school in schools:
            school_gaps, rows = self._safety_plan_school(school, build_rows=False)
            gaps += school_gaps
            if not school_gaps and not rows:
                complete.add(school.id)
        if gaps:
            raise UserError(
                self.env._(
                    "The organisation has gaps; no letter was generated. Fix these first:\n%(gaps)s",
                    gaps="\n".join(f"- {gap}" for gap in gaps),
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
        self.env["safety.letter"].flush_model()
        self.env.cr.execute(
            SQL("SELECT id FROM safety_letter WHERE campaign_id = %s AND state = 'draft'", self.id)
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        for start in range(0, len(ids), ISSUE_BATCH):
            self._safety_issue(ids[start:start + ISSUE_BATCH])
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
        lines = self.line_ids.filtered(lambda l: l.state == "pending").sorted("id")
        total = len(self.line_ids)
        done = total - len(lines)
        Cron = self.env["ir.cron"]
        for line in lines:
            new_ids = self._safety_generate_school(line.company_id)
            if self.auto_issue:
                self._safety_issue(new_ids)
            line.write({"state": "done", "letter_count": line._safety_count_letters()})
            done += 1
            _logger.info(
                "Letter campaign %s: %s done (%d/%d schools, %d new letters)",
                self.name, line.company_id.name, done, total, len(new_ids),
            )
            if commit:
                Cron._notify_progress(done=done, remaining=total - done)
                self.env.cr.commit()
        self.state = "done"
        if commit:
            self.env.cr.commit()

    # -------------------------------------------------------- organisation

    def _safety_campaign_gaps(self):
        self.ensure_one()
        gaps = []
        if not self.bureau_signatory_id:
            gaps.append(self.env._("The campaign has no bureau signatory for the letters with the principals."))
        Template = self.env["safety.letter.template"]
        for level, label in Template._fields["level"]._description_selection(self.env):
            if not self._safety_template(level):
                gaps.append(self.env._("No active %(level)s template in the letter language.", level=label))
        return gaps

    def _safety_template(self, level):
        return self.env["safety.letter.template"].sudo().search(
            [("level", "=", level), ("lang", "=", self.lang)], order="version desc", limit=1
        )

    def _safety_letter_counts(self):
        self.env["safety.letter"].flush_model(["campaign_id", "company_id"])
        self.env.cr.execute(SQL(
            "SELECT company_id, count(*) FROM safety_letter WHERE campaign_id = %s GROUP BY company_id",
            self.id,
        ))
        return dict(self.env.cr.fetchall())

    @api.model
    def _safety_expected_counts(self, schools):
        cr = self.env.cr
        self.env["hr.employee"].flush_model(["company_id", "safety_position", "active"])
        self.env["safety.student"].flush_model(["company_id", "active"])
        cr.execute(SQL(
            """SELECT company_id, count(*) FROM (
                   SELECT company_id FROM hr_employee
                    WHERE company_id = ANY(%s) AND active AND safety_position IS NOT NULL
                      AND safety_position != 'bureau'
                   UNION ALL
                   SELECT company_id FROM safety_student WHERE company_id = ANY(%s) AND active
               ) people GROUP BY company_id""",
            schools.ids, schools.ids,
        ))
        return dict(cr.fetchall())

    def _safety_read_school(self, school):
        """Employees, students and existing letters of one school, in three queries."""
        cr = self.env.cr
        self.env["hr.employee"].flush_model()
        self.env["safety.student"].flush_model()
        self.env["safety.letter"].flush_model()
        cr.execute(SQL(
            """SELECT id, name, parent_id, safety_position, work_contact_id
                 FROM hr_employee
                WHERE company_id = %s AND active AND safety_position IS NOT NULL
                  AND safety_position != 'bureau'""",
            school.id,
        ))
        employees = {row[0]: row for row in cr.fetchall()}
        cr.execute(SQL(
            """SELECT id, name, class_name, class_teacher_id, guardian_id
                 FROM safety_student WHERE company_id = %s AND active""",
            school.id,
        ))
        students = cr.fetchall()
        existing = {}
        if self.id:
            cr.execute(SQL(
                "SELECT level, party_key, id FROM safety_letter WHERE campaign_id = %s AND company_id = %s",
                self.id, school.id,
            ))
            existing = {(level, key): letter_id for level, key, letter_id in cr.fetchall()}
        return employees, students, existing

    def _safety_plan_school(self, school, build_rows=True):
        """(gaps, letters) of one school: letters as rows ordered so parents come first.

        Each planned letter is a dict; ``parent_key`` names the party key of the letter above.
        """
        self.ensure_one()
        _ = self.env._
        employees, students, existing = self._safety_read_school(school)
        gaps = []
        principal_id = school.safety_principal_id.id
        if not principal_id:
            gaps.append(_("%(school)s has no principal.", school=school.name))
        elif principal_id not in employees:
            gaps.append(
                _(
                    "%(school)s: the principal %(name)s is not an active employee of the school "
                    "in the principal position.",
                    school=school.name,
                    name=school.safety_principal_id.name,
                )
            )
        unknown = {
            row[2] for row in employees.values() if row[2] and row[2] not in employees
        } | {row[3] for row in students if row[3] not in employees}
        names = {}
        if unknown:
            self.env.cr.execute(SQL("SELECT id, name FROM hr_employee WHERE id = ANY(%s)", list(unknown)))
            names = dict(self.env.cr.fetchall())
        depth = {}
        if principal_id in employees:
            depth[principal_id] = 0
        for emp_id, (_id, name, parent_id, position, _contact) in employees.items():
            if emp_id == principal_id:
                continue
            if position == "principal":
                gaps.append(
                    _(
                        "%(school)s: %(name)s is in the principal position but is not the "
                        "school's principal.",
                        school=school.name, name=name,
                    )
                )
            elif not parent_id:
                gaps.append(_("%(school)s: %(name)s reports to nobody.", school=school.name, name=name))
            elif parent_id not in employees:
                gaps.append(
                    _(
                        "%(school)s: %(name)s reports to %(manager)s, who is not an active member "
                        "of the school's safety organisation.",
                        school=school.name, name=name, manager=names.get(parent_id, parent_id),
                    )
                )
        # depth of everybody below the principal; a walk that comes back on itself is a loop
        reported_loops = set()
        for emp_id in employees:
            path = []
            current = emp_id
            while current in employees and current not in depth and current not in path:
                path.append(current)
                current = employees[current][2]
            if current in path:
                loop = path[path.index(current):]
                if not reported_loops & set(loop):
                    reported_loops |= set(loop)
                    gaps.append(
                        _(
                            "%(school)s: the reporting lines go round in a loop: %(loop)s.",
                            school=school.name,
                            loop=" → ".join(employees[e][1] for e in loop + [current]),
                        )
                    )
                continue
            if current in depth:
                base = depth[current]
                for offset, emp in enumerate(reversed(path), start=1):
                    depth[emp] = base + offset
        missing_teachers = {}
        for student in students:
            if student[3] not in employees:
                missing_teachers.setdefault(student[3], []).append(student[1])
        for teacher_id, student_names in missing_teachers.items():
            gaps.append(
                _(
                    "%(school)s: %(count)s students (%(students)s) have the class teacher "
                    "%(teacher)s, who is not an active member of the school's safety organisation.",
                    school=school.name,
                    count=len(student_names),
                    students=", ".join(student_names[:5]),
                    teacher=names.get(teacher_id, teacher_id),
                )
            )
        if gaps:
            return gaps, []
        if not build_rows:
            # only whether anything is missing: a cheap check for the whole bureau
            principal_key = ("bureau_principal", f"e{principal_id}")
            missing = principal_key not in existing or any(
                (POSITION_LEVEL.get(row[3]), f"e{emp_id}") not in existing
                for emp_id, row in employees.items()
                if emp_id != principal_id
            ) or any(("class_teacher_guardian", f"s{row[0]}") not in existing for row in students)
            return [], [True] if missing else []
        return [], self._safety_rows(school, employees, students, existing, depth)

    def _safety_rows(self, school, employees, students, existing, depth):
        rows = []
        signatory = self.bureau_signatory_id
        for emp_id in sorted(employees, key=lambda e: depth.get(e, 0)):
            _id, name, parent_id, position, contact_id = employees[emp_id]
            if emp_id == school.safety_principal_id.id:
                level, party_a, party_a_name, parent_key = (
                    "bureau_principal", signatory.id, signatory.name, None,
                )
            else:
                level = POSITION_LEVEL[position]
                party_a, party_a_name, parent_key = parent_id, employees[parent_id][1], f"e{parent_id}"
            key = f"e{emp_id}"
            if (level, key) in existing:
                continue
            rows.append({
                "depth": depth.get(emp_id, 0),
                "level": level,
                "party_key": key,
                "parent_key": parent_key,
                "party_a_employee_id": party_a,
                "party_a_name": party_a_name,
                "party_b_employee_id": emp_id,
                "party_b_partner_id": contact_id,
                "party_b_name": name,
                "student_id": None,
                "class_name": None,
                "name": f"{self.year} {party_a_name} — {name}",
            })
        missing = [s for s in students if ("class_teacher_guardian", f"s{s[0]}") not in existing]
        guardian_names = {}
        if missing:
            self.env["res.partner"].flush_model(["name"])
            self.env.cr.execute(SQL(
                "SELECT id, name FROM res_partner WHERE id = ANY(%s)", list({s[4] for s in missing})
            ))
            guardian_names = dict(self.env.cr.fetchall())
        for student_id, student_name, class_name, teacher_id, guardian_id in missing:
            key = f"s{student_id}"
            guardian_name = guardian_names.get(guardian_id)
            teacher_name = employees[teacher_id][1]
            rows.append({
                "depth": depth.get(teacher_id, 0) + 1,
                "level": "class_teacher_guardian",
                "party_key": key,
                "parent_key": f"e{teacher_id}",
                "party_a_employee_id": teacher_id,
                "party_a_name": teacher_name,
                "party_b_employee_id": None,
                "party_b_partner_id": guardian_id,
                "party_b_name": guardian_name,
                "student_id": student_id,
                "class_name": class_name,
                "name": f"{self.year} {teacher_name} — {guardian_name} ({student_name})",
            })
        templates = {}
        for row in rows:
            if row["level"] not in templates:
                templates[row["level"]] = self._safety_template(row["level"]).id
            row["template_id"] = templates[row["level"]]
        return rows

    def _safety_generate_school(self, school):
        """Insert the missing letters of one school; returns the new letter ids.

        Rows are built in Python from a few reads and inserted with one statement per
        batch: at 350,000 letters per campaign, per-record ORM creates (and their mail
        followers and tracking) cost minutes. The uniqueness constraint on
        (campaign, level, party) keeps re-runs from duplicating anything.
        """
        self.ensure_one()
        gaps, rows = self._safety_plan_school(school)
        if gaps:
            raise UserError("\n".join(gaps))
        if not rows:
            return []
        cr = self.env.cr
        cr.execute(SQL(
            "SELECT party_key, id FROM safety_letter WHERE campaign_id = %s AND company_id = %s "
            "AND party_key LIKE %s",
            self.id, school.id, "e%",
        ))
        letter_by_key = dict(cr.fetchall())
        new_ids = []
        by_depth = {}
        for row in rows:
            by_depth.setdefault(row["depth"], []).append(row)
        for level_depth in sorted(by_depth):
            batch_rows = by_depth[level_depth]
            for start in range(0, len(batch_rows), INSERT_BATCH):
                chunk = batch_rows[start:start + INSERT_BATCH]
                for row in chunk:
                    row["parent_id"] = letter_by_key.get(row["parent_key"])
                inserted = self._safety_insert_rows(school, chunk)
                for key, letter_id in inserted:
                    if key.startswith("e"):
                        letter_by_key[key] = letter_id
                    new_ids.append(letter_id)
        self.env["safety.letter"].invalidate_model()
        return new_ids

    def _safety_insert_rows(self, school, rows):
        """One INSERT of many letters, column arrays unnested; returns (party_key, id)."""
        values = {
            "campaign_id": [self.id] * len(rows),
            "company_id": [school.id] * len(rows),
            "year": [self.year] * len(rows),
            "verification_uuid": [str(uuid.uuid4()) for _row in rows],
        }
        for column, _type in INSERT_COLUMNS:
            if column not in values:
                values[column] = [row[column] for row in rows]
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

    def _safety_issue(self, letter_ids, now=None):
        """Freeze the text of draft letters and give them their signing links.

        ``now`` (server only: the demo builder) is when they were issued, by default now."""
        self.ensure_one()
        if not letter_ids:
            return
        cr = self.env.cr
        self.env["safety.letter"].flush_model()
        cr.execute(SQL(
            """SELECT l.id, l.template_id, l.party_a_name, l.party_b_name, c.name, s.name, s.class_name
                 FROM safety_letter l
                 JOIN res_company c ON c.id = l.company_id
            LEFT JOIN safety_student s ON s.id = l.student_id
                WHERE l.id = ANY(%s) AND l.state = 'draft'""",
            list(letter_ids),
        ))
        rows = cr.fetchall()
        templates = {
            t.id: t for t in self.env["safety.letter.template"].sudo().with_context(active_test=False).browse(
                {row[1] for row in rows}
            )
        }
        base_html = {tid: template._safety_base_html() for tid, template in templates.items()}
        fill = self.env["safety.letter.template"]._safety_fill
        ids, contents, tokens_b, tokens_a = [], [], [], []
        for letter_id, template_id, party_a, party_b, school, student, class_name in rows:
            ids.append(letter_id)
            contents.append(fill(base_html[template_id], {
                "bureau": self.bureau_id.name,
                "school": school,
                "year": str(self.year),
                "party_a": party_a,
                "party_b": party_b,
                "student": student,
                "class": class_name,
            }))
            tokens_b.append(str(uuid.uuid4()))
            tokens_a.append(str(uuid.uuid4()))
        now = now or fields.Datetime.now()
        deadline = self.sign_deadline or (now.date() + timedelta(days=30))
        cr.execute(SQL(
            """UPDATE safety_letter l
                  SET content = v.content, access_token = v.token_b, party_a_access_token = v.token_a,
                      state = 'issued', progress = 'pending', issue_date = %s, deadline = %s,
                      access_token_expiry = %s, write_date = %s, write_uid = %s
                 FROM unnest(%s::int4[], %s::text[], %s::varchar[], %s::varchar[])
                   AS v(id, content, token_b, token_a)
                WHERE l.id = v.id AND l.state = 'draft'""",
            now, deadline, now + timedelta(days=self.token_validity_days), now, self.env.uid,
            ids, contents, tokens_b, tokens_a,
        ))
        self.env["safety.letter"].invalidate_model()
        self._safety_notify_issued(ids)

    def _safety_notify_issued(self, letter_ids):
        """Tell the signers at once that their letters wait (not a week later, at the first
        reminder), in a few batches:

        * a signer with an account gets an activity on their letter;
        * a guardian with an email gets the email with their signing link;
        * the party A of the other letters (the class teacher for guardians without email)
          gets one activity per class to hand the links out (slips, class group);
        * each party A with an account gets one activity for the letters they sign as party A.
        """
        self.ensure_one()
        letters = self.env["safety.letter"].sudo().browse(letter_ids).filtered(lambda l: l.state == "issued")
        if not letters:
            return
        school_lang = letters[0].company_id._safety_lang()

        def told(user):
            # the language of who is told (the job, or the manager issuing, may speak another)
            return self.with_context(lang=user.lang or school_lang).env

        sign_type = self.env.ref("school_safety.mail_activity_type_safety_letter_sign")
        model_id = self.env["ir.model"]._get_id("safety.letter")
        deadline = self.sign_deadline or fields.Date.today() + timedelta(days=14)
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
            self.name, len(letters), len(activities), len(emails),
        )

    # ------------------------------------------------------ joiners, leavers

    @api.model
    def _safety_sync_schools(self, schools):
        """Create (and issue) the missing letters of running campaigns for ``schools``.

        Called when people join: each new letter also gets a signing activity. A school
        whose organisation has a gap is left for the next campaign run (it is logged).
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
            for school in schools.filtered(lambda s, c=campaign: s.safety_bureau_id == c.bureau_id):
                gaps, _rows = campaign._safety_plan_school(school)
                if gaps:
                    _logger.warning("Letter campaign %s: %s left for later: %s", campaign.name, school.name, gaps)
                    continue
                new_ids = campaign._safety_generate_school(school)
                if not new_ids:
                    continue
                if campaign.auto_issue:
                    campaign._safety_issue(new_ids)
                line = campaign.line_ids.filtered(lambda l, s=school: l.company_id == s)
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
                school_late = late.filtered(lambda l, s=school: l.company_id == s)
                principal_user = school.safety_principal_id.user_id
                anchor = school_late.filtered(lambda l: l.level == "bureau_principal")[:1] or school_late[:1]
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
