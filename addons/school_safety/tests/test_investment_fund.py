from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged, users

from .common_investment import SafetyInvestmentCase


@tagged("post_install", "-at_install")
class TestSpecialFunds(SafetyInvestmentCase):
    """Special funds are ring-fenced: never allocated beyond their amount, never spent outside
    their categories, nor by a school without allocation, nor by another bureau."""

    @users("t_finance")
    def test_allocations_never_exceed_the_fund(self):
        fund = self.fund.with_env(self.env)
        with self.assertRefused(ValidationError, "cannot exceed it"):
            fund.write({"allocation_ids": [Command.create({"company_id": self.school_b.id, "amount": 40001})]})
        with self.assertRefused(ValidationError, "cannot exceed it"):
            fund.allocation_ids.amount = 100001
        with self.assertRefused(ValidationError, "cannot exceed it"):
            fund.amount = 59999
        fund.write({"allocation_ids": [Command.create({"company_id": self.school_b.id, "amount": 40000})]})
        self.assertEqual((fund.allocated, fund.unallocated), (100000, 0))
        with self.assertRefused(ValidationError, "is allocated once"):
            fund.write({"allocation_ids": [Command.create({"company_id": self.school_b.id, "amount": 1})]})
        self.assertEqual(sorted(fund.allocation_ids.mapped("amount")), [40000, 60000])

    @users("t_finance")
    def test_allocated_to_the_bureaus_schools_only(self):
        fund = self.fund.with_env(self.env)
        # a school of another bureau (which this finance user does not see either)
        with self.assertRefused(ValidationError, "is allocated to that bureau's schools only"):
            fund.write({"allocation_ids": [Command.create({"company_id": self.school_c.id, "amount": 10})]})
        with self.assertRefused(ValidationError, "is allocated to that bureau's schools only"):
            fund.sudo().write({"allocation_ids": [Command.create({"company_id": self.school_c.id, "amount": 10})]})
        with self.assertRefused(ValidationError, "allocated to that bureau's schools only"):
            fund.write({"allocation_ids": [Command.create({"company_id": self.bureau.id, "amount": 10})]})
        with self.assertRefused(ValidationError, "belongs to an education bureau"):
            self.env["safety.fund"].create({
                "name": "School fund", "company_id": self.school_a.id, "amount": 10,
                "category_ids": [Command.set(self.cat["guards"].ids)],
            })
        with self.assertRefused(ValidationError, "may pay for"):
            self.env["safety.fund"].create({"name": "No category", "company_id": self.bureau.id, "amount": 10})
        self.assertEqual(len(fund.allocation_ids), 1)

    def test_spending_refused_outside_the_fund(self):
        # guards' wages from a fund for security equipment ("不得用于人员经费")
        with self.assertRefused(ValidationError, "may not pay for"):
            self._spend(self.school_a, "guards", 500, fund=self.fund)
        # a school without allocation
        with self.assertRefused(ValidationError, "has no allocation of"):
            self._spend(self.school_b, "technical", 500, fund=self.fund)
        # another bureau's school and fund
        with self.assertRefused(ValidationError, "has no allocation of"):
            self._spend(self.school_c, "technical", 500, fund=self.fund)
        with self.assertRefused(ValidationError, "has no allocation of"):
            self._spend(self.school_a, "technical", 500, fund=self.fund_2)
        # a line moved to a category the fund does not pay
        line = self._spend(self.school_a, "technical", 500, fund=self.fund)
        with self.assertRefused(ValidationError, "may not pay for"):
            line.safety_category_id = self.cat["guards"]
        # the category stays permitted once paid, and the allocation cannot fall below the spending
        with self.assertRefused(ValidationError, "already paid for"):
            self.fund.category_ids = [Command.unlink(self.cat["technical"].id)]
        with self.assertRefused(ValidationError, "already spent"):
            self.fund.allocation_ids.amount = 499
        with self.assertRefused(Exception, "kept"):
            self.fund.allocation_ids.unlink()
        with self.assertRefused(Exception, "is kept"):
            self.fund.unlink()
        self.assertEqual(line.safety_category_id, self.cat["technical"])
        self.assertEqual(self.fund.actual, 500)

    def test_fund_money_apart_from_own_money(self):
        self._approve(self.budget_a)
        self._spend(self.school_a, "technical", 3000, fund=self.fund)
        self._spend(self.school_a, "technical", 2000)
        self._spend(self.school_a, "guards", 8000)
        line = self.budget_a.line_ids.filtered(lambda row: row.category_id == self.cat["technical"])
        self.assertEqual((line.actual, line.actual_fund, line.remaining), (5000, 3000, 15000))
        self.assertEqual((self.budget_a.actual, self.budget_a.actual_fund, self.budget_a.actual_own),
                         (13000, 3000, 10000))
        self.assertEqual((self.fund.actual, self.fund.remaining), (3000, 97000))
        allocation = self.fund.allocation_ids
        self.assertEqual((allocation.actual, allocation.remaining, allocation.execution_rate), (3000, 57000, 5.0))
        figures = self._figures([("company_id", "=", self.school_a.id), ("year", "=", self.year)], ["fund_id"])
        self.assertEqual(figures[(self.fund,)]["actual"], 3000)
        self.assertEqual(figures[(self.fund,)]["allocated"], 60000)
        self.assertEqual(figures[(self.fund,)]["fund_remaining"], 57000)
        own = figures[(self.env["safety.fund"],)]
        self.assertEqual((own["actual"], own["budget"]), (10000, 135000))

    def test_fund_of_each_line(self):
        """Each line reads its fund, and the lines of own money no fund, even read together
        (the finance's list of spending)."""
        funded = self._spend(self.school_a, "technical", 300, fund=self.fund)
        own = self._spend(self.school_a, "technical", 200)
        lines = (funded | own).with_user(self.user_finance)
        lines.invalidate_recordset()
        self.assertEqual([line["safety_fund_id"] for line in lines.read(["safety_fund_id"])],
                         [(self.fund.id, self.fund.display_name), False])
        self.assertEqual(lines.search([("id", "in", lines.ids), ("safety_fund_id", "=", False)]), own)

    def test_other_bureau(self):
        """Another bureau's finance neither sees nor changes this bureau's funds and budgets."""
        Fund = self.env["safety.fund"].with_user(self.user_finance_2)
        self.assertEqual(Fund.search([]), self.fund_2)
        for record in (self.fund, self.budget_a, self.fund.allocation_ids):
            with self.assertRaises(AccessError):
                record.with_user(self.user_finance_2).read(["display_name"])
        with self.assertRaises(AccessError):
            self.fund.with_user(self.user_finance_2).write({"amount": 1})
        with self.assertRaises(AccessError):
            Fund.create({"name": "Theirs", "company_id": self.bureau.id, "amount": 1,
                         "category_ids": [Command.set(self.cat["guards"].ids)]})
        with self.assertRaises(UserError):
            self.env["safety.fund.allocation"].with_user(self.user_finance_2).create(
                {"fund_id": self.fund.id, "company_id": self.school_c.id, "amount": 1}
            )
        with self.assertRaises(AccessError):
            self._budget(self.school_a, year=self.year + 1, guards=1).with_user(self.user_finance_2).unlink()
        with self.assertRaises(AccessError):
            self.env["safety.budget"].with_user(self.user_finance_2).create(
                {"company_id": self.school_b.id, "year": self.year}
            )
        self.assertEqual(self.fund.amount, 100000)
