from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import SafetyInspectionCase


@tagged("post_install", "-at_install")
@freeze_time("2026-06-02")
class TestHazardFlow(SafetyInspectionCase):
    """From a failed check to closure (销号) through the approval tiers, as the right roles."""

    def _failed_check_hazard(self, major=False):
        inspection = self._inspection().with_user(self.user_inspector)
        lines = inspection.line_ids.sorted("sequence")
        if major:
            lines[0].write({"result": "fail", "photo_ids": [Command.set(self._photo().ids)]})
            lines[1:].write({"result": "pass"})
        else:
            lines[0].result = "pass"
            lines[1].write({"result": "fail", "note": "Box open"})
            lines[2].result = "pass"
        inspection.action_done()
        return inspection.hazard_ids

    def _as(self, record, user):
        return record.with_user(user)

    def _to_submitted(self, hazard):
        self._as(hazard, self.user_officer_a).write(self._six_fixed(
            contingency_plan="Guard the exit" if hazard.level == "major" else False
        ))
        self._as(hazard, self.user_officer_a).action_issue_notice()
        owner = self._as(hazard, self.user_staff_a)
        owner.action_start_rectification()
        owner.write({
            "rectification_description": "Replaced and signed",
            "photo_after_ids": [Command.set(self._photo("after.png").ids)],
            "funding_actual": 280,
        })
        owner.action_submit()
        return hazard

    def test_general_hazard_from_failed_check_to_closure(self):
        hazard = self._failed_check_hazard()
        self.assertEqual(hazard.state, "registered")
        officer = self._as(hazard, self.user_officer_a)
        # the notice needs the six fixed
        with self.assertRaisesRegex(UserError, "fill in"):
            officer.action_issue_notice()
        # a plain staff member cannot issue the notice
        with self.assertRaisesRegex(AccessError, "issue a rectification notice"):
            self._as(hazard, self.user_staff_a).action_issue_notice()
        self.assertEqual(hazard.state, "registered")
        officer.write(self._six_fixed())
        officer.action_issue_notice()
        self.assertEqual(hazard.state, "notified")
        self.assertTrue(hazard.notice_number.startswith("ZG"))
        self.assertEqual(hazard.notice_date, date(2026, 6, 2))
        self.assertEqual(hazard.recheck_date, date(2026, 6, 15))
        owner = self._as(hazard, self.user_staff_a)
        owner.action_start_rectification()
        self.assertEqual(hazard.state, "rectifying")
        # no acceptance without evidence
        with self.assertRaisesRegex(UserError, "without photos"):
            owner.action_submit()
        owner.rectification_description = "Replaced"
        with self.assertRaisesRegex(UserError, "without photos"):
            owner.action_submit()
        self.assertEqual(hazard.state, "rectifying")
        owner.photo_after_ids = [Command.set(self._photo("after.png").ids)]
        owner.action_submit()
        self.assertEqual(hazard.state, "submitted")
        self.assertEqual(len(hazard.review_ids), 1, "general hazard: principal tier only")
        self.assertEqual(hazard.review_ids.reviewer_ids, self.user_principal_a)
        # the owner cannot accept their own rectification, nor close it
        with self.assertRaisesRegex(UserError, "cannot accept"):
            owner.validate_tier()
        with self.assertRaisesRegex(AccessError, "Only a safety officer"):
            owner.action_close()
        # a reviewer of another school is refused
        with self.assertRaisesRegex(AccessError, "is not of"):
            self._as(hazard, self.user_principal_b).validate_tier()
        # closing directly, before the tiers, is refused
        with self.assertRaisesRegex(UserError, "approval"):
            officer.action_close()
        self.assertEqual(hazard.state, "submitted")
        self._as(hazard, self.user_principal_a).validate_tier()
        self.assertEqual(hazard.validation_status, "validated")
        self.assertEqual(hazard.state, "closed")
        self.assertEqual(hazard.closed_date, date(2026, 6, 2))
        # evidence frozen after closure
        with self.assertRaisesRegex(UserError, "closed"):
            officer.photo_after_ids = [Command.clear()]
        with self.assertRaisesRegex(UserError, "closed"):
            self._as(hazard, self.user_inspector).description = "Rewritten"
        self.assertTrue(hazard.photo_after_ids)
        # ... nor through the attachments themselves, not even as superuser
        photo = hazard.photo_after_ids[0].sudo()
        with self.assertRaisesRegex(UserError, "closed"):
            photo.unlink()
        with self.assertRaisesRegex(UserError, "closed"):
            photo.write({"raw": b"forged"})
        with self.assertRaisesRegex(UserError, "closed"):
            photo.write({"res_model": "res.partner"})
        self.assertTrue(photo.exists())
        photo.write({"description": "catalogued"})  # what is not evidence can still be noted

    def test_major_hazard_needs_bureau_tier(self):
        hazard = self._failed_check_hazard(major=True)
        self.assertEqual(hazard.level, "major")
        self.assertEqual(hazard.inspector_id, self.env["res.users"], "special inspection: none")
        officer = self._as(hazard, self.user_officer_a)
        officer.write(self._six_fixed())
        with self.assertRaisesRegex(UserError, "Contingency"):
            officer.action_issue_notice()
        self._to_submitted(hazard)
        self.assertEqual(len(hazard.review_ids), 2)
        # the bureau cannot jump ahead of the principal (and is told so)
        with self.assertRaisesRegex(UserError, "waits for"):
            self._as(hazard, self.user_inspector).validate_tier()
        self.assertEqual(hazard.state, "submitted")
        self.assertNotEqual(hazard.validation_status, "validated")
        self._as(hazard, self.user_principal_a).validate_tier()
        self.assertEqual(hazard.state, "submitted", "still waits for the bureau")
        self._as(hazard, self.user_inspector).validate_tier()
        self.assertEqual(hazard.state, "closed")

    def test_return_path(self):
        hazard = self._to_submitted(self._hazard())
        principal = self._as(hazard, self.user_principal_a)
        with self.assertRaisesRegex(UserError, "reason"):
            principal.action_return("  ")
        with self.assertRaisesRegex(AccessError, "return a rectification"):
            self._as(hazard, self.user_staff_a).action_return("I want to redo it")
        self.assertEqual(hazard.state, "submitted")
        wizard = self.env["safety.hazard.return.wizard"].with_user(self.user_principal_a).create({
            "hazard_id": hazard.id, "reason": "The new extinguisher is not mounted",
        })
        wizard.action_confirm()
        self.assertEqual(hazard.state, "rectifying")
        self.assertEqual(hazard.return_reason, "The new extinguisher is not mounted")
        self.assertFalse(hazard.review_ids)
        # resubmitted, accepted
        self._as(hazard, self.user_staff_a).action_submit()
        self.assertEqual(hazard.state, "submitted")
        self.assertFalse(hazard.return_reason)
        self._as(hazard, self.user_principal_a).validate_tier()
        self.assertEqual(hazard.state, "closed")

    def test_reject_tier_then_return(self):
        hazard = self._to_submitted(self._hazard())
        self._as(hazard, self.user_principal_a).reject_tier()
        self.assertEqual(hazard.validation_status, "rejected")
        self.assertEqual(hazard.state, "submitted")
        with self.assertRaises(UserError):
            self._as(hazard, self.user_officer_a).action_close()
        self._as(hazard, self.user_officer_a).action_return("Rejected by the principal")
        self.assertEqual(hazard.state, "rectifying")

    def test_no_skipping_stages(self):
        hazard = self._hazard(**self._six_fixed())
        owner = self._as(hazard, self.user_staff_a)
        with self.assertRaisesRegex(UserError, "without the steps"):
            owner.action_start_rectification()
        owner.write({
            "rectification_description": "Done",
            "photo_after_ids": [Command.set(self._photo().ids)],
        })
        with self.assertRaisesRegex(UserError, "without the steps"):
            owner.action_submit()
        with self.assertRaisesRegex(UserError, "rectification steps"):
            self._as(hazard, self.user_officer_a).write({"state": "closed"})
        with self.assertRaisesRegex(UserError, "registered first"):
            self._hazard(state="closed")
        officer = self._as(hazard, self.user_officer_a)
        with self.assertRaises(UserError):
            officer.action_close()
        self.assertEqual(hazard.state, "registered")

    def test_deadline_before_found_date(self):
        hazard = self._hazard()
        with self.assertRaisesRegex(ValidationError, "before the day it was found"):
            self._as(hazard, self.user_officer_a).deadline = date(2026, 5, 1)
        hazard.invalidate_recordset()
        self.assertFalse(hazard.deadline)
        with self.assertRaises(ValidationError):
            self._hazard(deadline=date(2026, 5, 31))

    def test_extension_requested_and_approved(self):
        hazard = self._hazard(**self._six_fixed())
        self._as(hazard, self.user_officer_a).action_issue_notice()
        Extension = self.env["safety.hazard.extension"].with_user(self.user_staff_a)
        with self.assertRaisesRegex(ValidationError, "after the current deadline"):
            Extension.create({"hazard_id": hazard.id, "new_deadline": date(2026, 6, 10), "reason": "Parts"})
        with self.assertRaisesRegex(ValidationError, "reason"):
            Extension.create({"hazard_id": hazard.id, "new_deadline": date(2026, 7, 1), "reason": " "})
        extension = Extension.create({
            "hazard_id": hazard.id, "new_deadline": date(2026, 7, 1), "reason": "Supplier delay",
        })
        self.assertEqual(extension.current_deadline, date(2026, 6, 15))
        # the owner who asked cannot approve it, a plain staff cannot either
        with self.assertRaises(AccessError):
            extension.action_approve()
        self.assertEqual(hazard.deadline, date(2026, 6, 15))
        self._as(extension, self.user_officer_a).action_approve()
        self.assertEqual(extension.state, "approved")
        self.assertEqual(hazard.deadline, date(2026, 7, 1))
        self.assertEqual(hazard.recheck_date, date(2026, 7, 1))
        with self.assertRaises(UserError):
            self._as(extension, self.user_principal_a).action_refuse()
        with self.assertRaises(UserError):
            self._as(extension, self.user_officer_a).new_deadline = date(2026, 8, 1)

    def test_extension_refused_and_segregation(self):
        hazard = self._hazard(**self._six_fixed(owner_id=self.user_officer_a.id, rechecker_id=self.user_principal_a.id))
        self._as(hazard, self.user_principal_a).action_issue_notice()
        extension = self.env["safety.hazard.extension"].with_user(self.user_officer_a).create({
            "hazard_id": hazard.id, "new_deadline": date(2026, 6, 30), "reason": "Exams",
        })
        with self.assertRaisesRegex(UserError, "cannot approve"):
            extension.action_approve()
        with self.assertRaises(AccessError):
            self._as(extension, self.user_principal_b).action_refuse()
        self._as(extension, self.user_principal_a).action_refuse()
        self.assertEqual(extension.state, "refused")
        self.assertEqual(hazard.deadline, date(2026, 6, 15))

    def test_extension_of_closed_hazard_refused(self):
        hazard = self._to_submitted(self._hazard())
        self._as(hazard, self.user_principal_a).validate_tier()
        with self.assertRaisesRegex(ValidationError, "closed"):
            self.env["safety.hazard.extension"].create({
                "hazard_id": hazard.id, "new_deadline": date(2026, 7, 1), "reason": "Late",
            })

    def test_configured_reviewer_of_other_school_refused(self):
        self.env["tier.definition"].create({
            "name": "Wrongly configured",
            "model_id": self.env["ir.model"]._get_id("safety.hazard"),
            "review_type": "individual",
            "reviewer_id": self.user_principal_b.id,
            "definition_domain": "[('location', '=', 'Lab 1')]",
            "sequence": 5,
            "company_id": False,
        })
        hazard = self._to_submitted(self._hazard(location="Lab 1"))
        self._as(hazard, self.user_principal_a).validate_tier()
        self.assertEqual(hazard.state, "submitted")
        with self.assertRaisesRegex(AccessError, "cannot review"):
            self._as(hazard, self.user_principal_b).validate_tier()
        self.assertEqual(hazard.state, "submitted")
