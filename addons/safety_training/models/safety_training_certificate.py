from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import create_index

CERTIFICATE_STATES = [
    ("valid", "Valid"),
    ("expiring", "Expiring Soon"),
    ("expired", "Expired"),
]
# days before its expiry a certificate counts as expiring (system parameter and default)
WARNING_DAYS_PARAM = "safety_training.expiry_warning_days"
WARNING_DAYS = 30


class SafetyTrainingCertificate(models.Model):
    """What an employee holds of a course, and until when (培训合格证明).

    A done session gives one to each attendee present and passed (its number from the
    sequence, valid for the course's validity from the session's last day): filed with the
    session, it never changes. An outside certificate (the fire brigade's, a canteen worker's
    health certificate) is recorded by the school with its issuer, dates and scan; it may be
    corrected or removed."""

    _name = "safety.training.certificate"
    _description = "Training Certificate"
    _inherit = ["safety.school.record", "mail.thread"]
    _order = "issue_date desc, id desc"
    _safety_create_fields = frozenset({"employee_id"})

    name = fields.Char(
        string="Certificate No.", copy=False,
        help="Given by the issuer for an outside certificate; numbered by the suite for a session's.",
    )
    employee_id = fields.Many2one("hr.employee", required=True, ondelete="restrict", index=True, tracking=True)
    company_id = fields.Many2one(
        related="employee_id.company_id", store=True, index=True, precompute=True, default=None,
    )
    course_id = fields.Many2one("safety.training.course", required=True, ondelete="restrict", index=True,
                                tracking=True)
    source = fields.Selection(
        [("training", "Training Session"), ("external", "Outside Certificate")],
        compute="_compute_source", store=True,
    )
    attendance_id = fields.Many2one(
        "safety.training.attendance", readonly=True, copy=False, ondelete="restrict", index="btree_not_null",
    )
    training_id = fields.Many2one(related="attendance_id.training_id", store=True, index="btree_not_null",
                                  string="Session")
    issue_date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    expiry_date = fields.Date(
        compute="_compute_expiry_date", store=True, readonly=False, precompute=True, tracking=True,
        help="The last day the certificate is valid; empty: it never expires.",
    )
    issuer = fields.Char(string="Issued By", help="e.g. the district fire brigade, the health authority.")
    scan = fields.Binary(attachment=True, help="The scan or photo of an outside certificate.")
    scan_filename = fields.Char()
    state = fields.Selection(
        CERTIFICATE_STATES, compute="_compute_state", search="_search_state",
        help="Valid, expiring within the warning period (30 days unless configured), or expired.",
    )
    note = fields.Text()

    _sql_constraints = [
        ("dates_in_order", "CHECK(expiry_date IS NULL OR expiry_date >= issue_date)",
         "A certificate cannot expire before it was issued."),
    ]

    def init(self):
        # the compliance report looks up each employee's certificates of a course by expiry
        create_index(self.env.cr, "safety_training_certificate_holder_index", self._table,
                     ["employee_id", "course_id", "expiry_date"])

    @api.depends("employee_id", "course_id", "name")
    def _compute_display_name(self):
        for certificate in self:
            name = f"{certificate.course_id.name or ''} - {certificate.employee_id.sudo().name or ''}"
            certificate.display_name = f"{name} ({certificate.name})" if certificate.name else name

    @api.depends("attendance_id")
    def _compute_source(self):
        for certificate in self:
            certificate.source = "training" if certificate.attendance_id else "external"

    @api.depends("issue_date", "course_id")
    def _compute_expiry_date(self):
        for certificate in self:
            months = certificate.course_id.validity_months
            certificate.expiry_date = (
                certificate.issue_date + relativedelta(months=months)
                if months and certificate.issue_date else False
            )

    @api.model
    def _safety_warning_days(self):
        value = self.env["ir.config_parameter"].sudo().get_param(WARNING_DAYS_PARAM, WARNING_DAYS)
        try:
            return max(int(value), 0)
        except ValueError:
            return WARNING_DAYS

    @api.model
    def _safety_state_of(self, expiry, today, warning_days):
        """The state of a certificate valid until ``expiry`` (None: forever) on ``today``."""
        if not expiry:
            return "valid"
        if expiry < today:
            return "expired"
        if (expiry - today).days <= warning_days:
            return "expiring"
        return "valid"

    @api.depends("expiry_date")
    @api.depends_context("uid")
    def _compute_state(self):
        today = fields.Date.context_today(self)
        days = self._safety_warning_days()
        for certificate in self:
            certificate.state = self._safety_state_of(certificate.expiry_date, today, days)

    def _search_state(self, operator, value):
        if operator not in ("=", "!=", "in", "not in"):
            raise UserError(self.env._("Unsupported search on the certificate status."))
        values = {value} if isinstance(value, str) else set(value or ())
        if operator in ("!=", "not in"):
            values = {key for key, _label in CERTIFICATE_STATES} - values
        today = fields.Date.context_today(self)
        soon = today + relativedelta(days=self._safety_warning_days())
        domains = {
            "valid": ["|", ("expiry_date", "=", False), ("expiry_date", ">", soon)],
            "expiring": [("expiry_date", ">=", today), ("expiry_date", "<=", soon)],
            "expired": [("expiry_date", "<", today)],
        }
        parts = [domains[key] for key in sorted(values) if key in domains]
        if not parts:
            return [("id", "=", 0)]
        domain = parts[0]
        for part in parts[1:]:
            domain = ["|", *domain, *part]
        return domain

    @api.constrains("issue_date", "expiry_date")
    def _check_dates(self):
        for certificate in self:
            if certificate.expiry_date and certificate.expiry_date < certificate.issue_date:
                raise ValidationError(self.env._(
                    "The certificate of %(employee)s for %(course)s expires on %(expiry)s, before it was "
                    "issued on %(issue)s.",
                    employee=certificate.employee_id.sudo().name, course=certificate.course_id.name,
                    expiry=certificate.expiry_date, issue=certificate.issue_date,
                ))

    @api.constrains("course_id", "company_id")
    def _check_course(self):
        for certificate in self:
            bureau = certificate.company_id.sudo().safety_bureau_id or certificate.company_id
            if certificate.course_id.bureau_id and certificate.course_id.bureau_id != bureau:
                raise ValidationError(self.env._(
                    "%(course)s is a course of another bureau.", course=certificate.course_id.name,
                ))

    def _safety_is_locked(self):
        """A session's certificate is filed with it."""
        self.ensure_one()
        return bool(self.attendance_id)

    def _safety_locked_message(self):
        return self.env._(
            "%(certificate)s was given by the session %(training)s: it is part of the training record "
            "and can no longer change.",
            certificate=self.name, training=self.training_id.name,
        )

    _safety_undeletable_message = _safety_locked_message

    def action_print(self):
        self.ensure_one()
        return self.env.ref("safety_training.action_report_safety_training_certificate").report_action(self)
