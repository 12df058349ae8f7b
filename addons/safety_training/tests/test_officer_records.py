"""The safety officer, who is no HR officer, records trainings and drills: lists, forms, the
Done button and the drill record's PDF all work for them (they answered 403: the employees'
safety fields were missing on the public profiles non-HR users read employees through)."""

import json

from odoo.tests import HttpCase, tagged

from .common import SafetyTrainingCase


@tagged("post_install", "-at_install")
class TestOfficerRecords(HttpCase, SafetyTrainingCase):
    def _call(self, model, method, args, kwargs=None):
        response = self.url_open(
            f"/web/dataset/call_kw/{model}/{method}",
            data=json.dumps({"params": {"model": model, "method": method, "args": args, "kwargs": kwargs or {}}}),
            headers={"Content-Type": "application/json"},
        )
        body = response.json()
        self.assertNotIn("error", body, body.get("error", {}).get("data", {}).get("message"))
        return body.get("result")

    def test_officer_opens_trainings_marks_them_done_and_prints_drills(self):
        self.assertFalse(self.user_officer_a.has_group("hr.group_hr_user"))
        training = self._training(attendees=self.employee_staff_a | self.employee_guard_a)
        drill = self._drill()
        drill.action_done()
        self.authenticate("t_officer_a", "t_officer_a")
        # the list and the form, with the attendees' safety positions, as the web client reads them
        rows = self._call("safety.training", "web_search_read", [], {
            "domain": [("id", "=", training.id)],
            "specification": {"name": {}, "attendance_ids": {"fields": {
                "status": {}, "employee_id": {"fields": {"display_name": {}, "safety_position": {}}},
            }}},
        })["records"]
        self.assertEqual(
            sorted(a["employee_id"]["safety_position"] for a in rows[0]["attendance_ids"]), ["class_teacher", "guard"]
        )
        views = self._call("safety.training", "get_views", [[[False, "list"], [False, "form"]]])
        self.assertIn("form", views["views"])
        self._call("safety.training", "action_done", [training.ids])
        self.assertEqual(training.state, "done")
        # the drill record, printed from its form
        response = self.url_open(f"/report/html/safety_training.report_safety_drill/{drill.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn(drill.name, response.text)
        self.assertIn(self.employee_officer_a.name, response.text)
