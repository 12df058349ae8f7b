from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestInvestmentDemo(TransactionCase):
    """The demo's safety money went through the real steps: budgets approved by finance and the
    manager, two special funds allocated, spending from closed rectifications, drills, trainings
    and finance's own lines, and one school near its limit."""

    def setUp(self):
        super().setUp()
        if not self.env.ref("school_safety.safety_budget_school_primary_demo", raise_if_not_found=False):
            self.skipTest("database installed without demo data")
        self.year = self.env["safety.demo.builder"]._safety_demo_today().year

    def test_budgets_funds_and_spending(self):
        schools = self.env["res.company"].search([("safety_bureau_id", "=", self.env.ref("base.main_company").id)])
        budgets = self.env["safety.budget"].search([("company_id", "in", schools.ids), ("year", "=", self.year)])
        self.assertEqual(budgets.company_id, schools)
        self.assertEqual(set(budgets.mapped("state")), {"approved"})
        finance, manager = (self.env.ref(f"school_safety.user_{login}_demo") for login in ("finance", "manager"))
        self.assertEqual(budgets.review_ids.done_by, finance | manager)
        funds = self.env.ref("school_safety.safety_fund_central_demo") | self.env.ref(
            "school_safety.safety_fund_county_demo"
        )
        self.assertEqual(len(funds.allocation_ids), 6)
        self.assertTrue(all(fund.actual > 0 for fund in funds))
        lines = self.env["account.analytic.line"].search([("company_id", "in", schools.ids)])
        origins = set(lines.mapped("safety_res_model"))
        self.assertEqual(origins, {False, "safety.hazard", "safety.drill", "safety.training"})
        # the extinguishers: closed, paid by the central fund
        extinguisher = self.env.ref("safety_inspection.safety_hazard_primary_extinguisher_demo")
        self.assertEqual(extinguisher.sudo().safety_analytic_line_ids.safety_fund_id, funds[0])
        # a revision applied, one waiting for the manager
        primary = self.env.ref("school_safety.safety_budget_school_primary_demo")
        junior = self.env.ref("school_safety.safety_budget_school_junior_demo")
        self.assertEqual(primary.revision_ids.mapped("state"), ["approved"])
        self.assertEqual(junior.revision_ids.mapped("state"), ["submitted"])
        self.assertTrue(junior.revision_ids.sudo().activity_ids.filtered(lambda a: a.user_id == manager))

    def test_one_school_near_its_limit(self):
        primary = self.env.ref("school_safety.safety_budget_school_primary_demo")
        others = self.env["safety.budget"].search([("year", "=", self.year), ("id", "!=", primary.id)])
        used = (primary.actual + primary.committed) / primary.amount_total
        self.assertGreater(used, 0.9)
        self.assertTrue(all((b.actual + b.committed) / b.amount_total < 0.8 for b in others))
        technical = primary.line_ids.filtered(
            lambda row: row.category_id == self.env.ref("school_safety.safety_investment_category_technical")
        )
        self.assertLess(technical.remaining, 0)
        # the cameras' estimate exceeded what remained: their approver, the principal, was told
        camera = self.env.ref("safety_inspection.safety_hazard_primary_camera_demo")
        warned = camera.activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref("safety_inspection.mail_activity_type_hazard_over_budget")
        )
        self.assertEqual(warned.user_id, self.env.ref("school_safety.user_principal_demo"))
        self.assertTrue(camera.safety_budget_warning)
