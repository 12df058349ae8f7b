from datetime import date

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged, users

from .common import SafetyTrainingCase


@tagged("post_install", "-at_install")
class TestTrainingSecurity(SafetyTrainingCase):
    """Who sees and changes which drills, drill problems and trainings.

    Safety officers: everything of their school. Principals: the same without deleting.
    Bureau inspectors and managers: read every school of their bureau. Staff, guards and
    bureau finance: nothing. No school sees another school's records.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.drill_a = cls._drill(problem_ids=[
            Command.create({"description": "Door locked", "location": "Gym", "category": "building"}),
        ])
        cls.drill_b = cls._drill(cls.school_b)
        cls.drill_k = cls._drill(cls.kindergarten)
        cls.drills = cls.drill_a | cls.drill_b | cls.drill_k
        cls.training_a = cls._training(attendees=cls.employee_staff_a)
        cls.training_b = cls._training(cls.school_b)
        cls.trainings = cls.training_a | cls.training_b

    def _visible(self, model, records):
        return self.env[model].search([("id", "in", records.ids)])

    def _new_drill_vals(self, company):
        return {
            "company_id": company.id, "drill_type": "flood", "date_planned": date(2026, 9, 1),
            "commander_id": self._commander(company).id,
        }

    @users("t_officer_a")
    def test_officer_full_access_to_own_school(self):
        self.assertEqual(self._visible("safety.drill", self.drills), self.drill_a)
        self.assertEqual(self._visible("safety.drill.problem", self.drills.problem_ids), self.drill_a.problem_ids)
        self.assertEqual(self._visible("safety.training", self.trainings), self.training_a)
        drill = self.env["safety.drill"].create(self._new_drill_vals(self.school_a))
        drill.write({"supplies": "Megaphones", "problem_ids": [
            Command.create({"description": "Exit sign off", "location": "Hall", "category": "fire"}),
        ]})
        drill.problem_ids.unlink()
        drill.unlink()
        self.drill_a.with_env(self.env).assessment = "Orderly"
        training = self.env["safety.training"].create({
            "name": "First aid", "course_id": self._course("first_aid").id, "company_id": self.school_a.id,
        })
        training.hours = 1.5
        training.unlink()

    @users("t_officer_a", "t_principal_a")
    def test_school_never_touches_another_school(self):
        for record in (self.drill_b, self.drill_k, self.training_b):
            with self.assertRaises(AccessError):
                record.with_env(self.env).read(["name"])
            with self.assertRaises(AccessError):
                record.with_env(self.env).write({"name": "x"})
        with self.assertRaises(AccessError):
            self.env["safety.drill"].create(dict(self._new_drill_vals(self.school_b)))
        with self.assertRaises(AccessError):
            self.env["safety.training"].create({
                "name": "x", "company_id": self.school_b.id, "course_id": self._course().id,
            })

    @users("t_principal_a")
    def test_principal_reads_and_writes_but_cannot_delete(self):
        self.assertEqual(self._visible("safety.drill", self.drills), self.drill_a)
        self.assertEqual(self._visible("safety.training", self.trainings), self.training_a)
        drill = self.drill_a.with_env(self.env)
        drill.write({"assessment": "Principal's note"})
        self.training_a.with_env(self.env).hours = 3
        with self.assertRaises(AccessError):
            drill.unlink()
        with self.assertRaises(AccessError):
            self.training_a.with_env(self.env).unlink()
        self.assertTrue(self.drill_a.exists() and self.training_a.exists())

    @users("t_principal_b")
    def test_school_b_sees_only_school_b(self):
        self.assertEqual(self._visible("safety.drill", self.drills), self.drill_b)
        self.assertEqual(self._visible("safety.training", self.trainings), self.training_b)
        self.assertFalse(self._visible("safety.drill.problem", self.drills.problem_ids))

    @users("t_staff_a", "t_guard_a", "t_finance")
    def test_no_access(self):
        for model, records in (("safety.drill", self.drill_a), ("safety.drill.problem", self.drill_a.problem_ids),
                               ("safety.training", self.training_a)):
            with self.assertRaises(AccessError):
                self.env[model].search([])
            with self.assertRaises(AccessError):
                records.with_env(self.env).read(["display_name"])
        with self.assertRaises(AccessError):
            self.env["safety.drill"].create(self._new_drill_vals(self.school_a))

    @users("t_inspector", "t_manager")
    def test_bureau_reads_every_school(self):
        self.assertEqual(self._visible("safety.drill", self.drills), self.drills)
        self.assertEqual(self._visible("safety.training", self.trainings), self.trainings)
        self.assertEqual(self._visible("safety.drill.problem", self.drills.problem_ids), self.drill_a.problem_ids)
        self.drill_b.with_env(self.env).read(["name", "evacuation_ok", "hazard_count"])
        with self.assertRaises(AccessError):
            self.drill_a.with_env(self.env).write({"assessment": "x"})
        with self.assertRaises(AccessError):
            self.training_a.with_env(self.env).write({"hours": 1})
        with self.assertRaises(AccessError):
            self.env["safety.drill"].create(self._new_drill_vals(self.school_a))
        with self.assertRaises(AccessError):
            self.drill_a.with_env(self.env).unlink()

    @users("t_officer_a")
    def test_officer_completes_drill_and_files_hazards(self):
        drill = self.drill_a.with_env(self.env)
        drill.action_done()
        hazard = drill.problem_ids.hazard_id
        self.assertEqual(hazard.company_id, self.school_a)
        self.assertEqual(hazard.source_ref, self.drill_a)
