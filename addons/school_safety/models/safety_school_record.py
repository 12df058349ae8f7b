from odoo import api, fields, models


class SafetySchoolRecord(models.AbstractModel):
    """A record that belongs to one school: letters, students, inspections and their checks,
    hazards and extensions, patrol checkpoints, routes, schedules, rounds and scans, drills,
    trainings...

    It holds what every such record repeats:

    * the school (``company_id``): given at creation and never moved (an evidence mixin's
      creation field), checked against the records it links to (``_check_company_auto``);
    * its bureau (``bureau_id``, related; stored where a model reports by bureau);
    * the global record rule "own schools only" (``company_id in company_ids``), made for
      each model that inherits this one by its module's security data, at install and
      update (``_safety_ensure_school_rules``): a school never sees another school,
      whatever the groups say;
    * the evidence rules of ``safety.evidence.mixin`` (server fields, locks, kept records)
      and the reference numbered by ``_safety_sequence_code``.

    A model whose records belong to a parent's school redefines ``company_id`` as a related
    field of the parent.
    """

    _name = "safety.school.record"
    _inherit = ["safety.evidence.mixin"]
    _description = "School Record"
    _check_company_auto = True
    # the global "own schools only" rule of the model (False: the model brings its own)
    _safety_school_rule = True

    company_id = fields.Many2one(
        "res.company", string="School", required=True, index=True,
        default=lambda self: self.env.company,
    )
    bureau_id = fields.Many2one(related="company_id.safety_bureau_id", string="Bureau")

    @api.model
    def _safety_ensure_school_rules(self, module):
        """The global school rule of every school record model that ``module`` defines
        (called from its security data, once its models are known to ``ir.model``)."""
        for name, model in self.env.registry.items():
            if (
                not model._abstract and not model._transient and issubclass(model, type(self))
                and model._original_module == module and model._safety_school_rule
            ):
                self.env[name]._safety_ensure_school_rule()

    @api.model
    def _safety_ensure_school_rule(self):
        """Create (or bring back to its domain) the model's global school rule, with the
        xmlid ``<module>.<model table>_rule_company`` of the module defining the model."""
        xmlid = f"{self._original_module}.{self._table}_rule_company"
        values = {
            "name": f"{self._description}: own schools only",
            "model_id": self.env["ir.model"]._get_id(self._name),
            "domain_force": "[('company_id', 'in', company_ids)]",
            "groups": [fields.Command.clear()],
            "active": True,
        }
        Rule = self.env["ir.rule"].sudo().with_context(active_test=False)
        rule = self.env.ref(xmlid, raise_if_not_found=False)
        if rule and rule._name == "ir.rule":
            if rule.domain_force != values["domain_force"] or rule.groups or not rule.active:
                rule.write(values)
        else:
            rule = Rule.create(values)
        self.env["ir.model.data"]._update_xmlids([{"xml_id": xmlid, "record": rule, "noupdate": False}])
