import os
import subprocess
import tempfile
from datetime import timedelta

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
