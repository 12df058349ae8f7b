from datetime import date

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged, users
from odoo.tools import mute_logger

from .common import SafetyInspectionCase


@tagged("post_install", "-at_install")
class TestInspection(SafetyInspectionCase):
    """Carrying out an inspection: checks, score, hazards from failed checks."""

    def _answer(self, inspection, results):
        for line, result in zip(inspection.line_ids.sorted("sequence"), results, strict=True):
            line.result = result

    def test_lines_follow_checklist_and_boarding(self):
        day_school = self._inspection(self.school_a)
        boarding_school = self._inspection(self.school_b)
        self.assertEqual(len(day_school.line_ids), 3, "dormitory item skipped at a day school")
        self.assertEqual(len(boarding_school.line_ids), 4)
        self.assertIn("dormitory", boarding_school.line_ids.mapped("category"))
        self.assertTrue(day_school.name.startswith("JC"))

    @users("t_inspector")
    def test_score_weighted_and_failed_items_create_hazards(self):
        inspection = self._inspection().with_env(self.env)
        self.assertEqual(inspection.state, "planned")
        fire, electricity, canteen = inspection.line_ids.sorted("sequence")
        fire.result = "pass"
        self.assertEqual(inspection.state, "in_progress", "the first answer starts the inspection")
        electricity.write({"result": "fail", "note": "Box 3 open", "location": "Gym"})
        canteen.result = "na"
        # weights: fire 4 passed, electricity 3 failed, canteen not applicable
        self.assertAlmostEqual(inspection.score, 100 * 4 / 7, places=1)
        self.assertEqual(inspection.result, "fail")
        self.assertFalse(inspection.critical_failed)
        inspection.action_done()
        self.assertEqual(inspection.state, "done")
        hazard = inspection.hazard_ids
        self.assertEqual(len(hazard), 1)
        self.assertEqual(electricity.hazard_id, hazard)
        self.assertRecordValues(hazard, [{
            "company_id": self.school_a.id,
            "source": "inspection",
            "category": "electricity",
            "level": "general",
            "location": "Gym",
            "state": "registered",
            # found the day the inspection was carried out, not the day it was planned for
            "found_date": fields.Date.context_today(inspection),
            "found_by_id": self.user_inspector.id,
        }])
        self.assertEqual(inspection.date_done, fields.Date.context_today(inspection))
        self.assertEqual(inspection.date, date(2026, 6, 1))
        self.assertEqual(hazard.source_ref, electricity)
        self.assertIn("Box 3 open", hazard.description)
        self.assertEqual(inspection.hazard_count, 1)
        # a completed inspection is frozen
        with self.assertRaises(UserError):
            canteen.result = "pass"
        with self.assertRaises(UserError):
            canteen.unlink()
        self.assertEqual(canteen.result, "na")

    def test_failed_critical_item_fails_whatever_the_score(self):
        inspection = self._inspection()
        fire = inspection.line_ids.sorted("sequence")[0]
        fire.write({"result": "fail", "photo_ids": [Command.set(self._photo().ids)]})
        inspection.line_ids[1:].result = "pass"
        self.assertAlmostEqual(inspection.score, 60.0)
        self.assertTrue(inspection.critical_failed)
        self.assertEqual(inspection.result, "fail")
        inspection.action_done()
        self.assertEqual(inspection.hazard_ids.level, "major", "severity of the item")
        self.assertEqual(inspection.hazard_ids.photo_before_ids, fire.photo_ids)
        self.assertEqual(inspection.hazard_ids.rule_violated, "Fire law art. 28")

    def test_pass_above_threshold(self):
        inspection = self._inspection()
        inspection.line_ids.result = "pass"
        self.assertEqual(inspection.score, 100.0)
        self.assertEqual(inspection.result, "pass")
        inspection.action_done()
        self.assertFalse(inspection.hazard_ids)

    def test_bad_input_on_completion(self):
        inspection = self._inspection()
        inspection.action_start()
        lines = inspection.line_ids.sorted("sequence")
        lines[1:].result = "pass"
        with self.assertRaisesRegex(UserError, "no result"):
            inspection.action_done()
        lines[0].result = "fail"
        with self.assertRaisesRegex(UserError, "needs a photo"):
            inspection.action_done()
        self.assertEqual(inspection.state, "in_progress")
        self.assertFalse(self.env["safety.hazard"].search([("inspection_id", "=", inspection.id)]))
        # no skipping: a planned inspection cannot be completed, state is not writable
        planned = self._inspection()
        planned.action_cancel()
        with self.assertRaisesRegex(UserError, "cannot go to that status"):
            planned.action_done()
        planned.action_reset()
        with self.assertRaisesRegex(UserError, "buttons"):
            planned.with_user(self.user_officer_a).write({"state": "done"})
        self.assertEqual(planned.state, "planned")

    def test_reinspection_starts_with_open_hazards(self):
        inspection = self._inspection()
        lines = inspection.line_ids.sorted("sequence")
        lines[0].write({"result": "fail", "photo_ids": [Command.set(self._photo().ids)]})
        lines[1].result = "fail"
        lines[2].result = "pass"
        inspection.action_done()
        self.assertEqual(len(inspection.hazard_ids), 2)
        action = inspection.action_reinspect()
        follow_up = self.env["safety.inspection"].browse(action["res_id"])
        rechecks = follow_up.line_ids.filtered("recheck_hazard_id")
        self.assertEqual(rechecks.recheck_hazard_id, inspection.hazard_ids)
        self.assertEqual(len(follow_up.line_ids), 3 + 2)
        # re-checks do not count in the score nor create new hazards
        follow_up.line_ids.result = "fail"
        (follow_up.line_ids - rechecks).filtered(lambda line: line.photo_required).photo_ids = self._photo()
        follow_up.action_done()
        self.assertEqual(len(follow_up.hazard_ids), 3)

    def test_special_inspection_form(self):
        with Form(self.env["safety.inspection"].with_user(self.user_inspector)) as form:
            form.company_id = self.school_b
            form.inspection_type = "special"
            form.special_kind = "exam"
            form.template_id = self.template
        inspection = form.record
        self.assertEqual(len(inspection.line_ids), 4)
        self.assertEqual(inspection.inspector_ids, self.user_inspector)

    @freeze_time("2026-05-20")
    def test_plans_generated_ahead_and_idempotent(self):
        Inspection = self.env["safety.inspection"]
        self.school_a.safety_officer_id = self.employee_officer_a
        created = Inspection._cron_generate_plans()
        mine = created.filtered(lambda i: i.company_id in (self.school_a | self.school_b))
        self.assertEqual(len(mine), 4)
        quarterly = mine.filtered(lambda i: i.inspection_type == "bureau_quarterly")
        monthly = mine.filtered(lambda i: i.inspection_type == "self_monthly")
        self.assertEqual(set(quarterly.mapped("period_key")), {"2026-Q3"})
        self.assertEqual(set(quarterly.mapped("date")), {date(2026, 7, 1)})
        self.assertEqual(set(monthly.mapped("period_key")), {"2026-06"})
        self.assertEqual(
            monthly.filtered(lambda i: i.company_id == self.school_a).inspector_ids, self.user_officer_a
        )
        again = Inspection._cron_generate_plans()
        self.assertFalse(again & mine)
        self.assertFalse(again.filtered(lambda i: i.company_id in (self.school_a | self.school_b)))
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            Inspection.create({
                "company_id": self.school_a.id, "inspection_type": "self_monthly",
                "period_key": "2026-06", "template_id": self.template.id,
            })

    def test_template_bad_input(self):
        with self.assertRaises(ValidationError):
            self.template.item_ids[0].weight = 0
        with self.assertRaises(ValidationError):
            self.template.pass_score = 120
        self.assertEqual(self.template.pass_score, 80)


