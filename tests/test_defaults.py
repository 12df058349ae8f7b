"""What the project ships opens no door: no master password, the database manager closed,
a random master password per installation (README command 1 also listens on localhost
only: tests/test_demo_command.py)."""
import configparser
import os
import pathlib
import stat
import subprocess

ROOT = pathlib.Path(__file__).resolve().parent.parent


def test_shipped_configuration_has_no_master_password_and_no_manager():
    conf = configparser.ConfigParser()
    conf.read(ROOT / "odoo.conf")
    options = conf["options"]
    assert "admin_passwd" not in options, "odoo.conf ships a master password"
    assert options.get("list_db") == "False", "the database manager is open"


def _runtime_conf(data_dir, odoo_env):
    script = 'source bin/lib.sh; VENV=$(dirname "$(dirname "$SAFETY_VENV_PYTHON")"); runtime_conf; echo "$RUNTIME_CONF"'
    result = subprocess.run(
        ["bash", "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60,
        env=dict(os.environ, SAFETY_DATA=str(data_dir), SAFETY_VENV_PYTHON=odoo_env["python"]),
    )
    assert result.returncode == 0, result.stderr
    return pathlib.Path(result.stdout.strip().splitlines()[-1])


def _master(path):
    conf = configparser.ConfigParser()
    conf.read(path)
    return conf["options"]["admin_passwd"]


def test_each_installation_gets_its_own_master_password(odoo_env, tmp_path):
    first = _runtime_conf(tmp_path / "a", odoo_env)
    secret = _master(first)
    assert len(secret) >= 24 and secret not in ("admin", "school-safety-admin")
    # only the owner reads it, and a second run keeps it
    assert stat.S_IMODE(first.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "a" / "master-password").stat().st_mode) == 0o600
    assert _master(_runtime_conf(tmp_path / "a", odoo_env)) == secret
    # another installation has another one; the rest is odoo.conf as it is
    assert _master(_runtime_conf(tmp_path / "b", odoo_env)) != secret
    assert "list_db = False" in first.read_text()
