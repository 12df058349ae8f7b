"""With Accounting installed, a vendor bill posted with the safety analytic distribution counts
in the budget execution, with no code of the suite between them; a bill charged to a special
fund outside its categories, or by a school without allocation, is refused when posted.

Installs school_safety and Odoo's account (without demo data) into a throwaway database, then
runs the scenario in `odoo-bin shell` and reads back what it printed.
"""
import json
import subprocess

from conftest import plain_odoo_conf

SCENARIO = r'''
import json
from odoo import Command, fields
from odoo.exceptions import ValidationError

env = env(context=dict(env.context, tracking_disable=True, mail_create_nolog=True))
today = fields.Date.context_today(env["res.users"])
Company = env["res.company"]
bureau = Company.create({"name": "Bill Test Bureau", "safety_is_bureau": True})
env["account.chart.template"].try_loading("generic_coa", company=bureau, install_demo=False)
school = Company.create({"name": "Bill Test School", "parent_id": bureau.id, "safety_school_type": "primary"})
other = Company.create({"name": "Bill Test Other School", "parent_id": bureau.id, "safety_school_type": "primary"})
companies = [Command.set([bureau.id, school.id, other.id])]
def user(login, group):
    return env["res.users"].create({
        "name": login, "login": login, "company_id": bureau.id, "company_ids": companies,
        "groups_id": [Command.set([env.ref(group).id])],
    })
finance = user("bill_finance", "school_safety.group_bureau_finance")
manager = user("bill_manager", "school_safety.group_bureau_manager")
cat = lambda key: env.ref(f"school_safety.safety_investment_category_{key}")
budget = env["safety.budget"].create({
    "company_id": school.id, "year": today.year,
    "line_ids": [Command.create({"category_id": cat("technical").id, "amount": 10000})],
})
budget.with_user(finance).action_submit()
budget.with_user(finance).validate_tier()
budget.with_user(manager).validate_tier()
fund = env["safety.fund"].create({
    "name": "Security equipment fund", "company_id": bureau.id, "year": today.year, "amount": 5000,
    "category_ids": [Command.set(cat("technical").ids)],
    "allocation_ids": [Command.create({"company_id": school.id, "amount": 5000})],
})
vendor = env["res.partner"].create({"name": "Security Systems Ltd"})
def bill(company, lines):
    # in a savepoint, as in a request of its own (created in the same transaction as the
    # companies and their chart, Odoo misses the payable line's due date otherwise)
    with env.cr.savepoint():
        return env["account.move"].with_company(company).create({
            "move_type": "in_invoice", "partner_id": vendor.id, "invoice_date": today,
            "invoice_line_ids": [
                Command.create({
                    "name": name, "quantity": 1, "price_unit": price, "analytic_distribution": distribution,
                })
                for name, price, distribution in lines
            ],
        })
fund_account = fund.analytic_account_id.id
posted = bill(school, [
    ("Cameras of the east wall", 3000, {str(cat("technical").id): 100}),
    ("Alarm panel", 1000, {f"{cat('technical').id},{fund_account}": 100}),
])
posted.action_post()
refused = {}
for key, company, distribution in (
    ("category", school, {f"{cat('guards').id},{fund_account}": 100}),
    ("allocation", other, {f"{cat('technical').id},{fund_account}": 100}),
):
    wrong = bill(company, [("Not payable by the fund", 500, distribution)])
    try:
        with env.cr.savepoint():
            wrong.action_post()
        refused[key] = None
    except ValidationError as error:
        refused[key] = str(error)
env.invalidate_all()
line = budget.line_ids
rows = env["safety.investment.execution"]._read_group(
    [("company_id", "=", school.id), ("year", "=", today.year)], ["category_id"], ["actual:sum", "actual_fund:sum"]
)
print("RESULT " + json.dumps({
    "state": posted.state,
    "analytic_lines": env["account.analytic.line"].search_count([("move_line_id.move_id", "=", posted.id)]),
    "actual": line.actual, "actual_fund": line.actual_fund, "remaining": line.remaining,
    "fund_actual": fund.actual,
    "execution": [[category.code, actual, actual_fund] for category, actual, actual_fund in rows if category],
    "refused": refused,
}))
'''


def test_vendor_bill_counts_in_execution(odoo_env, throwaway_db, tmp_path):
    conf = plain_odoo_conf(odoo_env, tmp_path)
    odoo = [odoo_env["python"], f"{odoo_env['root']}/odoo-bin"]
    options = ["-c", str(conf), "-d", throwaway_db]
    install = subprocess.run(
        odoo + options + ["-i", "school_safety,account", "--stop-after-init", "--log-level=warn"],
        capture_output=True, text=True, timeout=1800,
    )
    assert install.returncode == 0, (install.stdout + install.stderr)[-5000:]
    shell = subprocess.run(
        odoo + ["shell"] + options + ["--no-http", "--log-level=warn"], input=SCENARIO, capture_output=True, text=True,
        timeout=600,
    )
    output = shell.stdout + shell.stderr
    results = [line for line in shell.stdout.splitlines() if line.startswith("RESULT ")]
    assert results, output[-5000:]
    result = json.loads(results[-1][len("RESULT "):])
    assert result["state"] == "posted"
    assert result["analytic_lines"] == 2
    # both bill lines count, the one charged to the fund as fund money
    assert (result["actual"], result["actual_fund"], result["remaining"]) == (4000, 1000, 6000)
    assert result["fund_actual"] == 1000
    assert result["execution"] == [["SI03", 4000, 1000]]
    assert "may not pay for" in result["refused"]["category"], result["refused"]
    assert "has no allocation of" in result["refused"]["allocation"], result["refused"]