@tagged("post_install", "-at_install")
class TestInspectionSecurity(SafetyInspectionCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.inspection_a = cls._inspection(cls.school_a)
        cls.inspection_b = cls._inspection(cls.school_b)

    @users("t_officer_a")
    def test_officer_runs_own_school_only(self):
        Inspection = self.env["safety.inspection"]
        self.assertEqual(Inspection.search([("id", "in", (self.inspection_a | self.inspection_b).ids)]),
                         self.inspection_a)
        mine = Inspection.create({
            "company_id": self.school_a.id, "inspection_type": "self_monthly",
            "template_id": self.template.id,
        })
        mine.line_ids.result = "pass"
        mine.action_done()
        self.assertEqual(mine.result, "pass")
        with self.assertRaises(AccessError):
            self.inspection_b.with_env(self.env).read(["name"])
        with self.assertRaises(AccessError):
            Inspection.create({
                "company_id": self.school_b.id, "inspection_type": "special",
                "template_id": self.template.id,
            })
        with self.assertRaises(AccessError):
            mine.unlink()

    @users("t_principal_b")
    def test_other_school_sees_nothing(self):
        self.assertFalse(self.env["safety.inspection"].search([("company_id", "=", self.school_a.id)]))
        self.assertFalse(self.env["safety.inspection.line"].search([("company_id", "=", self.school_a.id)]))

    @users("t_inspector", "t_manager")
    def test_bureau_sees_all(self):
        found = self.env["safety.inspection"].search([("id", "in", (self.inspection_a | self.inspection_b).ids)])
        self.assertEqual(found, self.inspection_a | self.inspection_b)

    @users("t_staff_a", "t_guard_a")
    def test_staff_read_only(self):
        inspection = self.inspection_a.with_env(self.env)
        self.assertTrue(inspection.name)
        with self.assertRaises(AccessError):
            inspection.line_ids[0].result = "pass"
        with self.assertRaises(AccessError):
            self.env["safety.inspection"].create({
                "company_id": self.school_a.id, "template_id": self.template.id,
            })

    @users("t_officer_a")
    def test_templates_configured_by_bureau_only(self):
        template = self.template.with_env(self.env)
        self.assertTrue(template.item_ids)
        with self.assertRaises(AccessError):
            template.name = "Mine"
        with self.assertRaises(AccessError):
            self.env["safety.inspection.template"].create({"name": "Mine"})

    def test_default_checklist_shipped(self):
        template = self.env.ref("safety_inspection.safety_inspection_template_school")
        self.assertGreaterEqual(len(template.item_ids), 40)
        areas = set(template.item_ids.mapped("category"))
        self.assertEqual(
            areas,
            {"fire", "electricity", "gas", "chemicals", "canteen", "building", "traffic", "gate",
             "surveillance", "dormitory", "surroundings", "drowning", "epidemic"},
        )
        self.assertTrue(all(template.item_ids.filtered(lambda i: i.category == "dormitory").mapped("boarding_only")))
