from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged, users, warmup

from .common_letter import SIGNATURE, SafetyLetterCase


@tagged("post_install", "-at_install")
class TestLetterCampaign(SafetyLetterCase):
    def _levels(self, letters):
        counts = {}
        for letter in letters:
            counts[letter.level] = counts.get(letter.level, 0) + 1
        return counts

    @users("t_manager")
    def test_chain_generation(self):
        campaign = self.campaign.with_env(self.env)
        campaign.action_generate()
        letters = self.env["safety.letter"].search([("campaign_id", "=", campaign.id)])
        self.assertEqual(
            self._levels(letters.filtered(lambda letter: letter.company_id == self.school_a)),
            {
                "bureau_principal": 1,
                "principal_deputy": 1,
                "deputy_middle": 1,
                "middle_staff": 3,
                "class_teacher_guardian": 2,
            },
        )
        self.assertEqual(
            self._levels(letters.filtered(lambda letter: letter.company_id == self.school_b)),
            {"bureau_principal": 1, "middle_staff": 1},
        )
        self.assertEqual(campaign.state, "done")
        self.assertEqual(campaign.school_done_count, 2)
        self.assertEqual(campaign.letter_count, 10)
        # the chain is a tree from the bureau down
        principal = self._letter(self.employee_principal_a)
        self.assertFalse(principal.parent_id)
        self.assertEqual(principal.party_a_employee_id, self.employee_bureau)
        deputy = self._letter(self.employee_officer_a)
        head = self._letter(self.employee_head_a)
        cook = self._letter(self.employee_logistics_a)
        teacher = self._letter(self.employee_staff_a)
        guardian = self._letter(student=self.student_1)
        self.assertEqual(deputy.parent_id, principal)
        self.assertEqual(head.parent_id, deputy)
        self.assertEqual(cook.parent_id, head)
        self.assertEqual(teacher.parent_id, principal)
        self.assertEqual(guardian.parent_id, teacher)
        self.assertEqual(guardian.party_a_employee_id, self.employee_staff_a)
        self.assertEqual(guardian.party_b_partner_id, self.guardian_1)
        self.assertEqual(head.party_a_employee_id, self.employee_officer_a)
        # issued at once: text frozen with the parties' names, links ready
        self.assertTrue(all(letter.state == "issued" and letter.progress == "pending" for letter in letters))
        self.assertIn("Guardian One", guardian.content)
        self.assertIn("Student One", guardian.content)
        self.assertIn(self.school_a.name, guardian.content)
        self.assertNotIn("{{", guardian.content)
        self.assertTrue(guardian.sudo().access_token)

    def _lose(self, letters):
        """Letters an interrupted run never wrote (issued letters are never deleted: this
        goes below the ORM, as the interruption did)."""
        self.env.flush_all()
        self.env.cr.execute("DELETE FROM safety_letter WHERE id = ANY(%s)", [letters.ids])
        self.env.invalidate_all()

    def test_idempotent_rerun(self):
        self.campaign.action_generate()
        letters = self._letter()
        contents = {letter.id: letter.content for letter in letters}
        self.campaign.action_generate()
        again = self._letter()
        self.assertEqual(again, letters)
        self.assertEqual({letter.id: letter.content for letter in again}, contents)
        self.assertEqual(len(self.campaign.line_ids), 2)

    def test_rerun_completes_missing(self):
        self.campaign._safety_generate(sync=True)
        # a letter lost in an interrupted run comes back, nothing else changes
        cook = self._letter(self.employee_logistics_a)
        before = self._letter() - cook
        self._lose(cook)
        self.campaign.action_generate()
        after = self._letter()
        self.assertEqual(len(after), len(before) + 1)
        self.assertTrue(before <= after)
        self.assertEqual(self._letter(self.employee_logistics_a).parent_id, self._letter(self.employee_head_a))

    def test_background_resume(self):
        """A pending school (interrupted run) is finished by the background job."""
        self.campaign.action_generate()
        line_b = self.campaign.line_ids.filtered(lambda line: line.company_id == self.school_b)
        self._lose(self._letter().filtered(lambda letter: letter.company_id == self.school_b))
        line_b.write({"state": "pending", "letter_count": 0})
        self.campaign.state = "running"
        count_a = len(self._letter().filtered(lambda letter: letter.company_id == self.school_a))
        self.env["safety.letter.campaign"]._cron_generate()
        self.assertEqual(line_b.state, "done")
        self.assertEqual(line_b.letter_count, 2)
        self.assertEqual(self.campaign.state, "done")
        self.assertEqual(len(self._letter().filtered(lambda letter: letter.company_id == self.school_a)), count_a)

    def test_midyear_joiner(self):
        self.campaign.action_generate()
        joiner_user = self._new_user("t_joiner", "group_school_staff", self.school_a)
        joiner = self.env["hr.employee"].create({
            "name": "New Teacher",
            "company_id": self.school_a.id,
            "safety_position": "teacher",
            "parent_id": self.employee_head_a.id,
            "user_id": joiner_user.id,
        })
        letter = self._letter(joiner)
        self.assertEqual(len(letter), 1)
        self.assertEqual(letter.level, "middle_staff")
        self.assertEqual(letter.state, "issued")
        self.assertEqual(letter.parent_id, self._letter(self.employee_head_a))
        activity = letter.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, joiner_user)
        self.assertEqual(
            activity.activity_type_id, self.env.ref("school_safety.mail_activity_type_safety_letter_sign")
        )
        # a new student mid-year: the guardian's letter comes too
        student = self.env["safety.student"].create({
            "name": "Student Three",
            "company_id": self.school_a.id,
            "class_name": "Class 3-1",
            "class_teacher_id": self.employee_staff_a.id,
            "guardian_name": "Guardian Three",
            "guardian_phone": "13800000003",
        })
        self.assertEqual(student.guardian_id.name, "Guardian Three")
        self.assertEqual(self._letter(student=student).state, "issued")

    def test_leaver_supersedes(self):
        self.campaign.action_generate()
        letter = self._letter(self.employee_guard_a)
        self.employee_guard_a.action_archive()
        self.assertEqual(letter.state, "superseded")
        with self.assertRaises(UserError):
            letter.with_user(self.user_guard_a).action_sign(SIGNATURE)
        self.assertFalse(letter.party_b_signed_on)
        self.assertEqual(letter.progress, "superseded")
        self.student_2.action_archive()
        self.assertEqual(self._letter(student=self.student_2).state, "superseded")
        # the rest of the chain is untouched
        self.assertEqual(self._letter(self.employee_staff_a).state, "issued")

    def test_gaps_listed_nothing_changed(self):
        self.school_b.safety_principal_id = False
        self.employee_head_a.parent_id = self.employee_logistics_a  # head -> cook -> head
        with self.assertRaises(UserError) as error:
            self.campaign.action_generate()
        message = str(error.exception)
        self.assertIn("Test Junior School B has no principal", message)
        self.assertIn("loop", message)
        self.assertIn("Office Head A", message)
        self.assertFalse(self._letter())
        self.assertFalse(self.campaign.line_ids)
        self.assertEqual(self.campaign.state, "draft")

    def test_gap_reports_to_nobody_and_no_signatory(self):
        self.employee_guard_a.parent_id = False
        self.campaign.bureau_signatory_id = False
        with self.assertRaises(UserError) as error:
            self.campaign.action_generate()
        self.assertIn("Guard A reports to nobody", str(error.exception))
        self.assertIn("no bureau signatory", str(error.exception))
        self.assertFalse(self._letter())

    def test_template_versions_frozen(self):
        self.campaign.action_generate()
        template = self._letter(self.employee_guard_a).template_id
        with self.assertRaises(UserError):
            template.goals = "<p>Changed</p>"
        action = template.action_new_version()
        new = self.env["safety.letter.template"].browse(action["res_id"])
        self.assertEqual(new.version, template.version + 1)
        self.assertFalse(template.active)
        new.goals = "<p>New goals</p>"
        self.assertEqual(new.goals, "<p>New goals</p>")

    def test_issued_text_frozen(self):
        self.campaign.action_generate()
        letter = self._letter(self.employee_guard_a)
        with self.assertRaises(UserError):
            letter.write({"content": "<p>Other text</p>"})
        with self.assertRaises(UserError):
            letter.write({"party_b_name": "Somebody else"})
        with self.assertRaises(UserError):
            letter.unlink()

    def test_draft_then_issue(self):
        self.campaign.auto_issue = False
        self.campaign.action_generate()
        letters = self._letter()
        self.assertTrue(all(letter.state == "draft" and not letter.content for letter in letters))
        self.campaign.action_issue_all()
        self.assertTrue(all(letter.state == "issued" and letter.content for letter in letters))
        with self.assertRaises(UserError):
            letters[:1].action_issue()

    def test_principal_issues_own_school(self):
        self.campaign.auto_issue = False
        self.campaign.action_generate()
        letters = self._letter().filtered(lambda letter: letter.company_id == self.school_a)
        # the principal's click is a request of its own: the bureau is not in the cache, and
        # the principal (of school A only) does not read it
        self.env.invalidate_all()
        letters.with_user(self.user_principal_a).action_issue()
        self.assertEqual(set(letters.mapped("state")), {"issued"})
        self.assertIn(self.bureau.name, letters.filtered(lambda letter: letter.level == "bureau_principal").content)
        other = self._letter().filtered(lambda letter: letter.company_id == self.school_b)
        self.assertEqual(set(other.mapped("state")), {"draft"})
        with self.assertRaises(AccessError):
            other.with_user(self.user_principal_a).action_issue()


