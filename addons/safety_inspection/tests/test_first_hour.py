"""The first hour of every role: the bureau sees its schools at once, each role lands on its
own work."""

import json

from odoo.tests import HttpCase, tagged

from .common import SafetyInspectionCase


@tagged("post_install", "-at_install")
class TestFirstHour(HttpCase, SafetyInspectionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._hazard(cls.school_a, location="First hour hazard A")
        cls._hazard(cls.school_b, location="First hour hazard B")
        signatory = cls.env["hr.employee"].create({
            "name": "Bureau Signatory", "company_id": cls.bureau.id, "safety_position": "bureau",
            "user_id": cls.user_manager.id,
        })
        cls.campaign = cls.env["safety.letter.campaign"].create({
            "name": "First hour campaign", "bureau_id": cls.bureau.id,
            "bureau_signatory_id": signatory.id, "lang": "en_US",
        })

    def _session_info(self, login):
        self.authenticate(login, login)
        response = self.url_open(
            "/web/session/get_session_info", data=json.dumps({"params": {}}),
            headers={"Content-Type": "application/json"},
        )
        return response.json()["result"]

    def test_bureau_gets_every_school_active_without_a_cookie(self):
        self.authenticate("t_manager", "t_manager")
        response = self.url_open("/odoo")
        self.assertEqual(response.status_code, 200)
        cids = [int(c) for c in next(c.value for c in self.opener.cookies if c.name == "cids").split("-")]
        self.assertEqual(cids[0], self.bureau.id, "the bureau stays the current company")
        self.assertEqual(set(cids), {self.bureau.id, self.school_a.id, self.school_b.id})
        # a choice already made in the switcher is kept
        cookie = next(c for c in self.opener.cookies if c.name == "cids")
        self.opener.cookies.set("cids", str(self.school_a.id), domain=cookie.domain, path=cookie.path)
        self.url_open("/odoo")
        self.assertEqual([c.value for c in self.opener.cookies if c.name == "cids"], [str(self.school_a.id)])

    def test_school_user_keeps_its_school(self):
        self.authenticate("t_officer_a", "t_officer_a")
        self.url_open("/odoo")
        self.assertFalse([c for c in self.opener.cookies if c.name == "cids"], "the web client keeps its one school")

    def test_each_role_lands_on_its_work(self):
        expected = {
            "t_manager": "school_safety.res_company_action_school",
            "t_inspector": "school_safety.res_company_action_school",
            "t_finance": "school_safety.res_company_action_school",
            "t_principal_a": "safety_inspection.safety_hazard_action",
            "t_officer_a": "safety_inspection.safety_hazard_action",
            "t_guard_a": "safety_inspection.safety_patrol_guard_screen_action",
            "t_staff_a": "school_safety.safety_letter_action",
        }
        for login, xmlid in expected.items():
            with self.subTest(login=login):
                self.assertEqual(self._session_info(login)["home_action_id"], self.env.ref(xmlid).id)
        # a home action the user chose wins
        self.user_officer_a.action_id = self.env.ref("safety_inspection.safety_inspection_action").id
        self.assertEqual(
            self._session_info("t_officer_a")["home_action_id"],
            self.env.ref("safety_inspection.safety_inspection_action").id,
        )

    def test_bureau_first_hour_tour(self):
        self.start_tour("/odoo", "safety_bureau_first_hour", login="t_manager")
        self.assertEqual(self.campaign.state, "done")
        self.assertEqual(set(self.campaign.letter_ids.company_id.ids), {self.school_a.id, self.school_b.id})
