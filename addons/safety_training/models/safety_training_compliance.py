import logging
from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.school_safety.models.hr_employee import SAFETY_POSITIONS
from odoo.addons.school_safety.models.res_company import SCHOOL_TYPES

from .safety_training_requirement import ROLE_POSITIONS

_logger = logging.getLogger(__name__)

COMPLIANCE_STATES = [
    ("valid", "Valid"),
    ("expiring", "Expiring Soon"),
    ("expired", "Expired"),
    ("missing", "Missing"),
]


class SafetyTrainingCompliance(models.Model):
    """Who holds what they must: one row per employee of a school and course required of
    them (``safety.training.requirement``), with the state on the day it is read, in the
    reader's time zone:

    * valid: a certificate of the course issued by today that never expires or expires more
      than the warning period (``safety_training.expiry_warning_days``, 30) from today;
    * expiring: the latest one expires within the warning period (today included);
    * expired: every one expired before today;
    * missing: none.

    A query (``_table_query``) rather than a stored table: the state moves with the date.
    """

    _name = "safety.training.compliance"
    _description = "Training Compliance"
    _auto = False
    _order = "company_id, employee_id, course_id"
    _rec_name = "employee_id"
    _depends = {
        "hr.employee": ["company_id", "active", "job_id", "safety_position", "safety_canteen"],
        "res.company": ["safety_school_type", "safety_bureau_id"],
        "safety.training.requirement": ["course_id", "bureau_id", "safety_role", "job_id", "school_type",
                                        "active"],
        "safety.training.course": ["active"],
        "safety.training.certificate": ["employee_id", "course_id", "issue_date", "expiry_date"],
    }

    employee_id = fields.Many2one("hr.employee", readonly=True)
    company_id = fields.Many2one("res.company", string="School", readonly=True)
    bureau_id = fields.Many2one("res.company", readonly=True)
    school_type = fields.Selection(SCHOOL_TYPES, readonly=True)
    job_id = fields.Many2one("hr.job", string="Job Position", readonly=True)
    safety_position = fields.Selection(SAFETY_POSITIONS, readonly=True)
    course_id = fields.Many2one("safety.training.course", readonly=True)
    issue_date = fields.Date(string="Last Issued", readonly=True)
    expiry_date = fields.Date(string="Valid Until", readonly=True)
    days_left = fields.Integer(readonly=True, aggregator="min")
    state = fields.Selection(COMPLIANCE_STATES, readonly=True)
    is_valid = fields.Integer(string="Valid Count", readonly=True, aggregator="sum")
    is_expiring = fields.Integer(string="Expiring Count", readonly=True, aggregator="sum")
    is_expired = fields.Integer(string="Expired Count", readonly=True, aggregator="sum")
    is_missing = fields.Integer(string="Missing Count", readonly=True, aggregator="sum")

    @property
    def _table_query(self):
        return self._safety_compliance_query(
            fields.Date.context_today(self), self.env["safety.training.certificate"]._safety_warning_days()
        )

    @api.model
    def _safety_compliance_query(self, today, warning_days):
        """The rows as of ``today``: every (employee, required course) pair of the schools' active
        staff, with the employee's best certificate of the course issued by then."""
        roles = SQL(", ").join(
            SQL("(%s, %s)", role, position)
            for role, positions in ROLE_POSITIONS.items() for position in positions
        )
        return SQL(
            """
            WITH role_position(role, position) AS (VALUES %(roles)s),
            required AS (
                SELECT DISTINCT e.id AS employee_id, e.company_id, c.safety_bureau_id AS bureau_id,
                       c.safety_school_type AS school_type, e.job_id, e.safety_position, r.course_id
                  FROM hr_employee e
                  JOIN res_company c ON c.id = e.company_id AND c.safety_school_type IS NOT NULL
                  JOIN safety_training_requirement r
                    ON r.active
                   AND (r.bureau_id IS NULL OR r.bureau_id = c.safety_bureau_id)
                   AND (r.school_type IS NULL OR r.school_type = c.safety_school_type)
                   AND (r.job_id IS NULL OR r.job_id = e.job_id)
                   AND (r.safety_role = 'all'
                        OR (r.safety_role = 'canteen' AND COALESCE(e.safety_canteen, FALSE))
                        OR EXISTS (SELECT 1 FROM role_position rp
                                    WHERE rp.role = r.safety_role AND rp.position = e.safety_position))
                  JOIN safety_training_course co ON co.id = r.course_id AND co.active
                 WHERE e.active
            ),
            held AS (
                SELECT cert.employee_id, cert.course_id,
                       bool_or(cert.expiry_date IS NULL) AS forever,
                       max(cert.expiry_date) AS expiry_date,
                       max(cert.issue_date) AS issue_date
                  FROM safety_training_certificate cert
                 WHERE cert.issue_date <= %(today)s
                 GROUP BY cert.employee_id, cert.course_id
            ),
            joined AS (
                SELECT rq.*, h.issue_date,
                       CASE WHEN h.forever THEN NULL ELSE h.expiry_date END AS expiry_date,
                       CASE WHEN h.employee_id IS NULL THEN 'missing'
                            WHEN h.forever THEN 'valid'
                            WHEN h.expiry_date < %(today)s THEN 'expired'
                            WHEN h.expiry_date <= %(soon)s THEN 'expiring'
                            ELSE 'valid' END AS state
                  FROM required rq
                  LEFT JOIN held h ON h.employee_id = rq.employee_id AND h.course_id = rq.course_id
            )
            SELECT j.employee_id::bigint * 100000 + j.course_id AS id,
                   j.employee_id, j.company_id, j.bureau_id, j.school_type, j.job_id, j.safety_position,
                   j.course_id, j.issue_date, j.expiry_date,
                   (j.expiry_date - %(today)s)::integer AS days_left,
                   j.state,
                   (j.state = 'valid')::integer AS is_valid,
                   (j.state = 'expiring')::integer AS is_expiring,
                   (j.state = 'expired')::integer AS is_expired,
                   (j.state = 'missing')::integer AS is_missing
              FROM joined j
            """,
            roles=roles, today=today, soon=today + relativedelta(days=warning_days),
        )

    # ------------------------------------------------------------ reminders

    @api.model
    def _cron_remind(self, today=None):
        """Daily: an activity to the employee and to the school's safety officer (else its
        principal) for each required course expiring within the warning period, and to the
        officer for each one expired or missing; reminders of courses now valid are closed.
        Idempotent: an open reminder of the same person, employee and course is not repeated."""
        today = today or fields.Date.context_today(self)
        warning_days = self.env["safety.training.certificate"]._safety_warning_days()
        self.env.flush_all()
        query = self._safety_compliance_query(today, warning_days)
        self.env.cr.execute(SQL(
            "SELECT employee_id, company_id, course_id, state, expiry_date FROM (%s) q WHERE q.state != 'valid'",
            query,
        ))
        rows = self.env.cr.fetchall()
        activity_type = self.env.ref("safety_training.mail_activity_type_training_renewal")
        Activity = self.env["mail.activity"].sudo()
        open_activities = Activity.search([
            ("activity_type_id", "=", activity_type.id), ("res_model", "=", "hr.employee"),
        ])
        existing = {(a.res_id, a.user_id.id, a.safety_training_course_id.id): a for a in open_activities}
        employees = self.env["hr.employee"].sudo().browse({row[0] for row in rows})
        schools = self.env["res.company"].sudo().browse({row[1] for row in rows})
        courses = self.env["safety.training.course"].sudo().browse({row[2] for row in rows})
        officer = {
            school.id: (school.safety_officer_id.user_id or school.safety_principal_id.user_id) for school in schools
        }
        wanted = {}
        for employee_id, company_id, course_id, state, expiry in rows:
            employee = employees.browse(employee_id)
            told = [officer[company_id]]
            if state == "expiring":
                told.append(employee.user_id)
            for user in told:
                if user and (employee_id, user.id, course_id) not in wanted:
                    wanted[(employee_id, user.id, course_id)] = (user, employee, courses.browse(course_id),
                                                                  state, expiry)
        model_id = self.env["ir.model"]._get_id("hr.employee")
        values = []
        for key, (user, employee, course, state, expiry) in wanted.items():
            if key in existing:
                continue
            lang = user.lang or employee.company_id._safety_lang()
            summary, note = self.with_context(lang=lang)._safety_reminder_text(
                employee, course.with_context(lang=lang), state, expiry, user == employee.user_id,
            )
            values.append({
                "res_model_id": model_id,
                "res_id": employee.id,
                "activity_type_id": activity_type.id,
                "user_id": user.id,
                "summary": summary,
                "note": note,
                "date_deadline": expiry if state == "expiring" and expiry else today,
                "safety_training_course_id": course.id,
            })
        # one batch per rank: mail subscribes each batch's users to its records, once per pair
        ranks = defaultdict(list)
        seen = defaultdict(int)
        for vals in values:
            pair = (vals["res_id"], vals["user_id"])
            ranks[seen[pair]].append(vals)
            seen[pair] += 1
        created = Activity.browse()
        for rank in sorted(ranks):
            created |= Activity.with_context(mail_activity_quick_update=True).create(ranks[rank])
        # reminders whose course is now held again
        resolved = Activity.browse([
            activity.id for key, activity in existing.items() if key not in wanted
        ])
        by_lang = defaultdict(lambda: Activity.browse())
        for activity in resolved:
            by_lang[activity.user_id.lang or "en_US"] |= activity
        for lang, activities in by_lang.items():
            activities.with_context(lang=lang).action_feedback(
                feedback=self.with_context(lang=lang).env._(
                    "No longer needed: the training is valid or no longer required."),
            )
        _logger.info("Training reminders: %d sent, %d closed, %d rows behind", len(created), len(resolved),
                     len(rows))
        return {"created": len(created), "closed": len(resolved), "rows": len(rows)}

    @api.model
    def _safety_reminder_text(self, employee, course, state, expiry, to_employee):
        if state == "expiring":
            if to_employee:
                summary = self.env._("Your %(course)s training expires on %(date)s", course=course.name, date=expiry)
                note = self.env._("Attend a %(course)s session before %(date)s to stay qualified.",
                         course=course.name, date=expiry)
            else:
                summary = self.env._("%(employee)s: %(course)s expires on %(date)s",
                            employee=employee.name, course=course.name, date=expiry)
                note = self.env._("Plan a %(course)s session for %(employee)s before %(date)s.",
                         course=course.name, employee=employee.name, date=expiry)
        elif state == "expired":
            summary = self.env._("%(employee)s: %(course)s expired on %(date)s",
                        employee=employee.name, course=course.name, date=expiry)
            note = self.env._("%(employee)s is no longer qualified in %(course)s: plan a session.",
                     employee=employee.name, course=course.name)
        else:
            summary = self.env._("%(employee)s: %(course)s missing", employee=employee.name, course=course.name)
            note = self.env._("%(employee)s has never been trained in %(course)s, which their post requires.",
                     employee=employee.name, course=course.name)
        return summary, note
