from odoo import api, fields, models
from odoo.exceptions import ValidationError


class SafetyStudent(models.Model):
    """A student of one school. Students, their guardians (contacts of the school, with no
    account) and their letters belong to the school: another school never reads them, and a
    student moving to another school is archived here and registered there."""

    _name = "safety.student"
    _description = "Student"
    _inherit = ["safety.school.record"]
    _order = "company_id, class_name, name"

    name = fields.Char(string="Student Name", required=True, index="trigram")
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(domain="[('safety_is_school', '=', True)]")
    class_name = fields.Char(string="Class", required=True)
    class_teacher_id = fields.Many2one(
        "hr.employee",
        required=True,
        index=True,
        check_company=True,
        domain="[('safety_position', '=', 'class_teacher')]",
    )
    guardian_id = fields.Many2one(
        "res.partner",
        required=True,
        index=True,
        help="Parent or guardian who signs the school-family safety letter; "
        "no user account is needed.",
    )
    # the guardian's contact, kept by the school: staff who may write the student write these
    # three fields of it (and only these), even without the right to edit contacts in general
    guardian_name = fields.Char(compute="_compute_guardian", inverse="_inverse_guardian")
    guardian_phone = fields.Char(compute="_compute_guardian", inverse="_inverse_guardian")
    guardian_email = fields.Char(compute="_compute_guardian", inverse="_inverse_guardian")

    @api.depends("guardian_id.name", "guardian_id.phone", "guardian_id.email")
    def _compute_guardian(self):
        for student in self:
            guardian = student.guardian_id
            student.guardian_name = guardian.name
            student.guardian_phone = guardian.phone
            student.guardian_email = guardian.email

    def _inverse_guardian(self):
        self._safety_claim_guardians()
        for student in self:
            guardian = student.guardian_id.sudo()
            if not guardian:
                continue
            if guardian.user_ids or guardian.company_id != student.company_id:
                raise ValidationError(
                    self.env._(
                        "The contact %(guardian)s is not a guardian contact of %(school)s: edit it "
                        "as a contact.",
                        guardian=guardian.name, school=student.company_id.name,
                    )
                )
            guardian.write({
                "name": student.guardian_name or guardian.name,
                "phone": student.guardian_phone,
                "email": student.guardian_email,
            })

    @api.constrains("class_teacher_id", "company_id")
    def _check_class_teacher(self):
        for student in self:
            teacher = student.class_teacher_id
            if teacher.company_id != student.company_id:
                raise ValidationError(
                    self.env._(
                        "%(teacher)s does not work at %(school)s, so cannot be the class "
                        "teacher of %(student)s.",
                        teacher=teacher.name,
                        school=student.company_id.name,
                        student=student.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        # an import gives the guardian by name, phone and email: make the contact, a
        # contact of the student's school
        default_company = self.env.company.id
        new_guardians = [vals for vals in vals_list if not vals.get("guardian_id") and vals.get("guardian_name")]
        if new_guardians:
            self.check_access("create")
            # exactly these four fields, for a guardian without account: officers register
            # students without the right to create contacts in general
            Company = self.env["res.company"]
            partners = self.env["res.partner"].sudo().create([
                {
                    "name": vals.pop("guardian_name"),
                    "phone": vals.pop("guardian_phone", False),
                    "email": vals.pop("guardian_email", False),
                    "company_id": vals.get("company_id") or default_company,
                    # the guardian reads the school's language (the letter, its link, its emails)
                    "lang": Company.browse(vals.get("company_id") or default_company)._safety_lang(),
                }
                for vals in new_guardians
            ])
            for vals, partner in zip(new_guardians, partners, strict=True):
                vals["guardian_id"] = partner.id
        students = super().create(vals_list)
        students._safety_claim_guardians()
        self.env["safety.letter.campaign"]._safety_sync_schools(students.company_id)
        return students

    def _safety_claim_guardians(self):
        """A guardian's contact belongs to the student's school, so that only that school (and
        its bureau) reads the guardian's name, phone and email. A contact of a user account is
        left as it is (Odoo shows users' contacts to every user); a contact of another school
        is refused: the other school keeps its own."""
        # the contacts of companies (schools, bureaus) among the guardians, looked up at once
        company_partners = self.env["res.company"].sudo().search(
            [("partner_id", "in", self.guardian_id.ids)]
        ).partner_id
        for student in self:
            guardian = student.guardian_id.sudo()
            if guardian.user_ids or guardian.company_id == student.company_id:
                continue
            if guardian.company_id or guardian.is_company or guardian in company_partners:
                raise ValidationError(
                    self.env._(
                        "The guardian contact %(guardian)s belongs to another school: register the "
                        "guardian of %(student)s as a contact of %(school)s.",
                        guardian=guardian.name, student=student.name, school=student.company_id.name,
                    )
                )
            guardian.write({"company_id": student.company_id.id, "lang": student.company_id._safety_lang()})

    def write(self, vals):
        res = super().write(vals)
        if "guardian_id" in vals:
            self._safety_claim_guardians()
        if "active" in vals and not vals["active"]:
            self.env["safety.letter"]._safety_supersede_parties("student_id", self)
        elif {"class_teacher_id", "guardian_id", "company_id", "active"} & set(vals):
            self.env["safety.letter.campaign"]._safety_sync_schools(self.company_id)
        return res
