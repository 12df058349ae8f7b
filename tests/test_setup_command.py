"""The setup is idempotent: a second run finds everything in place and installs nothing."""
import os
import pathlib
import subprocess

ROOT = pathlib.Path(__file__).resolve().parent.parent


def test_second_setup_installs_nothing(odoo_env):
    result = subprocess.run(
        [str(ROOT / "bin" / "setup")], capture_output=True, text=True, timeout=600,
        env=dict(os.environ, SAFETY_NO_APT="1"),
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "ready: Odoo" in output
    for step in ("creating virtualenv", "installing Python requirements",
                 "installing Debian packages", "creating the embedded PostgreSQL cluster",
                 "downloading"):
        assert step not in output, f"second run did '{step}':\n{output}"
    # the cluster bin/test started is still running: setup only stops what it started
    assert subprocess.run(["psql", "-d", "postgres", "-tAq", "-c", "SELECT 1"],
                          capture_output=True, text=True).stdout.strip() == "1"


def test_missing_system_package_is_explained_not_guessed(odoo_env, tmp_path):
    """Without permission to install, setup names what is missing and stops."""
    fake_bin = tmp_path / "bin"
    fake_bin.mkdir()
    # a PATH where wkhtmltopdf cannot be found, everything else as usual
    for tool in ("python3", "psql", "chromium", "fc-list", "pdftoppm", "sha256sum", "cut", "cat", "sed",
                 "tail", "tr", "grep", "id", "dirname", "mkdir", "mktemp", "rm", "runuser",
                 "env", "bash", "sort", "xargs", "find", "curl", "tar", "mv", "chown", "touch",
                 "useradd"):
        path = subprocess.run(["bash", "-c", f"command -v {tool}"], capture_output=True,
                              text=True).stdout.strip()
        if path:
            (fake_bin / tool).symlink_to(path)
    result = subprocess.run(
        ["bash", str(ROOT / "bin" / "setup")], capture_output=True, text=True, timeout=120,
        env=dict(os.environ, SAFETY_NO_APT="1", PATH=str(fake_bin)),
    )
    assert result.returncode != 0
    assert "missing system packages: wkhtmltopdf." in result.stderr
    assert "apt-get install wkhtmltopdf" in result.stderr
