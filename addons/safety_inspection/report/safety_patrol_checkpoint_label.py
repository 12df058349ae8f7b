from odoo import api, models


class SafetyPatrolCheckpointLabel(models.AbstractModel):
    """The label sheet: rendered only for safety officers and the bureau, whatever route
    (/report/pdf/..., the print menu, an RPC) asks for it."""

    _name = "report.safety_inspection.safety_patrol_checkpoint_label"
    _description = "Patrol Checkpoint Labels"

    @api.model
    def _get_report_values(self, docids, data=None):
        checkpoints = self.env["safety.patrol.checkpoint"].browse(docids)
        checkpoints._patrol_check_label_printer()
        return {"doc_ids": docids, "doc_model": "safety.patrol.checkpoint", "docs": checkpoints}
