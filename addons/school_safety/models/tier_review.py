from odoo import api, fields, models, tools
from odoo.exceptions import AccessError, UserError
from odoo.osv import expression


class TierReview(models.Model):
    """Reviews of the suite's records are evidence of who accepted what.

    OCA's ``base_tier_validation`` lets every internal user read and write every review. For
    the models that protect their reviews (``_safety_protect_reviews``), a review is readable
    only by who can read its record (like Odoo's activities), written only by the record's
    review steps (as the server, after their checks: the reviewer, the record's state and
    school) and never deleted: a review that no longer applies (the rectification was
    returned) is archived with what it decided.
    """

    _inherit = "tier.review"

    active = fields.Boolean(default=True, help="Archived reviews are kept with their decision.")

    @api.model
    @tools.ormcache()
    def _safety_protected_models(self):
        return tuple(
            name for name, model in self.env.registry.items()
            if getattr(model, "_safety_protect_reviews", False) and not model._abstract
        )

    def _safety_protected(self):
        protected = self._safety_protected_models()
        return self.filtered(lambda review: review.model in protected)

    @api.model
    def _safety_readable_domain(self):
        """Reviews of protected models whose record the current user can read."""
        protected = self._safety_protected_models()
        if not protected:
            return []
        parts = [[("model", "not in", list(protected))]]
        for name in protected:
            # a model the user may not read at all has no review they may read
            if self.env[name].has_access("read"):
                parts.append([("model", "=", name), ("res_id", "in", self.env[name]._search([]))])
        return expression.OR(parts)

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None):
        if not self.env.su:
            domain = expression.AND([domain or [], self._safety_readable_domain()])
        return super()._search(domain, offset=offset, limit=limit, order=order)

    def _check_access(self, operation):
        result = super()._check_access(operation)
        if self.env.su:
            return result
        reviews = self._safety_protected()
        if result:
            reviews -= result[0]
        if not reviews:
            return result
        if operation == "read":
            forbidden = self.browse()
            for name in set(reviews.mapped("model")):
                model_reviews = reviews.filtered(lambda review, n=name: review.model == n)
                records = self.env[name].browse(model_reviews.mapped("res_id"))
                readable = set(records._filtered_access("read").ids)
                forbidden |= model_reviews.filtered(lambda review, ids=readable: review.res_id not in ids)
        else:
            forbidden = reviews
        if not forbidden:
            return result
        if result:
            forbidden |= result[0]

        def make_error():
            return AccessError(
                self.env._(
                    "Reviews are read with their record and decided only through its review "
                    "buttons (%(operation)s refused).",
                    operation=operation,
                )
            )

        return forbidden, make_error

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            protected = self._safety_protected_models()
            if any(vals.get("model") in protected for vals in vals_list):
                raise AccessError(self.env._("Reviews are requested by their record's own steps."))
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su and self._safety_protected():
            raise AccessError(
                self.env._("A review is decided only by its reviewer, with the record's review buttons.")
            )
        if self._safety_protected().filtered(lambda review: review.status in ("approved", "rejected")) and (
            set(vals) & {"status", "done_by", "reviewed_date", "model", "res_id", "definition_id", "comment"}
        ):
            raise UserError(self.env._("A decided review is kept as it was decided."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_safety_evidence(self):
        if self._safety_protected():
            raise UserError(
                self.env._("Reviews are kept with what they decided: they cannot be deleted.")
            )

    def _safety_archive(self):
        """Withdraw reviews that no longer apply (kept, archived, with their decision)."""
        self.sudo().filtered("active").write({"active": False})
