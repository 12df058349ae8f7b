from psycopg2 import IntegrityError

from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import SchoolSafetyCase


@tagged("post_install", "-at_install")
class TestGuardRule(SchoolSafetyCase):
    def _required(self, students):
        self.school_a.safety_enrollment_day = students
        return self.school_a.safety_guards_required

    def test_default_rule_boundaries(self):
        """GB/T 29315-2022: 1 under 100, 2 from 100, 3 from 1,000, +1 per further 500."""
        expected = {
            0: 1, 1: 1, 99: 1,
            100: 2, 101: 2, 999: 2,
            1000: 3, 1499: 3,
            1500: 4, 1999: 4,
            2000: 5, 2499: 5, 2500: 6,
        }
        for students, guards in expected.items():
            with self.subTest(students=students):
                self.assertEqual(self._required(students), guards)

    def test_boarding_students_do_not_count(self):
        self.school_a.write({"safety_enrollment_day": 99, "safety_enrollment_boarding": 5000})
        self.assertEqual(self.school_a.safety_guards_required, 1)
        self.assertEqual(self.school_a.safety_enrollment_total, 5099)
        self.assertTrue(self.school_a.safety_is_boarding)

    def test_bureau_rule_is_configurable(self):
        self.school_a.safety_enrollment_day = 1400
        self.assertEqual(self.school_a.safety_guards_required, 3)
        self.bureau.write({
            "safety_guard_rule_small_max": 50,
            "safety_guard_rule_medium_max": 800,
            "safety_guard_rule_step": 300,
        })
        # 1400 students: 3 + (1400 - 800) // 300 = 5, recomputed without touching the school
        self.assertEqual(self.school_a.safety_guards_required, 5)
        self.assertEqual(self._required(49), 1)
        self.assertEqual(self._required(50), 2)
        self.assertEqual(self._required(799), 2)
        self.assertEqual(self._required(800), 3)

    def test_bad_rule_is_refused(self):
        for values in (
            {"safety_guard_rule_medium_max": 100},
            {"safety_guard_rule_small_max": 0},
            {"safety_guard_rule_step": 0},
        ):
            with self.subTest(values=values), mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), \
                    self.cr.savepoint():
                self.bureau.write(values)
                self.bureau.flush_recordset()
        self.assertEqual(self.bureau.safety_guard_rule_medium_max, 1000)

    def test_shortfall_counts_guard_employees_and_contracted(self):
        # school A: 850 day students -> 2 guards required; one guard employee
        self.assertEqual(self.school_a.safety_guards_required, 2)
        self.assertEqual(self.school_a.safety_guards_employed, 1)
        self.assertEqual(self.school_a.safety_guard_shortfall, 1)
        short = self.env["res.company"].search([("safety_guard_shortfall", ">", 0)])
        self.assertIn(self.school_a, short)
        self.school_a.safety_guards_contracted = 1
        self.assertEqual(self.school_a.safety_guard_shortfall, 0)
        short = self.env["res.company"].search([("safety_guard_shortfall", ">", 0)])
        self.assertNotIn(self.school_a, short)
        # an archived guard no longer counts
        self.employee_guard_a.action_archive()
        self.school_a.invalidate_recordset(["safety_guards_employed"])
        self.assertEqual(self.school_a.safety_guards_employed, 1)

    def test_negative_and_impossible_values_are_refused(self):
        """By the database where it can hold the rule, else by the model."""
        refused = [
            (self.school_a, {"safety_enrollment_day": -1}),
            (self.school_a, {"safety_building_floors": -2}),
            (self.school_a, {"safety_latitude": 91}),
            (self.school_a, {"safety_longitude": -181}),
            (self.bureau, {"safety_school_type": "primary"}),
            (self.school_a, {"safety_is_bureau": True}),
        ]
        for company, vals in refused:
            with self.subTest(vals=vals), mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), \
                    self.cr.savepoint():
                company.write(vals)
                company.flush_recordset()
        with self.assertRaises(ValidationError):
            self.school_a.safety_principal_id = self.employee_principal_b

    def test_school_form_as_bureau_manager(self):
        """The bureau manager registers a school in the school form."""
        env = self.env(user=self.user_manager)
        view = env.ref("school_safety.res_company_view_form_school")
        with Form(env["res.company"].with_context(default_safety_school_type="primary"), view=view) as form:
            form.name = "New Kindergarten"
            form.parent_id = self.bureau.with_env(env)
            form.safety_school_type = "kindergarten"
            form.safety_enrollment_day = 120
            self.assertEqual(form.safety_guards_required, 2)
        school = form.record
        self.assertEqual(school.safety_bureau_id, self.bureau)
        self.assertEqual(school.safety_guards_required, 2)
        # every bureau user gets the new school in their allowed companies
        for user in (self.user_manager, self.user_inspector, self.user_finance):
            self.assertIn(school, user.company_ids)
        self.assertNotIn(school, self.user_principal_a.company_ids)
