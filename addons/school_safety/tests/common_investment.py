from contextlib import contextmanager

from odoo import Command, fields
from odoo.tests import new_test_user

from .common import SchoolSafetyCase

CATEGORIES = ("guards", "physical", "technical", "fire", "repairs", "training", "insurance", "other")


class SafetyInvestmentCase(SchoolSafetyCase):
    """The school world plus safety money: the shipped categories, a special fund of the
    bureau allocated to school A, a draft budget of school A for this year, and a second bureau
    with a school and a finance user of its own."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.year = fields.Date.today().year
        cls.cat = {key: cls.env.ref(f"school_safety.safety_investment_category_{key}") for key in CATEGORIES}
        cls.category_column, cls.fund_column = cls.env["account.analytic.plan"]._safety_columns()
        cls.user_manager_2 = new_test_user(
            cls.env, login="t_manager_2", groups="school_safety.group_bureau_manager",
            company_id=cls.bureau.id,
            company_ids=[Command.set([cls.bureau.id, cls.school_a.id, cls.school_b.id])],
            context={"mail_create_nolog": True, "no_reset_password": True},
        )
        Company = cls.env["res.company"]
        cls.bureau_2 = Company.create({"name": "Other District Education Bureau", "safety_is_bureau": True})
        cls.school_c = Company.create({
            "name": "Other Bureau School C", "parent_id": cls.bureau_2.id, "safety_school_type": "primary",
        })
        cls.user_finance_2 = new_test_user(
            cls.env, login="t_finance_2", groups="school_safety.group_bureau_finance",
            company_id=cls.bureau_2.id, company_ids=[Command.set([cls.bureau_2.id, cls.school_c.id])],
            context={"mail_create_nolog": True, "no_reset_password": True},
        )
        cls.fund = cls.env["safety.fund"].create({
            "name": "Central Security Equipment Fund",
            "company_id": cls.bureau.id,
            "source": "subsidy",
            "year": cls.year,
            "amount": 100000,
            "category_ids": [Command.set([cls.cat[c].id for c in ("physical", "technical", "fire")])],
            "allocation_ids": [Command.create({"company_id": cls.school_a.id, "amount": 60000})],
        })
        cls.fund_2 = cls.env["safety.fund"].create({
            "name": "Other Bureau Fund",
            "company_id": cls.bureau_2.id,
            "year": cls.year,
            "amount": 50000,
            "category_ids": [Command.set([cls.cat["technical"].id])],
            "allocation_ids": [Command.create({"company_id": cls.school_c.id, "amount": 50000})],
        })
        cls.budget_a = cls._budget(cls.school_a, guards=100000, technical=20000, fire=5000, repairs=10000)

    @classmethod
    def _budget(cls, school, year=None, **amounts):
        return cls.env["safety.budget"].create({
            "company_id": school.id,
            "year": year or cls.year,
            "line_ids": [
                Command.create({"category_id": cls.cat[key].id, "amount": amount}) for key, amount in amounts.items()
            ],
        })

    @classmethod
    def _approve(cls, budget):
        """Submitted by finance, reviewed by finance, approved by the manager."""
        budget.with_user(cls.user_finance).action_submit()
        budget.with_user(cls.user_finance).validate_tier()
        budget.with_user(cls.user_manager).validate_tier()
        return budget

    @classmethod
    def _spend(cls, school, category, cost, fund=None, day=None, env=None):
        """A line recorded by hand (as ``env``'s user, by default the superuser)."""
        return (env or cls.env)["account.analytic.line"].create({
            "name": f"{category} expense",
            "date": day or fields.Date.today(),
            "company_id": school.id,
            "safety_category_id": cls.cat[category].id,
            "safety_fund_id": fund.id if fund else False,
            "safety_spent": cost,
        })

    def _figures(self, domain, groupby):
        return self.env["safety.investment.execution"]._safety_figures(domain, groupby)

    @contextmanager
    def assertRefused(self, exception, text):
        """``exception`` is raised, saying ``text``, and what was done inside is rolled back
        (Odoo's assertRaises takes a savepoint, assertRaisesRegex does not)."""
        with self.assertRaises(exception) as caught:
            yield caught
        self.assertIn(text, str(caught.exception))
