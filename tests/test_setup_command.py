"""The setup is idempotent: a second run finds everything in place and installs nothing; run as
root, it also works in a clone the postgres user cannot enter."""
import os
import pathlib
import re
import shutil
import socket
import subprocess

import pytest

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


def _git(*args):
    return subprocess.run(["git", "-C", str(ROOT), *args], check=True, capture_output=True,
                          text=True).stdout.splitlines()


def _clone_of_this_checkout(dest):
    """`git clone` of this checkout, its uncommitted changes copied on top: what is tested
    is the code as it stands here, not only its last commit."""
    subprocess.run(["git", "clone", "-q", str(ROOT), str(dest)], check=True, capture_output=True)
    for name in _git("diff", "--name-only", "HEAD") + _git("ls-files", "--others", "--exclude-standard"):
        if (ROOT / name).is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, dest / name)
        else:
            (dest / name).unlink(missing_ok=True)


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.skipif(os.geteuid() != 0, reason="only root runs the cluster as another OS user "
                    "(postgres), which a closed folder can shut out")
def test_setup_works_in_a_folder_the_postgres_user_cannot_enter(odoo_env, tmp_path):
    """Run as root, a clone in a 0700 folder (Debian's /root) still gets its cluster."""
    if subprocess.run(["git", "-C", str(ROOT), "rev-parse"], capture_output=True).returncode:
        pytest.skip("this checkout is not a git repository: nothing to clone")
    if "embedded_postgresql = True" not in (ROOT / "odoo.conf").read_text():
        pytest.skip("odoo.conf uses an existing PostgreSQL server: no embedded cluster")
    home = tmp_path / "home"
    home.mkdir()
    home.chmod(0o700)
    clone = home / "repo"
    _clone_of_this_checkout(clone)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG") and k != "SAFETY_DATA"}
    env.update(SAFETY_NO_APT="1", SAFETY_PG_PORT=str(_free_port()),
               SAFETY_VENV=os.path.dirname(os.path.dirname(odoo_env["python"])))
    outside_root = pathlib.Path("/var/lib/school-safety")
    outside_root_existed = outside_root.exists()
    said = re.compile(r"the \w+ user cannot enter (\S+) \(.*\): its PostgreSQL cluster lives in (/\S+)")
    outputs = []

    def setup():
        result = subprocess.run([str(clone / "bin" / "setup")], capture_output=True, text=True,
                                timeout=600, env=env, cwd=clone)
        outputs.append(result.stdout + result.stderr)
        return result.returncode, outputs[-1]

    try:
        rc, output = setup()
        assert rc == 0, output
        assert "ready: Odoo" in output
        told = said.findall(output)
        assert len(told) == 1, f"no single line says where the cluster went:\n{output}"
        data_dir, cluster = told[0][0], pathlib.Path(told[0][1])
        assert data_dir == str(clone / ".data")
        assert cluster.parent == outside_root and not str(cluster).startswith(str(home))
        assert (cluster / "pgdata" / "PG_VERSION").is_file()
        # the cluster really starts, the exported PGHOST is its socket, Odoo's role answers
        script = ('source bin/lib.sh; start_postgres; echo "PGHOST=$PGHOST"; psql -d postgres -tAq -c "SELECT 1"; '
                  'psql -U postgres -d postgres -tAq -c "SHOW data_directory"; stop_postgres')
        result = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=120,
                                env=env, cwd=clone)
        outputs.append(result.stdout + result.stderr)
        assert result.returncode == 0, outputs[-1]
        lines = result.stdout.splitlines()
        assert lines[-3:] == [f"PGHOST={cluster}/pgrun", "1", f"{cluster}/pgdata"], outputs[-1]
        assert not (cluster / "pgdata" / "postmaster.pid").exists(), "stop_postgres left it running"
        # a second run finds the same cluster and says so again
        rc, output = setup()
        assert rc == 0, output
        assert "creating the embedded PostgreSQL cluster" not in output, output
        assert [pathlib.Path(c) for _, c in said.findall(output)] == [cluster], output
    finally:
        # stop whatever cluster a failing run may have left, remove what it made under /var/lib
        clusters = {pathlib.Path(c) for out in outputs for _, c in said.findall(out)}
        clusters = {c for c in clusters if c.parent == outside_root}
        for pgdata in [clone / ".data" / "pgdata"] + [c / "pgdata" for c in clusters]:
            if (pgdata / "postmaster.pid").exists():
                subprocess.run(["bash", "-c", 'source bin/lib.sh; ensure_pg_user; '
                                'pg_as_owner "$(find_pg_bin)/pg_ctl" -D "$1" -m fast -w stop', "-", str(pgdata)],
                               capture_output=True, timeout=120, env=env, cwd=clone)
        for c in clusters:
            shutil.rmtree(c, ignore_errors=True)
        if not outside_root_existed:
            try:
                outside_root.rmdir()
            except OSError:
                pass
        shutil.rmtree(home, ignore_errors=True)
