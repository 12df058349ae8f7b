"""A done drill or training is filed: no call, however crafted, rewrites, reopens or deletes it."""

from datetime import date

from odoo import Command
from odoo.tests import tagged

from odoo.addons.school_safety.tests.common_rpc import HOSTILE_CONTEXT, RpcCase

from .common import SafetyTrainingCase

DRILL = ["state", "evacuation_seconds", "date_actual", "student_count", "company_id", "assessment"]
TRAINING = ["state", "date", "hours", "external_count", "attendance_ids", "company_id", "certificate_ids"]


@tagged("post_install", "-at_install")
class TestDrillTrainingTrust(RpcCase, SafetyTrainingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.drill = cls._drill(problem_ids=[Command.create({
            "description": "Stairwell door locked", "location": "East stairs", "category": "building",
        })])
        cls.drill.action_done()
        cls.training = cls._training()
        cls.training.action_done()

    def test_done_drill_is_filed(self):
        drill, problem = self.drill, self.drill.problem_ids
        self.assertTrue(problem.hazard_id)
        snapshot = drill.read(DRILL)
        for login in ("t_officer_a", "t_principal_a"):
            with self.subTest(login=login):
                self.assertRefused(login, "safety.drill", "write", [drill.ids, {"state": "planned"}])
                self.assertRefused(login, "safety.drill", "write", [drill.ids, {"evacuation_seconds": 45}])
                self.assertRefused(login, "safety.drill", "write", [drill.ids, {"company_id": self.school_b.id}])
                self.assertRefused(login, "safety.drill", "action_reset", [drill.ids])
                self.assertRefused(login, "safety.drill", "action_cancel", [drill.ids])
                self.assertRefused(login, "safety.drill.problem", "write", [problem.ids, {"description": "fine"}])
                self.assertRefused(login, "safety.drill.problem", "write", [problem.ids, {"hazard_id": False}])
        self.assertRefused("t_officer_a", "safety.drill", "unlink", [drill.ids])
        self.assertRefused("t_officer_a", "safety.drill.problem", "unlink", [problem.ids])
        self.assertUnchanged(drill, snapshot)
        self.assertTrue(problem.exists() and problem.hazard_id)
        # nor is a drill born done
        self.assertRefused(
            "t_officer_a", "safety.drill", "create",
            [{"company_id": self.school_a.id, "drill_type": "fire", "date_planned": "2026-05-01", "state": "done"}],
        )
        drill_id = self.assertAllowed(
            "t_officer_a", "safety.drill", "create",
            [{"company_id": self.school_a.id, "drill_type": "fire", "date_planned": "2026-05-01"}],
            context=dict(HOSTILE_CONTEXT, default_state="done"),
        )
        self.assertEqual(self.env["safety.drill"].browse(drill_id).state, "planned")

    def test_done_training_is_filed(self):
        training = self.training
        snapshot = training.read(TRAINING)
        for login in ("t_officer_a", "t_principal_a"):
            with self.subTest(login=login):
                self.assertRefused(login, "safety.training", "write", [training.ids, {"state": "draft"}])
                self.assertRefused(login, "safety.training", "write", [training.ids, {"date": "2020-03-01"}])
                self.assertRefused(login, "safety.training", "write", [training.ids, {"external_count": 250}])
                self.assertRefused(
                    login, "safety.training", "write", [training.ids, {"attendance_ids": [Command.clear()]}]
                )
                self.assertRefused(login, "safety.training", "write", [training.ids, {"company_id": self.school_b.id}])
        self.assertRefused("t_officer_a", "safety.training", "unlink", [training.ids])
        self.assertUnchanged(training, snapshot)
        self.assertRefused(
            "t_officer_a", "safety.training", "create",
            [{"name": "Born done", "company_id": self.school_a.id, "date": str(date(2026, 3, 2)), "state": "done",
              "course_id": self._course().id}],
        )
        # marking done still needs an attendee, whatever the context says
        empty = self.assertAllowed(
            "t_officer_a", "safety.training", "create",
            [{"name": "Empty", "company_id": self.school_a.id, "course_id": self._course().id}],
        )
        self.assertRefused("t_officer_a", "safety.training", "action_done", [[empty]])
        self.assertEqual(self.env["safety.training"].browse(empty).state, "draft")
