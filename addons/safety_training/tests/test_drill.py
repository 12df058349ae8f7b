from datetime import date, datetime
from unittest.mock import patch

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from odoo.addons.safety_inspection.models.safety_hazard import SafetyHazard

from .common import SafetyTrainingCase


@tagged("post_install", "-at_install")
@freeze_time("2026-05-12 09:00:00")
class TestDrill(SafetyTrainingCase):
    """A drill from plan to record, every refusal, and its problems in the hazard ledger."""

    def _hazards_of(self, drill):
        return self.env["safety.hazard"].search([("source_ref", "=", f"safety.drill,{drill.id}")])

    def test_done_turns_problems_into_hazards_in_one_batch(self):
        drill = self._drill(problem_ids=[
            Command.create({"description": "Stairs blocked by sports gear", "location": "East stairs, 3F",
                            "category": "building", "level": "general"}),
            Command.create({"description": "Alarm not heard in the gym", "location": "Gym",
                            "category": "surveillance", "level": "major"}),
        ])
        self.assertTrue(drill.name.startswith("YL2026-"))
        self.assertEqual(drill.state, "planned")
        with patch.object(SafetyHazard, "create", autospec=True, side_effect=SafetyHazard.create) as create:
            drill.with_user(self.user_officer_a).action_done()
        self.assertEqual(create.call_count, 1, "all the hazards of a drill are created in one batch")
        self.assertEqual(drill.state, "done")
        hazards = self._hazards_of(drill)
        self.assertEqual(len(hazards), 2)
        self.assertEqual(drill.problem_ids.hazard_id, hazards)
        self.assertEqual(drill.hazard_count, 2)
        for problem in drill.problem_ids:
            hazard = problem.hazard_id
            self.assertEqual(hazard.source, "drill")
            self.assertEqual(hazard.source_ref, drill)
            self.assertEqual(hazard.drill_id, drill, "the drill's own link on the hazard")
            self.assertEqual(hazard.company_id, self.school_a)
            self.assertEqual(hazard.state, "registered")
            self.assertEqual(hazard.location, problem.location)
            self.assertEqual(hazard.category, problem.category)
            self.assertEqual(hazard.level, problem.level)
            self.assertEqual(hazard.description, problem.description)
            self.assertEqual(hazard.found_date, date(2026, 5, 10))
            self.assertEqual(hazard.found_by_id, self.user_officer_a)
        self.assertIn(hazards[0], self.env["safety.hazard"].search([("source", "=", "drill")]))
        action = drill.action_view_hazards()
        self.assertEqual(self.env["safety.hazard"].search(action["domain"]), hazards)

    def test_done_without_problems_creates_no_hazard(self):
        drill = self._drill()
        drill.action_done()
        self.assertEqual(drill.state, "done")
        self.assertFalse(self._hazards_of(drill))

    def _assert_refused(self, drill, exception, message):
        with self.assertRaisesRegex(exception, message):
            drill.action_done()
        self.assertEqual(drill.state, "planned", "a refused drill changes nothing")
        self.assertFalse(drill.problem_ids.hazard_id)
        self.assertFalse(self._hazards_of(drill))

    def test_refuses_future_date(self):
        problem = {"description": "x", "location": "y", "category": "fire"}
        drill = self._drill(date_actual=datetime(2026, 5, 12, 10, 0), problem_ids=[Command.create(problem)])
        self._assert_refused(drill, ValidationError, "in the future")

    def test_refuses_date_far_before_plan(self):
        drill = self._drill(date_planned=date(2026, 9, 1), date_actual=datetime(2026, 5, 1, 8, 0))
        self._assert_refused(drill, ValidationError, "before its planned date")

    def test_refuses_missing_actual_date(self):
        self._assert_refused(self._drill(date_actual=False), UserError, "date and time")

    def test_refuses_missing_commander(self):
        self._assert_refused(self._drill(commander_id=False), UserError, "commander")

    def test_refuses_real_drill_without_evacuation_time(self):
        self._assert_refused(self._drill(evacuation_seconds=0), ValidationError, "evacuation time")

    def test_refuses_real_drill_without_participants(self):
        self._assert_refused(self._drill(student_count=0, staff_count=0), ValidationError, "participant")

    def test_tabletop_needs_no_evacuation(self):
        drill = self._drill(mode="tabletop", evacuation_seconds=0, student_count=0, staff_count=8)
        drill.action_done()
        self.assertEqual(drill.state, "done")
        self.assertFalse(drill.evacuation_ok)

    def test_refuses_done_twice_and_cancelled(self):
        drill = self._drill()
        drill.action_done()
        with self.assertRaisesRegex(UserError, "already done"):
            drill.action_done()
        with self.assertRaises(UserError):
            drill.action_cancel()
        cancelled = self._drill()
        cancelled.action_cancel()
        self.assertEqual(cancelled.state, "cancel")
        with self.assertRaisesRegex(UserError, "cancelled"):
            cancelled.action_done()
        cancelled.action_reset()
        cancelled.action_done()
        self.assertEqual(cancelled.state, "done")

    def test_done_drill_is_locked(self):
        drill = self._drill(problem_ids=[Command.create({"description": "x", "location": "y", "category": "fire"})])
        drill.action_done()
        with self.assertRaisesRegex(UserError, "can no longer change"):
            drill.evacuation_seconds = 90
        with self.assertRaisesRegex(UserError, "can no longer change"):
            drill.with_user(self.user_principal_a).write({"assessment": "Better"})
        with self.assertRaisesRegex(UserError, "can no longer change"):
            drill.problem_ids.description = "changed"
        with self.assertRaisesRegex(UserError, "can no longer change"):
            self.env["safety.drill.problem"].create({
                "drill_id": drill.id, "description": "late", "location": "z", "category": "other",
            })
        with self.assertRaisesRegex(UserError, "can no longer change"):
            drill.problem_ids.unlink()
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            drill.unlink()
        with self.assertRaisesRegex(UserError, "can no longer change"):
            drill.with_user(self.user_officer_a).state = "planned"
        with self.assertRaisesRegex(UserError, "can no longer change"):
            drill.state = "planned"  # not even the server's own code reopens a filed drill
        self.assertEqual(drill.evacuation_seconds, 110)
        # the chatter stays open
        drill.message_post(body="Filed")
        drill.message_subscribe(partner_ids=self.user_principal_a.partner_id.ids)

    def test_new_drill_is_always_planned(self):
        with self.assertRaises(UserError):
            self._drill(state="done")

    def test_negative_numbers_refused_by_the_database(self):
        for field in ("student_count", "staff_count", "evacuation_seconds"):
            with self.subTest(field=field), mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), \
                    self.cr.savepoint():
                self._drill(**{field: -1})

    def test_evacuation_target_by_floors(self):
        self.env["ir.config_parameter"].set_param("safety_training.evacuation_target_tall_seconds", "200")
        self.school_a.safety_building_floors = 4
        self.school_b.safety_building_floors = 6
        low = self._drill(evacuation_seconds=119)
        tall = self._drill(self.school_b, evacuation_seconds=190)
        self.assertEqual(low.evacuation_target_seconds, 120)
        self.assertTrue(low.evacuation_ok)
        self.assertEqual(tall.evacuation_target_seconds, 200)
        self.assertTrue(tall.evacuation_ok)
        low.evacuation_seconds = 125
        self.assertFalse(low.evacuation_ok)

    def test_commander_of_the_school_only(self):
        with self.assertRaises(UserError):
            self._drill(commander_id=self.employee_guard_b.id)

    def test_form(self):
        form = Form(self.env["safety.drill"].with_user(self.user_officer_a))
        form.drill_type = "earthquake"
        form.date_planned = date(2026, 6, 1)
        form.commander_id = self.employee_officer_a
        form.evacuation_seconds = 100
        drill = form.save()
        self.assertEqual(drill.company_id, self.school_a)
        self.assertTrue(drill.evacuation_ok)
