from datetime import date

from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestTrainingMigration(TransactionCase):
    """18.0.1.1 -> 18.0.1.2: the sessions' topics become courses, their attendees attendance,
    and the done sessions give the certificates the fire-safety follow-up now reads from."""

    def test_topics_and_attendees_migrate(self):
        cr = self.env.cr
        company = self.env["res.company"].create({"name": "Migrated School", "safety_school_type": "primary"})
        employees = self.env["hr.employee"].create([
            {"name": f"Old Teacher {i}", "company_id": company.id, "safety_position": "teacher"} for i in range(3)
        ])
        Training = self.env["safety.training"]
        fire, other = Training.create([
            {"name": "Old fire training", "company_id": company.id, "course_id": self.env.ref(
                "safety_training.course_other").id, "date": date(2026, 3, 1)},
            {"name": "Old bus training", "company_id": company.id, "course_id": self.env.ref(
                "safety_training.course_other").id, "date": date(2026, 4, 1)},
        ])
        self.env.flush_all()
        # the 18.0.1.1 shape: a topic column, an attendee table, no course, no attendance
        cr.execute("ALTER TABLE safety_training ADD COLUMN topic varchar")
        cr.execute("ALTER TABLE safety_training ALTER COLUMN course_id DROP NOT NULL")
        cr.execute("CREATE TABLE safety_training_hr_employee_rel (training_id integer, employee_id integer)")
        cr.execute("UPDATE safety_training SET topic = 'fire_safety', course_id = NULL, state = 'done' WHERE id = %s",
                   (fire.id,))
        cr.execute("UPDATE safety_training SET topic = 'traffic', course_id = NULL WHERE id = %s", (other.id,))
        cr.executemany("INSERT INTO safety_training_hr_employee_rel VALUES (%s, %s)",
                       [(fire.id, e.id) for e in employees] + [(other.id, employees[0].id)])
        self.env.invalidate_all()
        migrated = Training._safety_migrate_topics_and_attendees()
        self.assertEqual(migrated, fire | other)
        self.assertEqual(fire.course_id, self.env.ref("safety_training.course_fire_safety"))
        self.assertEqual(other.course_id, self.env.ref("safety_training.course_traffic"))
        self.assertEqual(fire.attendance_ids.employee_id, employees)
        self.assertEqual(set(fire.attendance_ids.mapped("status")), {"present"})
        self.assertEqual(fire.date_end, date(2026, 3, 1))
        self.assertEqual(fire.certificate_ids.employee_id, employees, "a done session gives its certificates")
        self.assertEqual(set(fire.certificate_ids.mapped("expiry_date")), {date(2027, 3, 1)})
        self.assertFalse(other.certificate_ids, "a draft session gives none yet")
        rows = self.env["safety.training.compliance"].search([
            ("employee_id", "in", employees.ids), ("course_id", "=", fire.course_id.id)])
        self.assertEqual(len(rows), 3)
        # run again (an update re-running the script): nothing doubles
        Training._safety_migrate_topics_and_attendees()
        self.assertEqual(len(fire.attendance_ids), 3)
        self.assertEqual(len(fire.certificate_ids), 3)

    def test_nothing_to_migrate_on_a_new_database(self):
        self.assertFalse(self.env["safety.training"]._safety_migrate_topics_and_attendees())
