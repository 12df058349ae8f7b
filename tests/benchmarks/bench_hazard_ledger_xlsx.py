"""Ledger Excel export of 100,000 hazards: the streamed report_xlsx against Odoo's own
list export (web's ExportXlsxWriter over export_data) of the same columns.

    SAFETY_VENV=/work/main/.venv bin/bench tests/benchmarks/bench_hazard_ledger_xlsx.py [count]
"""
import os
import sys
import types

sys.path.insert(0, os.path.dirname(__file__))

from harness import Timer, environment, peak_rss_mb, report  # noqa: E402

# isort: split
# (the harness first: it puts the Odoo source on the path)
from bench_hazard_common import fill_hazards  # noqa: E402

COUNT = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
FIELDS = [
    "name", "company_id", "found_date", "location", "category", "level", "source", "description",
    "found_by_id", "measure", "funding_estimated", "funding_actual", "owner_id", "deadline",
    "rechecker_id", "recheck_date", "state", "closed_date", "is_overdue",
]


def main():
    with environment() as env:
        fill_hazards(env, COUNT)
        env.cr.execute("SELECT COUNT(*) FROM safety_hazard")
        total = env.cr.fetchone()[0]
        date_from, date_to = "2025-01-01", "2027-12-31"
        # the whole ledger of the bench: every school's rows in one file, like the list export
        env.cr.execute("UPDATE safety_hazard SET company_id = (SELECT MIN(company_id) FROM safety_hazard)")
        company_id = env["safety.hazard"].search([], limit=1).company_id.id
        env.invalidate_all()
        wizard = env["safety.hazard.ledger.wizard"].create({
            "company_id": company_id, "date_from": date_from, "date_to": date_to,
        })
        data = {"company_id": company_id, "date_from": date_from, "date_to": date_to}
        rss_start = peak_rss_mb()
        with Timer() as ours:
            content, _kind = env["ir.actions.report"]._render_xlsx(
                "safety_inspection.hazard_ledger_xlsx", wizard.ids, data
            )
        rss_ours = peak_rss_mb()
        ours_size = len(content)
        del content
        env.invalidate_all()

        # Odoo's built-in list export: what /web/export/xlsx does for the same columns
        from odoo.addons.web.controllers import export as web_export
        web_export.request = types.SimpleNamespace(env=env)
        Hazard = env["safety.hazard"]
        headers = [Hazard._fields[f]._description_string(env) for f in FIELDS]
        fields_info = [
            {"name": f, "label": h, "type": Hazard._fields[f].type} for f, h in zip(FIELDS, headers, strict=True)
        ]
        with Timer() as builtin:
            records = Hazard.search([
                ("company_id", "=", company_id),
                ("found_date", ">=", date_from), ("found_date", "<=", date_to),
            ])
            rows = records.export_data(FIELDS).get("datas", [])
            with web_export.ExportXlsxWriter(fields_info, headers, len(rows)) as writer:
                for r, row in enumerate(rows):
                    for c, value in enumerate(row):
                        writer.write_cell(r + 1, c, value)
            builtin_size = len(writer.value)
        rss_builtin = peak_rss_mb()
        report(
            f"Hazard ledger Excel export, {len(rows)} rows of {total} hazards",
            "report_xlsx streamed", ours.seconds,
            "built-in list export", builtin.seconds,
            extra=(
                f"file sizes: ours {ours_size / 1e6:.1f} MB, built-in {builtin_size / 1e6:.1f} MB\n"
                f"peak RSS: before {rss_start:.0f} MB, after ours {rss_ours:.0f} MB "
                f"(+{rss_ours - rss_start:.0f} MB), after built-in {rss_builtin:.0f} MB "
                f"(+{rss_builtin - rss_ours:.0f} MB more)"
            ),
        )


if __name__ == "__main__":
    main()
