"""Shared plumbing of the benchmarks: an Odoo environment on the bench database,
timing, and the report line format. Run benchmarks through bin/bench.
"""
import contextlib
import os
import resource
import sys
import time

sys.path.insert(0, os.environ.get("SAFETY_ODOO_ROOT", "/opt/odoo"))

import odoo  # noqa: E402
from odoo.tools import config  # noqa: E402


def odoo_args():
    """Command-line arguments giving a served Odoo the bench database settings."""
    args = [
        "-c", os.environ["SAFETY_ODOO_CONF"],
        "--addons-path", os.environ["SAFETY_ADDONS_PATH"],
        "--data-dir", os.path.join(os.environ["SAFETY_DATA_DIR"], "filestore"),
        "-d", os.environ["SAFETY_BENCH_DB"],
    ]
    if os.environ.get("PGHOST"):
        args += ["--db_host", os.environ["PGHOST"], "--db_port", os.environ["PGPORT"],
                 "--db_user", os.environ["PGUSER"]]
    return args


@contextlib.contextmanager
def environment(commit=False):
    """An Odoo environment (superuser) on the bench database."""
    config.parse_config(odoo_args() + ["--log-level=warn"])
    registry = odoo.modules.registry.Registry(os.environ["SAFETY_BENCH_DB"])
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        yield env
        if commit:
            cr.commit()
        else:
            cr.rollback()


class Timer:
    def __enter__(self):
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.start


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def report(title, ours_label, ours_seconds, base_label, base_seconds, extra=""):
    """Print both figures and their ratio, one line each, the way docs/benchmarks.md quotes them."""
    print(f"== {title}")
    print(f"{ours_label}: {ours_seconds:.3f} s")
    print(f"{base_label}: {base_seconds:.3f} s")
    print(f"ratio ({ours_label} / {base_label}): {ours_seconds / base_seconds:.2f}x")
    if extra:
        print(extra)
