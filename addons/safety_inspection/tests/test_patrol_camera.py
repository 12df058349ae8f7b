import io
import os
import shutil
import tempfile
from unittest.mock import patch

import qrcode
from PIL import Image

from odoo.tests import HttpCase, tagged
from odoo.tests.common import ChromeBrowser

from .common_patrol import PatrolCase

SCREEN = "/odoo/action-safety_inspection.safety_patrol_guard_screen_action"


def y4m_of_qr(payload, width=640, height=480):
    """A Y4M video (what Chrome's fake camera plays) showing the QR code of ``payload``
    on a white background: a phone camera held in front of the checkpoint's label, far
    enough for the code to fit in the scanner's crop band."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=3, border=4)
    code.add_data(payload)
    code.make(fit=True)
    label = code.make_image().get_image().convert("L")
    frame = Image.new("L", (width, height), 255)
    frame.paste(label, ((width - label.width) // 2, (height - label.height) // 2))
    luma = frame.tobytes()
    chroma = bytes([128]) * (width // 2) * (height // 2) * 2
    video = io.BytesIO()
    video.write(f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode())
    for _frame in range(10):
        video.write(b"FRAME\n" + luma + chroma)
    return video.getvalue()


@tagged("post_install", "-at_install")
class TestPatrolCamera(PatrolCase, HttpCase):
    """The camera path of the guard's phone screen: Odoo's own barcode scanner reads the
    label from Chrome's fake camera, which plays a video of the North Gate's QR code."""

    browser_size = "390x844"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.round_now = cls._round_running_now()

    def test_camera_scan_tour(self):
        folder = tempfile.mkdtemp(prefix="safety_patrol_camera_")
        video = os.path.join(folder, "gate.y4m")
        with open(video, "wb") as file:
            file.write(y4m_of_qr(self.cp_gate.sudo()._patrol_token()))
        self.addCleanup(shutil.rmtree, folder, ignore_errors=True)
        spawn = ChromeBrowser._spawn_chrome

        def spawn_with_camera(browser, cmd):
            # a camera that needs no permission prompt and films the label
            switches = ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
                        f"--use-file-for-fake-video-capture={video}"]
            return spawn(browser, cmd[:-1] + switches + cmd[-1:])

        with patch.object(ChromeBrowser, "_spawn_chrome", spawn_with_camera):
            self.start_tour(SCREEN, "patrol_camera_tour", login="t_guard_a")
        scan = self.round_now.scan_ids
        self.assertEqual(scan.checkpoint_id, self.cp_gate)
        self.assertEqual(scan.guard_id, self.user_guard_a)
        self.assertEqual(self.round_now.state, "in_progress")
