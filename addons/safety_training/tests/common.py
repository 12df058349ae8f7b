from datetime import date, datetime

from odoo import Command

from odoo.addons.school_safety.tests.common import SchoolSafetyCase


class SafetyTrainingCase(SchoolSafetyCase):
    """The school world of school_safety plus helpers for drills and trainings.

    School A (primary, day school, low building) and school B (junior secondary,
    boarding) come from SchoolSafetyCase; a kindergarten of the same bureau is added.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.kindergarten = cls.env["res.company"].create({
            "name": "Test Kindergarten K",
            "parent_id": cls.bureau.id,
            "safety_school_type": "kindergarten",
            "safety_enrollment_day": 200,
        })
        # the schools keep their records in the suite since January
        (cls.school_a | cls.school_b | cls.kindergarten).safety_start_date = date(2026, 1, 1)
        cls.employee_commander_k = cls.env["hr.employee"].create({
            "name": "Deputy K", "company_id": cls.kindergarten.id, "safety_position": "deputy",
        })
        cls.staff_a = cls.employee_principal_a | cls.employee_officer_a | cls.employee_staff_a | cls.employee_guard_a

    @classmethod
    def _commander(cls, company):
        return {
            cls.school_a: cls.employee_officer_a,
            cls.school_b: cls.employee_principal_b,
            cls.kindergarten: cls.employee_commander_k,
        }[company]

    @classmethod
    def _drill(cls, company=None, **vals):
        company = company or cls.school_a
        return cls.env["safety.drill"].create(dict({
            "company_id": company.id,
            "drill_type": "fire",
            "mode": "real",
            "date_planned": date(2026, 5, 10),
            "date_actual": datetime(2026, 5, 10, 2, 0),
            "commander_id": cls._commander(company).id,
            "student_count": 600,
            "staff_count": 40,
            "evacuation_seconds": 110,
            "plan_suitable": True,
            "staff_in_position": True,
        }, **vals))

    @classmethod
    def _done_drill(cls, company, day, **vals):
        drill = cls._drill(company, date_planned=day, date_actual=datetime(day.year, day.month, day.day, 2, 0), **vals)
        drill.action_done()
        return drill

    @classmethod
    def _course(cls, key="fire_safety"):
        return cls.env.ref(f"safety_training.course_{key}")

    @classmethod
    def _training(cls, company=None, attendees=None, **vals):
        """A draft session of ``company`` (default: school A, fire safety) with ``attendees``
        present (default: the school's commander)."""
        company = company or cls.school_a
        if attendees is None:
            attendees = cls._commander(company) if company in (cls.school_a, cls.school_b, cls.kindergarten) \
                else cls.env["hr.employee"]
        return cls.env["safety.training"].create(dict({
            "name": "Fire extinguisher practice",
            "company_id": company.id,
            "course_id": cls._course().id,
            "date": date(2026, 3, 1),
            "trainer": "District fire brigade",
            "hours": 2,
            "attendance_ids": [Command.create({"employee_id": employee.id}) for employee in attendees],
        }, **vals))

    @classmethod
    def _certificate(cls, employee, course="fire_safety", issued=date(2026, 1, 10), **vals):
        """An outside certificate of ``employee``, valid for the course's validity from ``issued``."""
        return cls.env["safety.training.certificate"].create(dict({
            "employee_id": employee.id, "course_id": cls._course(course).id, "issue_date": issued,
            "issuer": "District fire brigade", "name": "EXT-1",
        }, **vals))

    def _compliance(self, employees=None, course=None):
        """{(employee, course key): state} of the compliance rows, as the report reads them."""
        domain = [("employee_id", "in", (employees or self.staff_a).ids)]
        if course:
            domain.append(("course_id", "=", self._course(course).id))
        codes = {self._course(key).id: key for key in (
            "fire_safety", "evacuation_guiding", "guard_duty", "food_safety", "health_certificate",
            "drowning_prevention", "first_aid", "lab_chemicals", "traffic")}
        return {
            (row.employee_id, codes.get(row.course_id.id, row.course_id.name)): row.state
            for row in self.env["safety.training.compliance"].search(domain)
        }
