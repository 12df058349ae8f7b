from odoo import fields, models


class SafetyHazardSource(models.AbstractModel):
    """What feeds the hazard ledger: an inspection (its failed checks), a patrol round (the
    anomalies its guards report), a drill (its problems, safety_training)...

    The ledger knows nothing of its sources: each source model says

    * ``_safety_hazard_source``: its key in the hazard's ``source`` selection (the addon that
      brings the source adds it with ``selection_add``);
    * ``_safety_hazard_link``: the hazard's many2one back to the source (the same addon adds
      it to ``safety.hazard``);
    * ``_safety_hazard_finding``: optionally, the model of the findings that become hazards
      (an inspection's checks), which the hazard's "Found By Record" then points at;

    and gets the count and the button that list its hazards, and the batch filing of its
    findings as the source's own step (``_safety_file_hazards``).
    """

    _name = "safety.hazard.source"
    _description = "Hazard Source"

    _safety_hazard_source = None
    _safety_hazard_link = None
    _safety_hazard_finding = None

    hazard_count = fields.Integer(string="Hazards Count", compute="_compute_hazard_count")

    def _compute_hazard_count(self):
        link = self._safety_hazard_link
        counts = dict(self.env["safety.hazard"]._read_group([(link, "in", self.ids)], [link], ["__count"]))
        for record in self:
            record.hazard_count = counts.get(record, 0)

    def action_view_hazards(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("safety_inspection.safety_hazard_action")
        action["domain"] = [(self._safety_hazard_link, "=", self.id)]
        action["context"] = {"create": False}
        return action

    def _safety_file_hazards(self, entries):
        """File hazards found by these sources, in one create, as their step (the caller has
        checked who asks and that the source is in the state that files them).

        ``entries`` are ``(source record, hazard values, finding record or None)``; each hazard
        gets its school, its source, its link to the source record and its "Found By Record"
        (the finding, else the source). Returns the hazards (as the caller).
        """
        vals_list = []
        for source, vals, finding in entries:
            found_by = finding or source
            vals_list.append(dict(
                vals,
                company_id=source.company_id.id,
                source=self._safety_hazard_source,
                source_ref=f"{found_by._name},{found_by.id}",
                **{self._safety_hazard_link: source.id},
            ))
        hazards = self.env["safety.hazard"].sudo().create(vals_list)
        return hazards.sudo(False)
