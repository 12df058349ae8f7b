import io
import os
import subprocess
import tempfile
from datetime import timedelta

import openpyxl
import zxingcpp
from freezegun import freeze_time
from PIL import Image

from odoo.tests import tagged

from .common_patrol import T0, PatrolCase


@tagged("post_install", "-at_install")
class TestPatrolLabels(PatrolCase):
    def test_label_pdf_decodes_to_accepted_tokens(self):
        """Print the label sheet, rasterise it, read the QR codes back with a real decoder."""
        checkpoints = self.cp_gate | self.cp_hall | self.cp_yard
        self.cp_hall.with_user(self.user_officer_a).action_reissue_code()
        pdf, _ = self.env["ir.actions.report"].with_user(self.user_officer_a).with_context(
            force_report_rendering=True,
        )._render_qweb_pdf("safety_inspection.safety_patrol_checkpoint_label", checkpoints.ids)
        self.assertTrue(pdf.startswith(b"%PDF"))
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "labels.pdf")
            with open(path, "wb") as file:
                file.write(pdf)
            subprocess.run(["pdftoppm", "-r", "150", "-png", path, os.path.join(tmp, "page")],
                           check=True, timeout=60)
            decoded = []
            for name in sorted(os.listdir(tmp)):
                if name.endswith(".png"):
                    with Image.open(os.path.join(tmp, name)) as image:
                        decoded += [
                            result.text for result in zxingcpp.read_barcodes(image)
                            if result.format == zxingcpp.BarcodeFormat.QRCode
                        ]
        expected = {cp.id: cp._patrol_token() for cp in checkpoints}
        self.assertEqual(sorted(decoded), sorted(expected.values()))
        self.assertIn(".2.", expected[self.cp_hall.id], "the re-issued label carries version 2")
        with freeze_time(T0 + timedelta(minutes=30)):
            for minutes, checkpoint in ((5, self.cp_gate), (10, self.cp_hall), (15, self.cp_yard)):
                token = next(text for text in decoded if text == expected[checkpoint.id])
                result = self.receive(self.payload(checkpoint, minutes=minutes, token=token))
                self.assertTrue(result["ok"], result)
        self.assertEqual(self.round_a.checkpoint_done, 3)


    def test_labels_never_split_across_pages(self):
        """Seven labels: a full sheet of six and one on the next; every code on a sheet reads
        back whole (the seventh used to split across two pages)."""
        Checkpoint = self.env["safety.patrol.checkpoint"]
        extra = Checkpoint.create([
            {"name": f"Stop {n}", "company_id": self.school_a.id, "place": "somewhere"} for n in range(3)
        ])
        checkpoints = self.cp_gate | self.cp_hall | self.cp_yard | self.cp_roof | extra
        self.assertEqual(len(checkpoints), 7)
        pdf, _ = self.env["ir.actions.report"].with_user(self.user_officer_a).with_context(
            force_report_rendering=True,
        )._render_qweb_pdf("safety_inspection.safety_patrol_checkpoint_label", checkpoints.ids)
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "labels.pdf")
            with open(path, "wb") as file:
                file.write(pdf)
            subprocess.run(["pdftoppm", "-r", "150", "-png", path, os.path.join(tmp, "page")],
                           check=True, timeout=60)
            per_page = []
            for name in sorted(n for n in os.listdir(tmp) if n.endswith(".png")):
                with Image.open(os.path.join(tmp, name)) as image:
                    per_page.append(sorted(
                        result.text for result in zxingcpp.read_barcodes(image)
                        if result.format == zxingcpp.BarcodeFormat.QRCode
                    ))
        self.assertEqual([len(codes) for codes in per_page], [6, 1])
        self.assertEqual(sorted(sum(per_page, [])), sorted(cp.sudo()._patrol_token() for cp in checkpoints))


@tagged("post_install", "-at_install")
class TestPatrolReport(PatrolCase):
    def test_patrol_xlsx(self):
        with freeze_time(T0 + timedelta(hours=3)):
            for checkpoint, minutes in ((self.cp_gate, 1), (self.cp_yard, 45)):
                self.assertTrue(self.receive(self.payload(checkpoint, minutes=minutes))["ok"])
            self.env["safety.patrol.round"]._cron_close_rounds()
        self.assertEqual((self.round_a.state, self.round_b.state), ("incomplete", "missed"))
        content, report_type = self.env["ir.actions.report"].with_user(self.user_inspector)._render_xlsx(
            "safety_inspection.safety_patrol_report_xlsx", (self.round_a | self.round_b).ids, {})
        self.assertEqual(report_type, "xlsx")
        workbook = openpyxl.load_workbook(io.BytesIO(content))
        rounds = {row[0]: row for row in workbook["Rounds"].iter_rows(min_row=2, values_only=True)}
        row_a = rounds[self.school_a.name]
        self.assertEqual(row_a[1:4], ("Route A", "2026-03-02 10:00", "Incomplete"))
        self.assertEqual(row_a[5:10], (3, 2, "Hall", "Yard", 1))
        summary = {row[0]: row for row in workbook["Summary"].iter_rows(min_row=2, values_only=True)}
        self.assertEqual(summary[self.school_b.name][1:9], (1, 0, 0, 1, 1, 0, 1, 0))
        self.assertAlmostEqual(summary[self.school_a.name][9], 2 / 3)
