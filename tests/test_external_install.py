"""The addons install into a separately configured Odoo 18 with only the addons path added.

No project script is involved: a plain Odoo configuration file names the database
server and an addons path made of Odoo's own addons, the OCA addons and this
project's addons/ folder. The install is done without demo data.
"""
import subprocess

from conftest import plain_odoo_conf, psql


def test_install_without_demo_into_plain_odoo(odoo_env, throwaway_db, tmp_path):
    modules = odoo_env["suite_addons"]
    conf = plain_odoo_conf(odoo_env, tmp_path)
    result = subprocess.run(
        [
            odoo_env["python"], f"{odoo_env['root']}/odoo-bin", "-c", str(conf),
            "-d", throwaway_db, "-i", ",".join(modules), "--stop-after-init",
            "--log-level=warn",
        ],
        capture_output=True, text=True, timeout=1200,
    )
    log = result.stdout + result.stderr
    assert result.returncode == 0, log[-5000:]
    bad = [line for line in log.splitlines() if " ERROR " in line or " CRITICAL " in line]
    assert not bad, "\n".join(bad)
    states = psql(
        throwaway_db,
        "SELECT name || ':' || state FROM ir_module_module WHERE name IN "
        f"({', '.join(repr(m) for m in modules)}) ORDER BY name",
    ).split()
    assert states == [f"{m}:installed" for m in sorted(modules)]
    # without demo: no demo school, no demo login
    assert psql(throwaway_db, "SELECT count(*) FROM res_users WHERE login = 'principal'") == "0"
    assert psql(throwaway_db, "SELECT count(*) FROM res_company WHERE safety_school_type IS NOT NULL") == "0"
    # the roles exist
    assert psql(
        throwaway_db,
        "SELECT string_agg(name, ' ' ORDER BY name) FROM ir_model_data "
        "WHERE module = 'school_safety' AND model = 'res.groups'",
    ).split() == sorted([
        "group_bureau_finance", "group_bureau_inspector", "group_bureau_manager",
        "group_safety_supervisor", "group_school_principal", "group_school_safety_officer",
        "group_school_staff", "group_security_guard",
    ])
