from datetime import datetime, timedelta

from odoo import Command, fields
from odoo.tests import new_test_user

from odoo.addons.school_safety.tests.common import SchoolSafetyCase

# Monday 2 March 2026, 10:00 in Asia/Shanghai
T0 = datetime(2026, 3, 2, 2, 0, 0)


def iso(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


class PatrolCase(SchoolSafetyCase):
    """School A has three checkpoints on a route walked by guard A; school B has one.

    The round of school A runs from T0 to T0 + 60 min with 15 grace minutes.
    Checkpoints are 111 m apart along a meridian.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()

        def user(login, group, company):
            return new_test_user(
                cls.env, login=login, groups=f"school_safety.{group}", company_id=company.id,
                company_ids=[Command.set([company.id])],
                context={"mail_create_nolog": True, "no_reset_password": True},
            )

        cls.user_guard_a2 = user("t_guard_a2", "group_security_guard", cls.school_a)
        cls.user_guard_b = user("t_guard_b", "group_security_guard", cls.school_b)
        cls.user_officer_b = user("t_officer_b", "group_school_safety_officer", cls.school_b)
        Checkpoint = cls.env["safety.patrol.checkpoint"]
        cls.cp_gate, cls.cp_hall, cls.cp_yard, cls.cp_roof = Checkpoint.create([
            {"name": "North Gate", "company_id": cls.school_a.id, "place": "gatehouse",
             "latitude": 30.0, "longitude": 120.0, "radius": 30, "key_area": True},
            {"name": "Hall", "company_id": cls.school_a.id,
             "latitude": 30.001, "longitude": 120.0, "radius": 30},
            {"name": "Yard", "company_id": cls.school_a.id,
             "latitude": 30.002, "longitude": 120.0, "radius": 30},
            {"name": "Roof", "company_id": cls.school_a.id},
        ])
        cls.cp_b = Checkpoint.create({"name": "Gate B", "company_id": cls.school_b.id})
        cls.route_a = cls.env["safety.patrol.route"].create({
            "name": "Route A",
            "company_id": cls.school_a.id,
            "line_ids": [
                Command.create({"sequence": 10, "checkpoint_id": cls.cp_gate.id, "order_mode": "required"}),
                Command.create({"sequence": 20, "checkpoint_id": cls.cp_hall.id, "order_mode": "required"}),
                Command.create({"sequence": 30, "checkpoint_id": cls.cp_yard.id, "order_mode": "free",
                                "max_minutes": 30}),
            ],
        })
        cls.route_b = cls.env["safety.patrol.route"].create({
            "name": "Route B", "company_id": cls.school_b.id,
            "line_ids": [Command.create({"checkpoint_id": cls.cp_b.id})],
        })
        Round = cls.env["safety.patrol.round"]
        cls.round_a = Round.create({
            "company_id": cls.school_a.id, "route_id": cls.route_a.id,
            "guard_ids": [Command.set(cls.user_guard_a.ids)],
            "planned_start": T0, "planned_end": T0 + timedelta(minutes=60), "grace_minutes": 15,
        })
        cls.round_b = Round.create({
            "company_id": cls.school_b.id, "route_id": cls.route_b.id,
            "guard_ids": [Command.set(cls.user_guard_b.ids)],
            "planned_start": T0, "planned_end": T0 + timedelta(minutes=60), "grace_minutes": 15,
        })
        cls.counter = 0

    @classmethod
    def _round_running_now(cls):
        """A round of route A for guard A that started five minutes ago (real time), for
        the tests that go through a browser or HTTP, where time cannot be frozen."""
        now = fields.Datetime.now()
        return cls.env["safety.patrol.round"].create({
            "company_id": cls.school_a.id, "route_id": cls.route_a.id,
            "guard_ids": [Command.set(cls.user_guard_a.ids)],
            "planned_start": now - timedelta(minutes=5), "planned_end": now + timedelta(minutes=55),
        })

    def payload(self, checkpoint=None, minutes=5, **overrides):
        """A clean scan of ``checkpoint`` taken ``minutes`` after T0, at its position."""
        checkpoint = checkpoint or self.cp_gate
        type(self).counter += 1
        scan = {
            "round_id": self.round_a.id,
            "token": checkpoint.sudo()._patrol_token(),
            "client_id": f"test-client-{self.counter:06d}",
            "device_time": iso(T0 + timedelta(minutes=minutes)),
            "latitude": checkpoint.latitude or None,
            "longitude": checkpoint.longitude or None,
            "accuracy": 8.0 if checkpoint.latitude else None,
            "device": "test phone",
            # the phone's clock when it sends (the server's, unless a test says otherwise)
            "sent_time": iso(fields.Datetime.now()),
        }
        scan.update(overrides)
        return scan

    def receive(self, payload, user=None):
        Scan = self.env["safety.patrol.scan"].with_user(user or self.user_guard_a)
        return Scan._patrol_receive(payload)

    def scan_count(self):
        return self.env["safety.patrol.scan"].sudo().search_count([])
