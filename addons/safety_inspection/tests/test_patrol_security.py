from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged, users

from .common_patrol import T0, PatrolCase


@tagged("post_install", "-at_install")
class TestPatrolSecurity(PatrolCase):
    @users("t_guard_a")
    def test_guard(self):
        Round = self.env["safety.patrol.round"]
        self.assertEqual(Round.search([]), self.round_a.with_env(self.env))
        self.assertEqual(self.env["safety.patrol.checkpoint"].search([]),
                         (self.cp_gate | self.cp_hall | self.cp_yard | self.cp_roof).with_env(self.env))
        with self.assertRaises(AccessError):
            self.round_b.with_env(self.env).read(["state"])
        with self.assertRaises(AccessError):
            self.round_a.with_env(self.env).write({"state": "completed"})
        with self.assertRaises(AccessError):
            self.env["safety.patrol.checkpoint"].create({"name": "Fake"})
        with self.assertRaises(AccessError):
            self.cp_gate.with_env(self.env).write({"latitude": 1.0})
        with self.assertRaises(AccessError):
            self.env["safety.patrol.scan"].create({
                "round_id": self.round_a.id, "company_id": self.school_a.id,
                "checkpoint_id": self.cp_gate.id, "guard_id": self.env.uid,
                "client_id": "forged-scan-0001", "device_time": "2026-03-02 02:05:00",
            })
        with freeze_time(T0):
            data = Round.patrol_screen_data()
        self.assertEqual([r["id"] for r in data], [self.round_a.id])
        self.assertEqual([c["name"] for c in data[0]["checkpoints"]], ["North Gate", "Hall", "Yard"])

    @users("t_guard_a2")
    def test_other_guard_sees_nothing(self):
        self.assertFalse(self.env["safety.patrol.round"].search([]))
        with self.assertRaises(AccessError):
            self.round_a.with_env(self.env).action_start()

    @users("t_staff_a")
    def test_staff_no_access(self):
        for model in ("safety.patrol.round", "safety.patrol.scan", "safety.patrol.checkpoint",
                      "safety.patrol.schedule", "safety.patrol.route"):
            with self.subTest(model=model), self.assertRaises(AccessError):
                self.env[model].search([])

    @users("t_officer_a")
    def test_officer(self):
        self.assertEqual(self.env["safety.patrol.round"].search([]), self.round_a.with_env(self.env))
        checkpoint = self.env["safety.patrol.checkpoint"].create({"name": "Library"})
        self.assertEqual(checkpoint.company_id, self.school_a)
        self.assertTrue(checkpoint.qr_payload.startswith("SP1."))
        with self.assertRaises(AccessError):
            self.cp_b.with_env(self.env).read(["name"])
        with self.assertRaises(AccessError):
            self.env["safety.patrol.scan"].create({
                "round_id": self.round_a.id, "company_id": self.school_a.id,
                "checkpoint_id": self.cp_gate.id, "guard_id": self.env.uid,
                "client_id": "forged-scan-0002", "device_time": "2026-03-02 02:05:00",
            })

    @users("t_principal_b")
    def test_principal_other_school(self):
        self.assertEqual(self.env["safety.patrol.round"].search([]), self.round_b.with_env(self.env))
        self.assertEqual(self.env["safety.patrol.checkpoint"].search([]), self.cp_b.with_env(self.env))

    @users("t_inspector")
    def test_inspector_reads_all(self):
        self.assertEqual(self.env["safety.patrol.round"].search([]),
                         (self.round_a | self.round_b).with_env(self.env))
        with self.assertRaises(AccessError):
            self.cp_gate.with_env(self.env).write({"name": "Renamed"})
