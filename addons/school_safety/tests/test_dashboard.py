"""The suite's dashboards (spreadsheet_dashboard) load, and read the scorecard's own fields."""

import json

from odoo.tests import tagged

from .common import SchoolSafetyCase

SCORECARD = "safety.school.scorecard"


@tagged("post_install", "-at_install")
class TestDashboards(SchoolSafetyCase):
    def _dashboards(self):
        group = self.env.ref("school_safety.spreadsheet_dashboard_group_school_safety")
        return group.dashboard_ids

    def test_dashboards_are_shipped_in_their_group(self):
        dashboards = self._dashboards()
        self.assertIn(self.env.ref("school_safety.spreadsheet_dashboard_school_safety"), dashboards)
        # one per installed addon of the suite that brings figures
        installed = self.env["ir.module.module"].search([
            ("name", "in", ("school_safety", "safety_inspection", "safety_training")), ("state", "=", "installed"),
        ])
        self.assertEqual(len(dashboards), len(installed))
        zh = dashboards[0].with_context(lang="zh_CN").dashboard_group_id
        self.assertTrue(zh.name)

    def test_json_reads_existing_fields(self):
        Card = self.env[SCORECARD]
        for dashboard in self._dashboards():
            with self.subTest(dashboard=dashboard.name):
                data = json.loads(dashboard.spreadsheet_data)
                self.assertTrue(data["sheets"])
                self.assertTrue(data["pivots"])
                for pivot in data["pivots"].values():
                    self.assertEqual(pivot["model"], SCORECARD)
                    names = [m["fieldName"] for m in pivot["measures"]] + [r["fieldName"] for r in pivot["rows"]]
                    names += [leaf[0] for leaf in pivot["domain"] if isinstance(leaf, list)]
                    names += [match["chain"] for match in pivot["fieldMatching"].values()]
                    for name in names:
                        self.assertIn(name, Card._fields, f"{dashboard.name}: pivot {pivot['name']} reads {name}")
                    # the pivot's query runs
                    Card.read_group(
                        pivot["domain"], [f"{m['fieldName']}:{Card._fields[m['fieldName']].aggregator}"
                                          for m in pivot["measures"]],
                        [r["fieldName"] for r in pivot["rows"]], lazy=False,
                    )
                charts = [f["data"] for sheet in data["sheets"] for f in sheet["figures"]
                          if f["data"]["type"].startswith("odoo_")]
                self.assertTrue(charts)
                for chart in charts:
                    meta = chart["metaData"]
                    self.assertEqual(meta["resModel"], SCORECARD)
                    self.assertIn(meta["measure"], Card._fields)
                    for group_by in meta["groupBy"]:
                        self.assertIn(group_by.split(":")[0], Card._fields)
                # every scorecard figure reads a cell of the data sheet that exists
                cells = {f"{sheet['name']}!{ref}" for sheet in data["sheets"] for ref in sheet["cells"]}
                for sheet in data["sheets"]:
                    for figure in sheet["figures"]:
                        if figure["data"]["type"] == "scorecard":
                            key = figure["data"]["keyValue"]
                            self.assertIn(key, cells)

    def test_seen_by_the_bureau_and_the_principals(self):
        dashboards = self._dashboards()
        Dashboard = self.env["spreadsheet.dashboard"]
        for user in (self.user_manager, self.user_inspector, self.user_finance, self.user_principal_a):
            with self.subTest(user=user.login):
                self.assertEqual(Dashboard.with_user(user).search([("id", "in", dashboards.ids)]), dashboards)
                loaded = dashboards[0].with_user(user).get_readonly_dashboard()
                self.assertTrue(loaded["snapshot"]["sheets"])
        for user in (self.user_staff_a, self.user_guard_a, self.user_officer_a):
            with self.subTest(user=user.login):
                self.assertFalse(Dashboard.with_user(user).search([("id", "in", dashboards.ids)]))
