"""The embedded cluster runs crash-safe unless a throwaway run starts it, and a cluster
already running is used as it is (bin/lib.sh, start_postgres).

bin/demo and bin/setup start it with fsync on; bin/test and bin/bench, whose databases
are thrown away, start it with fsync, synchronous_commit and full_page_writes off. All
commands of one data folder share its one cluster: whoever finds it running leaves it
as it is (no restart), and a crash-safe caller finding it without fsync says so.
"""
import os
import pathlib
import shutil
import socket
import subprocess
import tempfile

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
SETTINGS = (
    "SELECT current_setting('fsync') || ' ' || current_setting('synchronous_commit') || ' ' "
    "|| current_setting('full_page_writes') || ' ' || pg_postmaster_start_time()"
)


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def cluster_env(odoo_env):
    if "embedded_postgresql = True" not in (ROOT / "odoo.conf").read_text():
        pytest.skip("odoo.conf uses an existing PostgreSQL server: no embedded cluster")
    # a data folder of its own, which the postgres OS user can enter when run as root
    data = pathlib.Path(tempfile.mkdtemp(prefix="safety-fsync-"))
    data.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env.update(SAFETY_DATA=str(data), SAFETY_PG_PORT=str(_free_port()), SAFETY_NO_APT="1")
    try:
        yield env
    finally:
        subprocess.run(["bash", "-c", 'source bin/lib.sh; ensure_pg_user; pg_location; '
                        'pg_as_owner "$(find_pg_bin)/pg_ctl" -D "$PG_DATA" -m fast -w stop'],
                       cwd=ROOT, env=env, capture_output=True, timeout=120)
        shutil.rmtree(data, ignore_errors=True)


def _start(env, *args, stop=False):
    """start_postgres ARGS in a shell of its own: (what it said, its settings line, started here)."""
    script = (f'source bin/lib.sh; start_postgres {" ".join(args)}; '
              f'psql -U postgres -d postgres -tAq -c "{SETTINGS}"; echo "started=${{PG_STARTED_HERE:-0}}"')
    if stop:
        script += "; stop_postgres"
    result = subprocess.run(["bash", "-c", script], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=180)
    assert result.returncode == 0, result.stdout + result.stderr
    *_, settings, started = result.stdout.splitlines()
    return result.stderr, settings.split(" ", 3), started == "started=1"


def test_throwaway_runs_skip_fsync_and_leave_a_running_cluster_as_it_is(cluster_env):
    # bin/test's start: no fsync
    said, (fsync, sync_commit, fpw, started_at), started = _start(cluster_env, "--no-fsync")
    assert started and (fsync, sync_commit, fpw) == ("off", "off", "off"), said
    # bin/demo's start while that run goes on: said in one line, not restarted
    said, (fsync, *_, again_at), started = _start(cluster_env)
    assert not started and fsync == "off" and again_at == started_at
    assert len([line for line in said.splitlines() if "fsync off" in line]) == 1, said
    subprocess.run(["bash", "-c", 'source bin/lib.sh; ensure_pg_user; pg_location; '
                    'pg_as_owner "$(find_pg_bin)/pg_ctl" -D "$PG_DATA" -m fast -w stop'],
                   cwd=ROOT, env=cluster_env, check=True, capture_output=True, timeout=120)
    # bin/demo's own start: crash-safe
    said, (fsync, sync_commit, fpw, started_at), started = _start(cluster_env)
    assert started and (fsync, sync_commit, fpw) == ("on", "on", "on"), said
    assert "fsync off" not in said
    # bin/test's start while the demo runs: the demo's cluster as it is, not restarted
    said, (fsync, sync_commit, fpw, again_at), started = _start(cluster_env, "--no-fsync", stop=True)
    assert not started and (fsync, sync_commit, fpw) == ("on", "on", "on") and again_at == started_at
    # ... and not stopped by it either: only who started it stops it
    _, (fsync, *_, still_at), started = _start(cluster_env, stop=True)
    assert not started and fsync == "on" and still_at == started_at
