from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestRecordShapes(TransactionCase):
    """One shape for school records and hazard sources, with the three addons installed:
    every school record is walled in its school by one global rule, every hazard source has
    its own key in the ledger's ``source`` and its own link on the hazard, brought by its own
    addon, and the hazard categories come from one list."""

    def _models_inheriting(self, abstract):
        base = self.env.registry[abstract]
        return sorted(
            name for name, model in self.env.registry.items()
            if not model._abstract and not model._transient and issubclass(model, base)
        )

    def test_every_school_record_has_its_school_rule(self):
        names = self._models_inheriting("safety.school.record")
        for expected in (
            "safety.letter", "safety.student", "safety.letter.campaign.line", "safety.inspection",
            "safety.inspection.line", "safety.hazard", "safety.hazard.extension",
            "safety.patrol.checkpoint", "safety.patrol.route", "safety.patrol.route.line",
            "safety.patrol.schedule", "safety.patrol.round", "safety.patrol.scan", "safety.drill",
            "safety.drill.problem", "safety.training",
        ):
            self.assertIn(expected, names)
        for name in names:
            with self.subTest(model=name):
                model = self.env[name]
                rule = self.env.ref(f"{model._original_module}.{model._table}_rule_company")
                self.assertEqual(rule.model_id.model, name)
                self.assertFalse(rule.groups, "a global rule: whatever the groups say")
                self.assertTrue(rule.active)
                self.assertEqual(rule.domain_force, "[('company_id', 'in', company_ids)]")
                self.assertTrue(model._fields["company_id"].required or model._fields["company_id"].related)
                self.assertTrue(model._check_company_auto)

    def test_a_bent_school_rule_is_put_back_at_update(self):
        rule = self.env.ref("safety_training.safety_drill_rule_company")
        rule.write({"domain_force": "[(1, '=', 1)]", "active": False})
        self.env["safety.school.record"]._safety_ensure_school_rules("safety_training")
        self.assertTrue(rule.active)
        self.assertEqual(rule.domain_force, "[('company_id', 'in', company_ids)]")

    def test_every_hazard_source_brings_its_key_and_link(self):
        Hazard = self.env["safety.hazard"]
        sources = dict(Hazard._fields["source"].selection)
        expected = {
            "safety.inspection": ("inspection", "inspection_id", "safety_inspection"),
            "safety.patrol.round": ("patrol", "patrol_round_id", "safety_inspection"),
            "safety.drill": ("drill", "drill_id", "safety_training"),
        }
        self.assertEqual(set(self._models_inheriting("safety.hazard.source")), set(expected))
        for name, (key, link, module) in expected.items():
            with self.subTest(source=name):
                model = self.env[name]
                self.assertEqual(model._safety_hazard_source, key)
                self.assertEqual(model._safety_hazard_link, link)
                self.assertIn(key, sources)
                self.assertEqual(Hazard._fields[link].comodel_name, name)
                self.assertIn("hazard_count", model._fields)
                # the addon bringing the source declares its key and its link
                selection = self.env["ir.model.fields.selection"].search([
                    ("field_id.model", "=", "safety.hazard"), ("field_id.name", "=", "source"),
                    ("value", "=", key),
                ])
                self.assertEqual(selection._get_external_ids()[selection.id][0].split(".")[0], module)
                field = self.env["ir.model.fields"]._get("safety.hazard", link)
                self.assertIn(module, field.modules.split(", "))
        # what finds hazards may point at them as "Found By Record"
        refs = dict(Hazard._selection_source_ref())
        for name in ("safety.inspection", "safety.inspection.line", "safety.patrol.round", "safety.drill"):
            self.assertIn(name, refs)

    def test_hazard_categories_from_one_list(self):
        categories = self.env["safety.hazard"]._fields["category"].selection
        for name, field in (
            ("safety.inspection.template.item", "category"),
            ("safety.inspection.line", "category"),
            ("safety.drill.problem", "category"),
        ):
            with self.subTest(model=name):
                selection = self.env[name]._fields[field]._description_selection(self.env)
                self.assertEqual([key for key, _label in selection], [key for key, _label in categories])
