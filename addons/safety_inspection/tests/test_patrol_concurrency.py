import threading
import time
from datetime import timedelta

import psycopg2

from odoo import Command, api, fields
from odoo.modules.registry import Registry
from odoo.tests import BaseCase, tagged
from odoo.tests.common import get_db_name
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestPatrolConcurrency(BaseCase):
    """Two requests for one round racing on real, separate database transactions.

    The phone resends a scan before the first answer came back, or two scans of one
    checkpoint arrive at once: the second request must wait for the first, fail with a
    serialisation error once the first committed, and, run again as Odoo runs a request
    again, see the first scan: nothing is lost or stored twice.  The data is committed for the two
    transactions to see it, and removed afterwards.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = Registry(get_db_name())
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {"tracking_disable": True})
            company = env.ref("base.main_company")
            cls.guard_uid = env.ref("base.user_admin").id  # an assigned guard, not superuser
            checkpoint = env["safety.patrol.checkpoint"].create(
                {"name": "Race gate", "company_id": company.id})
            route = env["safety.patrol.route"].create({
                "name": "Race route", "company_id": company.id,
                "line_ids": [Command.create({"checkpoint_id": checkpoint.id})],
            })
            now = fields.Datetime.now()
            cls.start = now - timedelta(minutes=5)
            patrol = env["safety.patrol.round"].create({
                "company_id": company.id, "route_id": route.id,
                "guard_ids": [Command.set([cls.guard_uid])],
                "planned_start": cls.start, "planned_end": now + timedelta(minutes=60),
            })
            cls.token = checkpoint._patrol_token()
            cls.ids = {"checkpoint": checkpoint.id, "route": route.id, "round": patrol.id}
        cls.addClassCleanup(cls._remove_data)

    @classmethod
    def _remove_data(cls):
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            env["safety.patrol.scan"].search([("round_id", "=", cls.ids["round"])]).unlink()
            env["safety.patrol.round"].browse(cls.ids["round"]).unlink()
            env["safety.patrol.route"].browse(cls.ids["route"]).unlink()
            env["safety.patrol.checkpoint"].browse(cls.ids["checkpoint"]).unlink()

    def setUp(self):
        super().setUp()
        self.addCleanup(self._remove_scans)

    def _remove_scans(self):
        with self.registry.cursor() as cr:
            cr.execute("DELETE FROM safety_patrol_scan WHERE round_id = %s", [self.ids["round"]])
            cr.execute("UPDATE safety_patrol_round SET state = 'planned', actual_start = NULL, "
                       "started_by_id = NULL, checkpoint_done = 0 WHERE id = %s", [self.ids["round"]])

    def payload(self, client_id):
        return {
            "round_id": self.ids["round"], "token": self.token, "client_id": client_id,
            "device_time": (self.start + timedelta(minutes=2)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        }

    @mute_logger("odoo.sql_db")  # the serialisation failure is logged as a bad query
    def race(self, first_payload, second_payload):
        """Send the first request and hold its transaction open; send the second, wait
        until it is blocked on the round, commit the first; return both answers."""
        answers = {}
        with self.registry.cursor() as cr_first:
            env_first = api.Environment(cr_first, self.guard_uid, {})
            answers["first"] = env_first["safety.patrol.scan"]._patrol_receive(first_payload)
            cr_second = self.registry.cursor()
            second_pid = cr_second._cnx.get_backend_pid()
            # made here: a new environment looks up the registry, whose lock the test
            # runner holds while it loads the modules and runs their tests
            env_second = api.Environment(cr_second, self.guard_uid, {})

            def second():
                # what odoo.service.model.retrying does for a request on a serialisation
                # failure (it cannot run in this thread: it resets the registry, which
                # waits for the same lock): roll back, drop the caches, run it again
                with cr_second:
                    for attempt in range(1, 4):
                        try:
                            answers["second"] = env_second["safety.patrol.scan"]._patrol_receive(
                                second_payload)
                        except psycopg2.errors.SerializationFailure:
                            cr_second.rollback()
                            env_second.invalidate_all()
                            continue
                        answers["attempts"] = attempt
                        cr_second.commit()
                        break

            thread = threading.Thread(target=second)
            thread.start()
            with self.registry.cursor() as cr_watch:
                for _poll in range(200):
                    cr_watch.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s",
                                     [second_pid])
                    if cr_watch.fetchone()[0] == "Lock":
                        break
                    cr_watch.rollback()
                    time.sleep(0.05)
                else:
                    self.fail("the second request did not wait for the round held by the first")
            cr_first.commit()
        thread.join(timeout=30)
        self.assertFalse(thread.is_alive())
        self.assertEqual(answers.get("attempts"), 2, "the second request runs again once")
        return answers["first"], answers["second"]

    def stored(self):
        with self.registry.cursor() as cr:
            cr.execute("SELECT client_id FROM safety_patrol_scan WHERE round_id = %s ORDER BY id",
                       [self.ids["round"]])
            return [row[0] for row in cr.fetchall()]

    def test_racing_resend_is_answered_duplicate(self):
        payload = self.payload("race-resend-0001")
        first, second = self.race(payload, payload)
        self.assertTrue(first["ok"], first)
        self.assertFalse(first["duplicate"])
        self.assertEqual(second, dict(first, duplicate=True, round_state="in_progress"))
        self.assertEqual(self.stored(), ["race-resend-0001"])

    def test_racing_scans_of_one_checkpoint_store_one(self):
        first, second = self.race(self.payload("race-twice-0001"), self.payload("race-twice-0002"))
        self.assertTrue(first["ok"], first)
        self.assertEqual(second["error"], "already_scanned")
        self.assertEqual(self.stored(), ["race-twice-0001"])