@tagged("post_install", "-at_install")
class TestLetterCampaignDemo(SafetyLetterCase):
    """The chain on the demo organisation: counts per level match the organisation."""

    def test_demo_chain(self):
        campaign = self.env.ref("school_safety.safety_letter_campaign_demo", raise_if_not_found=False)
        if not campaign:
            self.skipTest("database installed without demo data")
        campaign.action_generate()
        bureau = campaign.bureau_id
        schools = self.env["res.company"].search([("safety_bureau_id", "=", bureau.id)])
        employees = self.env["hr.employee"].search(
            [("company_id", "in", schools.ids), ("safety_position", "not in", [False, "bureau"])]
        )
        students = self.env["safety.student"].search([("company_id", "in", schools.ids)])
        letters = self.env["safety.letter"].search([("campaign_id", "=", campaign.id)])
        expected = {
            "bureau_principal": len(schools),
            "principal_deputy": len(employees.filtered(lambda e: e.safety_position == "deputy")),
            "deputy_middle": len(employees.filtered(lambda e: e.safety_position == "middle_manager")),
            "middle_staff": len(
                employees.filtered(
                    lambda e: e.safety_position in ("class_teacher", "teacher", "logistics", "guard")
                )
            ),
            "class_teacher_guardian": len(students),
        }
        counts = {}
        for letter in letters:
            counts[letter.level] = counts.get(letter.level, 0) + 1
        self.assertEqual(counts, expected)
        self.assertGreaterEqual(expected["class_teacher_guardian"], 8)
        # every letter except the principals' hangs below another of the same school
        for letter in letters.filtered(lambda letter: letter.level != "bureau_principal"):
            self.assertEqual(letter.parent_id.company_id, letter.company_id)
        self.assertIn("临江区", letters.filtered(lambda letter: letter.level == "bureau_principal")[:1].content)


