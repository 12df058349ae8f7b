"""The daily overdue job over 100,000 open hazards (target: under 10 seconds).

Deadlines spread from 30 days ago to 29 days ahead, so the first run flags about half
of the ledger and escalates each of them (activities + digest emails); the next day's
run shows the steady state. Baseline for comparison: the same flagging done the
naive way, record by record through the ORM (on a sample, extrapolated).

    SAFETY_VENV=/work/main/.venv bin/bench tests/benchmarks/bench_hazard_overdue.py [count]
"""
import os
import sys
from datetime import timedelta

sys.path.insert(0, os.path.dirname(__file__))

from bench_hazard_common import fill_hazards  # noqa: E402
from harness import Timer, environment, report  # noqa: E402

COUNT = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
SAMPLE = 2_000


def main():
    with environment() as env:
        env.cr.execute("DELETE FROM safety_hazard")
        fill_hazards(env, COUNT, open_only=True)
        Hazard = env["safety.hazard"]
        env.cr.execute("SELECT COUNT(*) FROM safety_hazard WHERE state != 'closed'")
        open_count = env.cr.fetchone()[0]
        today = Hazard.env.context.get("today") or __import__("odoo").fields.Date.today()
        env.cr.execute("SELECT COUNT(*) FROM mail_activity")
        activities_before = env.cr.fetchone()[0]
        with Timer() as first:
            result = Hazard._cron_check_overdue(today=today)
        env.cr.execute("SELECT COUNT(*) FROM mail_activity")
        activities = env.cr.fetchone()[0] - activities_before
        with Timer() as second:
            result2 = Hazard._cron_check_overdue(today=today + timedelta(days=1))
        with Timer() as third:
            result3 = Hazard._cron_check_overdue(today=today + timedelta(days=1))

        # naive baseline: browse, compare, write one by one (sample, extrapolated)
        env.cr.execute("UPDATE safety_hazard SET is_overdue = FALSE")
        env.invalidate_all()
        sample = Hazard.search([], limit=SAMPLE)
        with Timer() as naive:
            for hazard in sample:
                overdue = bool(hazard.deadline and hazard.deadline < today and hazard.state != "closed")
                if hazard.is_overdue != overdue:
                    hazard.with_context(safety_hazard_transition=True).write({"is_overdue": overdue})
            env.flush_all()
        naive_full = naive.seconds * open_count / SAMPLE
        report(
            f"Overdue job over {open_count} open hazards",
            "SQL batches, first run", first.seconds,
            "per-record ORM flagging (extrapolated)", naive_full,
            extra=(
                f"first run: {result['flagged']} flags changed, {result['escalated']} escalations, "
                f"{activities} activities inserted\n"
                f"next day: {second.seconds:.3f} s, {result2['flagged']} flags, "
                f"{result2['escalated']} escalations\n"
                f"same day again (idempotent): {third.seconds:.3f} s, {result3['flagged']} flags, "
                f"{result3['escalated']} escalations\n"
                f"target under 10 s: {'met' if max(first.seconds, second.seconds) < 10 else 'NOT met'}"
            ),
        )


if __name__ == "__main__":
    main()
