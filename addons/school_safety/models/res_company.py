import operator as py_operator

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools.misc import clean_context

SCHOOL_TYPES = [
    ("kindergarten", "Kindergarten"),
    ("primary", "Primary School"),
    ("junior_secondary", "Junior Secondary School"),
    ("senior_secondary", "Senior Secondary School"),
    ("nine_year", "Nine-Year School"),
    ("twelve_year", "Twelve-Year School"),
    ("vocational", "Vocational School"),
    ("special_education", "Special Education School"),
]


# What a bureau manager (who is no Odoo administrator) may give or change on the schools
# of their bureau: the school profile and its address. Never the contact behind the company
# (whose name, email... the company's fields write through), its users or its place in
# the bureau tree.
SCHOOL_PROFILE_FIELDS = frozenset({
    "name", "safety_school_type", "safety_enrollment_day", "safety_enrollment_boarding",
    "safety_building_floors", "safety_principal_id", "safety_officer_id", "safety_latitude",
    "safety_longitude", "safety_guards_contracted", "safety_start_date", "street", "street2", "zip", "city",
    "state_id", "country_id", "phone", "mobile", "email", "website", "logo",
})
# ... and on their bureau: the guard rule it sets for its schools
BUREAU_PROFILE_FIELDS = frozenset({
    "safety_guard_rule_small_max", "safety_guard_rule_medium_max", "safety_guard_rule_step",
    "safety_officer_id", "street", "street2", "zip", "city", "state_id", "country_id",
    "phone", "mobile", "email", "website", "logo",
})
# registering a school: its profile under a bureau of theirs
SCHOOL_CREATE_FIELDS = (SCHOOL_PROFILE_FIELDS - {"safety_principal_id", "safety_officer_id"}) | {"parent_id"}
# ... which the school form sends empty as well: a new school has no people yet and is no bureau
SCHOOL_CREATE_EMPTY_FIELDS = frozenset({"safety_principal_id", "safety_officer_id", "safety_is_bureau"})

SHORTFALL_OPERATORS = {
    "=": py_operator.eq,
    "!=": py_operator.ne,
    ">": py_operator.gt,
    ">=": py_operator.ge,
    "<": py_operator.lt,
    "<=": py_operator.le,
}


