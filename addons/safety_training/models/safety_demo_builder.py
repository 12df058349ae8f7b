import logging

from odoo import api, models

_logger = logging.getLogger(__name__)

# Held drills and given trainings, with the login of the school's safety officer who
# records them (None: that school's officer has no demo login; the server records it).
DRILLS_DONE = (
    ("drill_primary_fire_demo", "officer"),
    ("drill_junior_earthquake_demo", "principal2"),
    ("drill_kindergarten_tabletop_demo", None),
    ("drill_senior_fire_demo", None),
    ("drill_primary_earthquake_demo", "officer"),
    ("drill_junior_night_fire_demo", "principal2"),
)
# The fire drill's problem in the ledger: rectified before the next drill and closed.
DRILL_HAZARD = {
    "by": "officer", "days": 39, "owner": "officer", "rechecker": "principal", "deadline": 33,
    "measure": "将堆放的体育器材移至器材室，楼梯拐角张贴禁止堆放标识，纳入每日巡查。",
    "requirement": "疏散通道和楼梯拐角不得堆放任何物品。",
    "rectification": ("体育器材已移至器材室，东楼梯三楼拐角已清空并张贴禁止堆放标识。", 0),
    "until": "closed",
}


class SafetyDemoBuilder(models.AbstractModel):
    _inherit = "safety.demo.builder"

    @api.model
    def _safety_demo_training(self):
        """The term's drills and trainings completed by whoever records them (the year's
        training records: ``_safety_demo_training_records``); the problem the primary school's
        fire drill found goes to the ledger and is rectified and closed."""
        for xmlid, login in DRILLS_DONE:
            drill = self.env.ref(f"safety_training.{xmlid}")
            self._safety_demo_request()
            (self._safety_demo_step(drill, login) if login else drill).action_done()
        self._safety_demo_training_records()
        fire = self.env.ref("safety_training.drill_primary_fire_demo")
        hazard = fire.problem_ids.hazard_id
        self._safety_demo_hazard_flow(hazard, DRILL_HAZARD)
        self.env["ir.model.data"]._update_xmlids([{
            "xml_id": "safety_training.safety_hazard_drill_stairs_demo", "record": hazard, "noupdate": True,
        }])
        self._safety_demo_request()
        drills = self.env["safety.drill"].search([])
        _logger.info(
            "Demo drills and trainings: %d drills done, %d planned, %d trainings done, the fire "
            "drill's hazard %s",
            len(drills.filtered(lambda d: d.state == "done")),
            len(drills.filtered(lambda d: d.state == "planned")),
            self.env["safety.training"].search_count([("state", "=", "done")]), hazard.state,
        )
