"""Lint is part of the tests: OCA's pylint-odoo mandatory checks (.pylintrc-mandatory) and
ruff (.ruff.toml) pass clean on the addons, the tests and the scripts."""
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
ADDONS = sorted(str(path.parent.relative_to(ROOT)) for path in ROOT.glob("addons/*/__manifest__.py"))


def _run(*args):
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=900,
    )


def test_pylint_odoo_mandatory_checks_clean():
    assert ADDONS, "no addon found"
    result = _run("pylint", "--rcfile=.pylintrc-mandatory", *ADDONS)
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr


def test_ruff_clean():
    result = _run("ruff", "check", "--no-fix", "--output-format", "concise", "addons", "tests", "bin")
    assert result.returncode == 0, result.stdout + result.stderr