@tagged("post_install", "-at_install")
class TestLetterCampaignQueries(SafetyLetterCase):
    """The campaign's queries do not grow with the organisation: a fixed number for the
    bureau's campaign plus a fixed number per school, whatever its staff and students.

    Per school, generating costs 3 reads in the gap check of the whole bureau, then 3 reads,
    one INSERT per depth of its chain (5 in the schools added here) and one count; a re-run on
    the complete chain costs the 3 reads of the gap check. Issuing at once adds one read, one
    UPDATE and the signers' notification (activities, followers: about 10 more per school).
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.schools_added = 0

    @classmethod
    def _add_schools(cls, count):
        """``count`` schools of the bureau, each with a principal, a deputy, an office head
        with one class teacher of two students, and a guard; returns the office heads."""
        schools = cls.env["res.company"].create([
            {
                "name": f"Query School {cls.schools_added + index}",
                "parent_id": cls.bureau.id,
                "safety_school_type": "primary",
            }
            for index in range(count)
        ])
        cls.schools_added += count
        principals = cls._add_staff("principal", [False] * count, schools)
        for school, principal in zip(schools, principals, strict=True):
            school.safety_principal_id = principal
        cls._add_staff("guard", principals)
        heads = cls._add_staff("middle_manager", cls._add_staff("deputy", principals))
        cls._add_classes(heads)
        return heads

    @classmethod
    def _add_staff(cls, position, managers, schools=None, per_manager=1):
        """``per_manager`` employees in ``position`` below each manager (at the manager's school)."""
        return cls.env["hr.employee"].create([
            {
                "name": f"{position} {index} of {school.name}",
                "company_id": school.id,
                "safety_position": position,
                "parent_id": manager.id if manager else False,
            }
            for school, manager in zip(schools or managers.company_id, managers, strict=True)
            for index in range(per_manager)
        ])

    @classmethod
    def _add_classes(cls, heads, teachers=1, students=2):
        """``teachers`` class teachers below each head, each with ``students`` students."""
        class_teachers = cls._add_staff("class_teacher", heads, per_manager=teachers)
        cls.env["safety.student"].create([
            {
                "name": f"Student {index} of {teacher.name}",
                "company_id": teacher.company_id.id,
                "class_name": f"Class of {teacher.name}",
                "class_teacher_id": teacher.id,
                "guardian_name": f"Guardian {index} of {teacher.name}",
            }
            for teacher in class_teachers
            for index in range(students)
        ])

    def _campaign(self, year, auto_issue):
        campaign = self.env["safety.letter.campaign"].create({
            "name": f"Campaign {year}",
            "year": year,
            "bureau_id": self.bureau.id,
            "bureau_signatory_id": self.employee_bureau.id,
            "lang": "en_US",
            "auto_issue": auto_issue,
        })
        self.env.flush_all()
        self.env.invalidate_all()
        return campaign.with_user(self.user_manager)

    def _queries(self, year, auto_issue=False):
        """(queries of the generation, of the re-run on the complete chain) of a new campaign,
        after a first campaign (year - 1000) that warms the caches up."""
        counts = []
        for campaign in (self._campaign(year - 1000, auto_issue), self._campaign(year, auto_issue)):
            counts = []
            for _run in ("generation", "re-run"):
                start = self.cr.sql_log_count
                campaign._safety_generate(sync=True)
                self.env.flush_all()
                counts.append(self.cr.sql_log_count - start)
            lines = campaign.sudo().line_ids
            self.assertEqual(set(lines.mapped("state")), {"done"})
            self.assertEqual(lines.mapped("letter_count"), lines.mapped("letter_expected"))
        return tuple(counts)

    @warmup
    def test_campaign_queries(self):
        """The two schools: generation, then the re-run on the complete chain (school A has a
        four-deep chain, school B two)."""
        for auto_issue, generation, rerun in ((False, 35, 13), (True, 104, 13)):
            campaign = self._campaign(2030 + auto_issue, auto_issue)
            with self.assertQueryCount(generation):
                campaign._safety_generate(sync=True)
            with self.assertQueryCount(rerun):
                campaign._safety_generate(sync=True)

    def test_queries_grow_by_a_constant_per_school(self):
        two = self._queries(3030)
        self._add_schools(2)
        four = self._queries(3031)
        self._add_schools(2)
        six = self._queries(3032)
        self.assertEqual((four[0] - two[0], four[1] - two[1]), (2 * 12, 2 * 3))
        self.assertEqual((six[0] - four[0], six[1] - four[1]), (2 * 12, 2 * 3))
        issue_two = self._queries(3040, auto_issue=True)
        self._add_schools(2)
        issue_four = self._queries(3041, auto_issue=True)
        self.assertLessEqual(issue_four[0] - issue_two[0], 2 * 26)
        self.assertEqual(issue_four[1] - issue_two[1], 2 * 3)

    def test_queries_do_not_grow_with_staff_and_students(self):
        heads = self._add_schools(2)
        before = (self._queries(3030), self._queries(3031, auto_issue=True))
        self._add_classes(heads, teachers=3, students=5)
        self.assertEqual((self._queries(3032), self._queries(3033, auto_issue=True)), before)
