from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestTrainingDemoData(TransactionCase):
    """The demo drills went through the real completion: the problem is in the ledger."""

    def setUp(self):
        super().setUp()
        if not self.env.ref("safety_training.drill_primary_fire_demo", raise_if_not_found=False):
            self.skipTest("database installed without demo data")

    def test_demo_drills_and_trainings(self):
        fire = self.env.ref("safety_training.drill_primary_fire_demo")
        self.assertEqual(fire.state, "done")
        hazard = fire.problem_ids.hazard_id
        self.assertEqual(len(hazard), 1)
        self.assertEqual((hazard.source, hazard.source_ref, hazard.company_id), ("drill", fire, fire.company_id))
        self.assertEqual(self.env.ref("safety_training.drill_primary_planned_demo").state, "planned")
        trainings = self.env.ref("safety_training.training_primary_fire_demo") | self.env.ref(
            "safety_training.training_junior_evacuation_demo"
        )
        self.assertEqual(set(trainings.mapped("state")), {"done"})
        rows = self.env["safety.drill.compliance"].search(
            [("company_id", "=", self.env.ref("school_safety.school_kindergarten_demo").id)]
        )
        self.assertTrue(rows)
        self.assertEqual(set(rows.mapped("period")), {"quarter"})
