from odoo import fields, models


class MailActivity(models.Model):
    """A training reminder names its course: the daily job tells each person once per
    employee and course (``safety.training.compliance._cron_remind``)."""

    _inherit = "mail.activity"

    safety_training_course_id = fields.Many2one(
        "safety.training.course", string="Training Course", index="btree_not_null", ondelete="cascade",
        readonly=True,
    )