class ResCompany(models.Model):
    _inherit = "res.company"

    safety_is_bureau = fields.Boolean(
        string="Education Bureau",
        help="This company is an education bureau supervising the schools below it.",
    )
    safety_school_type = fields.Selection(
        SCHOOL_TYPES,
        string="School Type",
        help="Set on every school; a company without a school type is not a school.",
    )
    safety_is_school = fields.Boolean(
        string="Is a School", compute="_compute_safety_is_school", store=True
    )
    safety_bureau_id = fields.Many2one(
        "res.company",
        string="Supervising Bureau",
        compute="_compute_safety_bureau_id",
        store=True,
        recursive=True,
    )
    # Guard staffing rule, set on the bureau for its schools (GB/T 29315-2022 by default)
    safety_guard_rule_small_max = fields.Integer(
        string="One Guard Below",
        default=100,
        help="Schools with fewer non-boarding students than this need one guard, "
        "from it two.",
    )
    safety_guard_rule_medium_max = fields.Integer(
        string="Three Guards From",
        default=1000,
        help="Schools with at least this many non-boarding students need three guards.",
    )
    safety_guard_rule_step = fields.Integer(
        string="One More Guard Every",
        default=500,
        help="Above the three-guard threshold, one more guard for every further "
        "this many non-boarding students.",
    )
    safety_enrollment_day = fields.Integer(
        string="Non-boarding Students",
        help="Students going home every day; GB/T 29315-2022 sizes the guard staff on it.",
    )
    safety_enrollment_boarding = fields.Integer(string="Boarding Students")
    safety_enrollment_total = fields.Integer(
        string="Enrollment", compute="_compute_safety_enrollment_total", store=True
    )
    safety_is_boarding = fields.Boolean(
        string="Boarding School", compute="_compute_safety_enrollment_total", store=True
    )
    safety_start_date = fields.Date(
        string="Records Kept Since",
        help="The day the school started keeping its safety records in the suite: duties "
        "counted per period (drills...) are counted from the first whole period after it.",
    )
    safety_building_floors = fields.Integer(
        string="Floors of Tallest Teaching Building",
        help="Evacuation drills of buildings of four floors or fewer aim at about two minutes.",
    )
    safety_principal_id = fields.Many2one(
        "hr.employee",
        string="Principal",
        help="First person responsible for safety at the school (第一责任人).",
    )
    safety_officer_id = fields.Many2one(
        "hr.employee",
        help="Deputy principal or head of the safety office running safety day to day.",
    )
    safety_latitude = fields.Float(string="Latitude", digits=(10, 7))
    safety_longitude = fields.Float(string="Longitude", digits=(10, 7))
    safety_guards_contracted = fields.Integer(
        string="Contracted Guards",
        help="Guards provided by a security company, not recorded as employees.",
    )
    safety_guards_employed = fields.Integer(
        string="Guards Employed",
        compute="_compute_safety_guards_employed",
        help="Active employees of the school in the guard position plus contracted guards.",
    )
    safety_guards_required = fields.Integer(
        string="Guards Required",
        compute="_compute_safety_guards_required",
        store=True,
        help="Minimum guards by the configured rule (GB/T 29315-2022 by default), "
        "from the non-boarding enrollment.",
    )
    safety_guard_shortfall = fields.Integer(
        string="Guard Shortfall",
        compute="_compute_safety_guards_employed",
        search="_search_safety_guard_shortfall",
    )

    _sql_constraints = [
        (
            "safety_enrollment_positive",
            "CHECK(safety_enrollment_day >= 0 AND safety_enrollment_boarding >= 0 "
            "AND safety_guards_contracted >= 0 AND safety_building_floors >= 0)",
            "Enrollment, floors and guard numbers cannot be negative.",
        ),
        (
            "safety_guard_rule_valid",
            "CHECK(safety_guard_rule_small_max > 0 AND safety_guard_rule_step > 0 "
            "AND safety_guard_rule_medium_max > safety_guard_rule_small_max)",
            "The guard rule needs positive numbers, and the one-guard threshold must be "
            "below the three-guard threshold.",
        ),
        (
            "safety_position_valid",
            "CHECK(safety_latitude BETWEEN -90 AND 90 AND safety_longitude BETWEEN -180 AND 180)",
            "A school's position is impossible: latitude must lie between -90 and 90, longitude "
            "between -180 and 180.",
        ),
        (
            "safety_school_or_bureau",
            "CHECK(safety_school_type IS NULL OR safety_is_bureau IS NOT TRUE)",
            "A company cannot be both a school and an education bureau.",
        ),
    ]

    @api.depends("safety_school_type")
    def _compute_safety_is_school(self):
        for company in self:
            company.safety_is_school = bool(company.safety_school_type)

    @api.depends("parent_id", "parent_id.safety_is_bureau", "parent_id.safety_bureau_id")
    def _compute_safety_bureau_id(self):
        for company in self:
            parent = company.parent_id
            company.safety_bureau_id = (
                parent if parent.safety_is_bureau else parent.safety_bureau_id
            )

    @api.depends("safety_enrollment_day", "safety_enrollment_boarding")
    def _compute_safety_enrollment_total(self):
        for company in self:
            company.safety_enrollment_total = (
                company.safety_enrollment_day + company.safety_enrollment_boarding
            )
            company.safety_is_boarding = company.safety_enrollment_boarding > 0

    @api.depends(
        "safety_enrollment_day",
        "safety_school_type",
        "safety_bureau_id.safety_guard_rule_small_max",
        "safety_bureau_id.safety_guard_rule_medium_max",
        "safety_bureau_id.safety_guard_rule_step",
    )
    def _compute_safety_guards_required(self):
        for company in self:
            company.safety_guards_required = (
                (company.safety_bureau_id or company)._safety_guards_for(
                    company.safety_enrollment_day
                )
                if company.safety_school_type
                else 0
            )

    @api.depends("safety_guards_contracted", "safety_guards_required")
    def _compute_safety_guards_employed(self):
        counts = dict(
            self.env["hr.employee"]
            .sudo()
            ._read_group(
                [("company_id", "in", self.ids), ("safety_position", "=", "guard")],
                ["company_id"],
                ["__count"],
            )
        )
        for company in self:
            employed = counts.get(company._origin, 0) + company.safety_guards_contracted
            company.safety_guards_employed = employed
            company.safety_guard_shortfall = max(company.safety_guards_required - employed, 0)

    def _search_safety_guard_shortfall(self, operator, value):
        compare = SHORTFALL_OPERATORS.get(operator)
        if not compare:
            raise ValidationError(self.env._("Unsupported search on guard shortfall."))
        schools = self.search([("safety_is_school", "=", True)])
        matching = schools.filtered(lambda s: compare(s.safety_guard_shortfall, value or 0))
        return [("id", "in", matching.ids)]

    @api.constrains("safety_principal_id", "safety_officer_id")
    def _check_safety_people_company(self):
        for company in self:
            for employee in company.safety_principal_id | company.safety_officer_id:
                if employee.company_id and employee.company_id != company:
                    raise ValidationError(
                        self.env._(
                            "%(employee)s works at %(other)s, not at %(company)s.",
                            employee=employee.name,
                            other=employee.company_id.name,
                            company=company.name,
                        )
                    )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("safety_school_type"):
                vals.setdefault("safety_start_date", fields.Date.context_today(self))
        profiles = self._safety_school_profiles(vals_list)
        if profiles is not None:
            # A bureau manager registers schools under a bureau they belong to. Odoo keeps
            # company creation to administrators, so this one case runs as superuser, with the
            # fields of a school profile only (checked above) and no default from the client's
            # context (a default_partner_id would hand the new school an existing contact).
            privileged = self.with_env(self.env(context=clean_context(self.env.context), su=True))
            companies = super(ResCompany, privileged).create(profiles).sudo(False)
        else:
            companies = super().create(vals_list)
        schools = companies.filtered("safety_bureau_id")
        if schools:
            schools._safety_grant_bureau_users()
            # a school registered in the suite speaks its bureau's language (Chinese)
            for school in schools.sudo():
                lang = school.safety_bureau_id._safety_lang()
                if school.partner_id.lang != lang:
                    school.partner_id.lang = lang
                if not school.partner_id.tz:
                    school.partner_id.tz = school.safety_bureau_id._safety_tz()
        return companies

    def write(self, vals):
        self._safety_check_profile_write(vals)
        res = super().write(vals)
        if "parent_id" in vals or "safety_is_bureau" in vals:
            self.filtered("safety_bureau_id")._safety_grant_bureau_users()
        return res

    def _safety_check_profile_write(self, vals):
        """Bureau managers hold write access to their companies for the school profiles only:
        Odoo's own company settings stay with its administrators."""
        if self.env.su or self.env.user.has_group("base.group_erp_manager"):
            return
        allowed = set()
        if all(company.safety_is_school for company in self):
            allowed = SCHOOL_PROFILE_FIELDS
        elif all(company.safety_is_bureau for company in self):
            allowed = BUREAU_PROFILE_FIELDS
        wrong = set(vals) - allowed
        if wrong:
            raise AccessError(
                self.env._(
                    "Only Odoo administrators change %(fields)s of a school or a bureau.",
                    fields=self._safety_field_labels(wrong),
                )
            )

    @api.model
    def _safety_field_labels(self, names):
        return ", ".join(sorted(
            self._fields[name]._description_string(self.env) if name in self._fields else name for name in names
        ))

    @api.model
    def _safety_school_profiles(self, vals_list):
        """The schools a bureau manager (not an administrator) registers under a bureau of
        their own, with nothing but the fields of a school profile: the values to create them
        with. ``None`` when the caller is no such manager (the ordinary create applies).
        Any other field is refused outright."""
        if self.env.su or self.env.user.has_group("base.group_erp_manager"):
            return None
        if not self.env.user.has_group("school_safety.group_bureau_manager"):
            return None
        user_companies = self.env.user.company_ids
        profiles = []
        for vals in vals_list:
            # the form also sends the empty values of the other fields it shows (they set nothing)
            wrong = {
                name for name, value in vals.items()
                if name not in SCHOOL_CREATE_FIELDS and (value or name not in SCHOOL_CREATE_EMPTY_FIELDS)
            }
            if wrong:
                raise AccessError(
                    self.env._(
                        "A school is registered with its profile only, not with: %(fields)s.",
                        fields=self._safety_field_labels(wrong),
                    )
                )
            parent = self.browse(vals.get("parent_id")).exists()
            if (
                not vals.get("safety_school_type")
                or not parent
                or not parent.sudo().safety_is_bureau
                or parent not in user_companies
            ):
                raise AccessError(
                    self.env._("A bureau manager registers schools, under a bureau of their own.")
                )
            profiles.append({name: value for name, value in vals.items() if name in SCHOOL_CREATE_FIELDS})
        return profiles

    def _safety_grant_bureau_users(self):
        """Give the bureau's own users access to the schools it supervises.

        Bureau roles watch every school of their bureau: a new school is added to
        the allowed companies of every bureau user of its bureau.
        """
        bureau_groups = (
            self.env.ref("school_safety.group_bureau_inspector", raise_if_not_found=False)
            or self.env["res.groups"]
        ) | (
            self.env.ref("school_safety.group_bureau_finance", raise_if_not_found=False)
            or self.env["res.groups"]
        )
        if not bureau_groups:
            return
        users = self.env["res.users"].sudo().search(
            [
                ("groups_id", "in", bureau_groups.ids),
                ("company_ids", "in", self.safety_bureau_id.ids),
            ]
        )
        for bureau in self.safety_bureau_id:
            schools = self.filtered(lambda s, b=bureau: s.safety_bureau_id == b)
            bureau_users = users.filtered(lambda u, b=bureau: b in u.company_ids)
            if bureau_users:
                bureau_users.write({"company_ids": [Command.link(school.id) for school in schools]})

    def _safety_lang(self):
        """The language of this school's papers, public pages and messages to people without
        a language of their own: its contact's, else its bureau's, else Chinese when it is
        installed (the users are Chinese schools)."""
        self.ensure_one()
        installed = {code for code, _name in self.env["res.lang"].get_installed()}
        company = self.sudo()
        for lang in (company.partner_id.lang, company.safety_bureau_id.partner_id.lang):
            if lang in installed:
                return lang
        return "zh_CN" if "zh_CN" in installed else (self.env.lang or "en_US")

    def _safety_tz(self):
        """The school's time zone (its contact's, else its bureau's, else China's)."""
        self.ensure_one()
        company = self.sudo()
        return company.partner_id.tz or company.safety_bureau_id.partner_id.tz or "Asia/Shanghai"

    def _safety_guards_for(self, students):
        """Minimum guards for ``students`` non-boarding students by this bureau's rule.

        Default rule (GB/T 29315-2022): 1 under 100 students, 2 from 100,
        3 from 1,000 and one more for every further 500.
        """
        self.ensure_one()
        if students < self.safety_guard_rule_small_max:
            return 1
        if students < self.safety_guard_rule_medium_max:
            return 2
        return 3 + (students - self.safety_guard_rule_medium_max) // self.safety_guard_rule_step
