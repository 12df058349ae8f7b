from odoo import api, fields, models
from odoo.exceptions import ValidationError


class SafetyStudent(models.Model):
    _name = "safety.student"
    _description = "Student"
    _order = "company_id, class_name, name"
    _check_company_auto = True

    name = fields.Char(string="Student Name", required=True, index="trigram")
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        string="School",
        required=True,
        index=True,
        default=lambda self: self.env.company,
        domain="[('safety_is_school', '=', True)]",
    )
    class_name = fields.Char(string="Class", required=True)
    class_teacher_id = fields.Many2one(
        "hr.employee",
        string="Class Teacher",
        required=True,
        index=True,
        check_company=True,
        domain="[('safety_position', '=', 'class_teacher')]",
    )
    guardian_id = fields.Many2one(
        "res.partner",
        string="Guardian",
        required=True,
        index=True,
        help="Parent or guardian who signs the school-family safety letter; "
        "no user account is needed.",
    )
    guardian_name = fields.Char(related="guardian_id.name", readonly=False, string="Guardian Name")
    guardian_phone = fields.Char(related="guardian_id.phone", readonly=False, string="Guardian Phone")
    guardian_email = fields.Char(related="guardian_id.email", readonly=False, string="Guardian Email")

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
        # an import gives the guardian by name, phone and email: make the contact
        new_guardians = [vals for vals in vals_list if not vals.get("guardian_id") and vals.get("guardian_name")]
        if new_guardians:
            partners = self.env["res.partner"].create([
                {
                    "name": vals.pop("guardian_name"),
                    "phone": vals.pop("guardian_phone", False),
                    "email": vals.pop("guardian_email", False),
                }
                for vals in new_guardians
            ])
            for vals, partner in zip(new_guardians, partners):
                vals["guardian_id"] = partner.id
        students = super().create(vals_list)
        self.env["safety.letter.campaign"]._safety_sync_schools(students.company_id)
        return students

    def write(self, vals):
        res = super().write(vals)
        if "active" in vals and not vals["active"]:
            self.env["safety.letter"]._safety_supersede_parties("student_id", self)
        elif {"class_teacher_id", "guardian_id", "company_id", "active"} & set(vals):
            self.env["safety.letter.campaign"]._safety_sync_schools(self.company_id)
        return res
