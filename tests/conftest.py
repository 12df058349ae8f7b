"""Top-level tests: the project's scripts and the addons seen from outside Odoo's test runner.

bin/test exports SAFETY_ODOO_ROOT, SAFETY_ADDONS_PATH, SAFETY_VENV_PYTHON,
SAFETY_SUITE_ADDONS (the suite's addons, dependencies first, as bin/lib.sh lists them)
and the PG* variables of the embedded cluster before running pytest.
"""
import os
import subprocess
import uuid

import pytest


def _env(name):
    value = os.environ.get(name)
    if not value:
        pytest.skip(f"{name} is not set: run the top-level tests through bin/test")
    return value


@pytest.fixture(scope="session")
def odoo_env():
    return {
        "root": _env("SAFETY_ODOO_ROOT"),
        "addons_path": _env("SAFETY_ADDONS_PATH"),
        "python": _env("SAFETY_VENV_PYTHON"),
        "suite_addons": tuple(_env("SAFETY_SUITE_ADDONS").split(",")),
        "pghost": os.environ.get("PGHOST", ""),
        "pgport": os.environ.get("PGPORT", ""),
        "pguser": os.environ.get("PGUSER", ""),
    }


@pytest.fixture
def throwaway_db(odoo_env):
    name = f"safety_pytest_{uuid.uuid4().hex[:10]}"
    yield name
    subprocess.run(["dropdb", "--if-exists", name], check=False, capture_output=True)


def plain_odoo_conf(odoo_env, folder):
    """An odoo.conf of a plain Odoo: only the suite's addons path added, no demo data, the
    embedded cluster's connection when bin/test runs one. Returns its path."""
    conf = folder / "odoo.conf"
    lines = [
        "[options]",
        f"addons_path = {odoo_env['addons_path']}",
        f"data_dir = {folder / 'data'}",
        "without_demo = all",
    ]
    if odoo_env["pghost"]:
        lines += [
            f"db_host = {odoo_env['pghost']}",
            f"db_port = {odoo_env['pgport']}",
            f"db_user = {odoo_env['pguser']}",
        ]
    conf.write_text("\n".join(lines) + "\n")
    return conf


def psql(db, sql):
    out = subprocess.run(
        ["psql", "-d", db, "-tAq", "-c", sql], check=True, capture_output=True, text=True
    )
    return out.stdout.strip()
