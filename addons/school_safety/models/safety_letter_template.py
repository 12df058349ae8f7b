from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import html_sanitize

LETTER_LEVELS = [
    ("bureau_principal", "Bureau - Principal"),
    ("principal_deputy", "Principal - Deputy"),
    ("deputy_middle", "Deputy - Middle Manager"),
    ("middle_staff", "Middle Manager - Staff"),
    ("class_teacher_guardian", "Class Teacher - Guardian"),
]

LETTER_LANGS = [("zh_CN", "Chinese"), ("en_US", "English")]

# Fields whose text goes into issued letters: they never change once used.
CLAUSE_FIELDS = ("title", "preamble", "goals", "duties", "accountability", "level", "lang")

PLACEHOLDERS = ("bureau", "school", "year", "party_a", "party_b", "student", "class")


class SafetyLetterTemplate(models.Model):
    _name = "safety.letter.template"
    _description = "Safety Responsibility Letter Template"
    _inherit = ["safety.evidence.mixin"]
    _order = "level, lang, version desc"
    _safety_create_fields = frozenset()

    name = fields.Char(required=True)
    active = fields.Boolean(default=True)
    level = fields.Selection(LETTER_LEVELS, required=True, index=True)
    lang = fields.Selection(LETTER_LANGS, string="Language", required=True, default="zh_CN")
    version = fields.Integer(default=1, required=True, readonly=True)
    previous_id = fields.Many2one("safety.letter.template", string="Previous Version", readonly=True)
    title = fields.Char(required=True, help="Heading of the letter; placeholders allowed.")
    preamble = fields.Html(
        help="Opening text naming the parties. Placeholders: {{bureau}}, {{school}}, {{year}}, "
        "{{party_a}}, {{party_b}}, {{student}}, {{class}}.",
    )
    goals = fields.Html()
    duties = fields.Html()
    accountability = fields.Html(
        help="Annual assessment, accountability for failure, warning talks and the one-vote veto.",
    )
    letter_count = fields.Integer(compute="_compute_letter_count", string="Letters")

    _sql_constraints = [
        (
            "level_lang_version_unique",
            "unique(level, lang, version)",
            "A template version exists only once per level and language.",
        ),
    ]

    def _compute_letter_count(self):
        counts = dict(
            self.env["safety.letter"]._read_group(
                [("template_id", "in", self.ids)], ["template_id"], ["__count"]
            )
        )
        for template in self:
            template.letter_count = counts.get(template, 0)

    def write(self, vals):
        if set(vals) & set(CLAUSE_FIELDS) and self._safety_is_used():
            raise UserError(
                self.env._(
                    "This template version is already in issued letters, whose text must "
                    "not change. Create a new version instead."
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_used(self):
        if self.env["safety.letter"].sudo().search_count([("template_id", "in", self.ids)], limit=1):
            raise UserError(self.env._("A template used by letters cannot be deleted; archive it."))

    def _safety_is_used(self):
        return bool(
            self.env["safety.letter"].sudo().search_count(
                [("template_id", "in", self.ids), ("state", "!=", "draft")], limit=1
            )
        )

    def action_new_version(self):
        """Copy this template as its next version and archive this one."""
        self.ensure_one()
        self.check_access("create")
        self.check_access("write")
        last = self.with_context(active_test=False).search(
            [("level", "=", self.level), ("lang", "=", self.lang)], order="version desc", limit=1
        )
        # the version number and its link are the step's to set
        new = self.sudo().copy({"version": last.version + 1, "previous_id": self.id, "name": self.name})
        self.write({"active": False})
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": new.id,
            "view_mode": "form",
        }

    def _safety_render(self, values):
        """Frozen HTML text of one letter: the clauses with placeholders replaced.

        ``values`` maps placeholder names to plain text; every value is escaped.
        """
        return self._safety_fill(self._safety_base_html(), values)

    def _safety_base_html(self):
        self.ensure_one()
        parts = [Markup("<h2>%s</h2>") % self.title]
        parts += [self[f] or Markup() for f in ("preamble", "goals", "duties", "accountability")]
        # sanitised once more: the issued text goes to public pages and to paper
        return html_sanitize(str(Markup("").join(parts)))

    @api.model
    def _safety_fill(self, html, values):
        for key in PLACEHOLDERS:
            html = html.replace(f"{{{{{key}}}}}", str(escape(values.get(key) or "")))
        return html
