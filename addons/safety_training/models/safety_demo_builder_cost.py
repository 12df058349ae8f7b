from odoo import api, models

# What the term's drills and trainings cost, recorded by whoever prepares them (None: the
# school's officer has no demo login) before they are done
COSTS = {
    "drill_primary_fire_demo": ("officer", 800),
    "drill_primary_earthquake_demo": ("officer", 600),
    "drill_junior_earthquake_demo": ("principal2", 1200),
    "drill_junior_night_fire_demo": ("principal2", 900),
    "drill_kindergarten_tabletop_demo": (None, 300),
    "drill_senior_fire_demo": (None, 700),
    "training_primary_fire_demo": ("officer", 1500),
    "training_junior_evacuation_demo": ("principal2", 1000),
    "training_kindergarten_intrusion_demo": (None, 800),
    "training_senior_food_demo": (None, 900),
}


class SafetyDemoBuilder(models.AbstractModel):
    _inherit = "safety.demo.builder"

    @api.model
    def _safety_demo_training(self):
        """Each drill's and training's cost is recorded before it is done (done, it posts it)."""
        for xmlid, (login, cost) in COSTS.items():
            record = self.env.ref(f"safety_training.{xmlid}", raise_if_not_found=False)
            if record and record.state != "done":
                (self._safety_demo_step(record, login) if login else record).write({"safety_cost": cost})
        return super()._safety_demo_training()
