"""The letter planner alone: plain data in, planned letters and gaps out, no database."""
from odoo.tests import BaseCase, tagged

from odoo.addons.school_safety.lib import letter_planner as planner

PRINCIPAL, DEPUTY, HEAD, TEACHER, CLASS_TEACHER, GUARD = 1, 2, 3, 4, 5, 6
TEMPLATES = {level: number for number, level in enumerate(planner.LEVELS, start=50)}
CAMPAIGN = planner.Campaign(year=2026, signatory_id=900, signatory_name="Bureau Head", templates=TEMPLATES)


def employee(employee_id, position, parent_id=None, name=None):
    return planner.Employee(employee_id, name or f"Employee {employee_id}", parent_id, position, 1000 + employee_id)


def student(student_id, teacher_id, class_name="Class 3-1"):
    return planner.Student(
        student_id, f"Student {student_id}", class_name, teacher_id, 2000 + student_id, f"Guardian {student_id}"
    )


def staff():
    """principal -> deputy -> office head -> teacher and class teacher; a guard under the principal."""
    return [
        employee(PRINCIPAL, "principal", name="Principal"),
        employee(DEPUTY, "deputy", PRINCIPAL, name="Deputy"),
        employee(HEAD, "middle_manager", DEPUTY, name="Head"),
        employee(TEACHER, "teacher", HEAD, name="Teacher"),
        employee(CLASS_TEACHER, "class_teacher", HEAD, name="Class Teacher"),
        employee(GUARD, "guard", PRINCIPAL, name="Guard"),
    ]


def school(employees=None, students=None, principal_id=PRINCIPAL, letters=None):
    employees = staff() if employees is None else employees
    students = [student(21, CLASS_TEACHER), student(22, CLASS_TEACHER)] if students is None else students
    return planner.School(
        id=10,
        name="School A",
        principal_id=principal_id,
        employees={e.id: e for e in employees},
        students=tuple(students),
        letters=letters or {},
    )


def existing(*plans_or_keys):
    """{(level, key): id} of letters already written: given as planned letters or (level, key)."""
    letters = {}
    for item in plans_or_keys:
        key = (item.level, item.party_key) if isinstance(item, planner.PlannedLetter) else item
        letters[key] = 500 + len(letters)
    return letters


@tagged("at_install")
class TestLetterPlanner(BaseCase):
    def by_key(self, letters):
        return {letter.party_key: letter for letter in letters}

    def assertParentsFirst(self, letters):
        seen = set()
        for letter in letters:
            if letter.parent_id is None and letter.parent_key is not None:
                self.assertIn(letter.parent_key, seen, f"{letter.name} comes before the letter above it")
            seen.add(letter.party_key)
        self.assertEqual([letter.depth for letter in letters], sorted(letter.depth for letter in letters))

    # ------------------------------------------------------------------ the chain

    def test_four_level_chain(self):
        plan = planner.plan_school(school(), CAMPAIGN)
        self.assertEqual(plan.gaps, ())
        letters = self.by_key(plan.letters)
        self.assertEqual(len(plan.letters), 8)
        self.assertEqual(
            {key: (letter.level, letter.parent_key, letter.depth) for key, letter in letters.items()},
            {
                "e1": ("bureau_principal", None, 0),
                "e2": ("principal_deputy", "e1", 1),
                "e6": ("middle_staff", "e1", 1),
                "e3": ("deputy_middle", "e2", 2),
                "e4": ("middle_staff", "e3", 3),
                "e5": ("middle_staff", "e3", 3),
                "s21": ("class_teacher_guardian", "e5", 4),
                "s22": ("class_teacher_guardian", "e5", 4),
            },
        )
        self.assertParentsFirst(plan.letters)
        # the bureau signs with the principal; everybody else with the person they report to
        principal = letters["e1"]
        self.assertEqual(
            (principal.party_a_employee_id, principal.party_a_name, principal.party_b_employee_id),
            (900, "Bureau Head", PRINCIPAL),
        )
        self.assertEqual(principal.name, "2026 Bureau Head — Principal")
        head = letters["e3"]
        self.assertEqual((head.party_a_employee_id, head.party_a_name), (DEPUTY, "Deputy"))
        self.assertEqual((head.party_b_employee_id, head.party_b_partner_id, head.party_b_name), (HEAD, 1003, "Head"))
        self.assertEqual((head.student_id, head.class_name), (None, None))
        self.assertEqual(head.name, "2026 Deputy — Head")
        # the class teacher signs with each student's guardian
        guardian = letters["s21"]
        self.assertEqual(
            (guardian.party_a_employee_id, guardian.party_a_name, guardian.party_b_employee_id),
            (CLASS_TEACHER, "Class Teacher", None),
        )
        self.assertEqual((guardian.party_b_partner_id, guardian.party_b_name), (2021, "Guardian 21"))
        self.assertEqual((guardian.student_id, guardian.class_name), (21, "Class 3-1"))
        self.assertEqual(guardian.name, "2026 Class Teacher — Guardian 21 (Student 21)")
        # each level's template; nothing exists yet, so no parent is known by id
        self.assertEqual({letter.template_id for letter in plan.letters if letter.level == "middle_staff"}, {53})
        self.assertEqual(guardian.template_id, 54)
        self.assertTrue(all(letter.parent_id is None for letter in plan.letters))

    def test_depths_whatever_the_reading_order(self):
        """Read deepest first, each walk up the reporting lines crosses several people at once."""
        in_order = planner.plan_school(school(), CAMPAIGN)
        reversed_plan = planner.plan_school(school(staff()[::-1]), CAMPAIGN)
        self.assertEqual(
            {letter.party_key: letter.depth for letter in reversed_plan.letters},
            {"e1": 0, "e2": 1, "e6": 1, "e3": 2, "e4": 3, "e5": 3, "s21": 4, "s22": 4},
        )
        self.assertParentsFirst(reversed_plan.letters)
        self.assertEqual(set(reversed_plan.letters), set(in_order.letters))

    def test_guardians_under_a_shallow_class_teacher_come_before_deeper_staff(self):
        employees = [*staff(), employee(7, "class_teacher", PRINCIPAL)]
        plan = planner.plan_school(school(employees, [student(21, 7), student(22, CLASS_TEACHER)]), CAMPAIGN)
        self.assertParentsFirst(plan.letters)
        keys = [letter.party_key for letter in plan.letters]
        self.assertLess(keys.index("s21"), keys.index("e4"))
        self.assertEqual(self.by_key(plan.letters)["s21"].depth, 2)

    def test_other_positions_sign_with_their_manager(self):
        employees = [
            employee(PRINCIPAL, "principal"),
            employee(2, "logistics", PRINCIPAL),
            employee(3, "middle_manager", PRINCIPAL),
            employee(4, "deputy", 3),
        ]
        letters = self.by_key(planner.plan_school(school(employees, []), CAMPAIGN).letters)
        # the level follows the position, wherever the person sits in the hierarchy
        self.assertEqual(
            {key: letter.level for key, letter in letters.items()},
            {"e1": "bureau_principal", "e2": "middle_staff", "e3": "deputy_middle", "e4": "principal_deputy"},
        )
        self.assertEqual(letters["e4"].party_a_employee_id, 3)

    def test_school_with_only_a_principal(self):
        plan = planner.plan_school(school([employee(PRINCIPAL, "principal")], []), CAMPAIGN)
        self.assertEqual([(letter.level, letter.party_key) for letter in plan.letters], [("bureau_principal", "e1")])

    def test_teacher_without_class(self):
        """A class teacher without students signs their own letter and no guardian's."""
        plan = planner.plan_school(school(students=[]), CAMPAIGN)
        self.assertEqual(plan.gaps, ())
        self.assertEqual(
            [(letter.party_key, letter.level) for letter in plan.letters],
            [
                ("e1", "bureau_principal"),
                ("e2", "principal_deputy"),
                ("e6", "middle_staff"),
                ("e3", "deputy_middle"),
                ("e4", "middle_staff"),
                ("e5", "middle_staff"),
            ],
        )

    def test_principal_reporting_upwards_is_ignored(self):
        employees = [employee(PRINCIPAL, "principal", parent_id=77), *staff()[1:]]
        plan = planner.plan_school(school(employees), CAMPAIGN)
        self.assertEqual(plan.gaps, ())
        principal = self.by_key(plan.letters)["e1"]
        self.assertEqual((principal.parent_key, principal.party_a_employee_id), (None, 900))

    # ---------------------------------------------------------------- only the gaps

    def test_only_missing_letters_planned(self):
        full = planner.plan_school(school(), CAMPAIGN).letters
        by_key = self.by_key(full)
        letters = existing(by_key["e1"], by_key["e2"], by_key["s21"])
        plan = planner.plan_school(school(letters=letters), CAMPAIGN)
        self.assertEqual([letter.party_key for letter in plan.letters], ["e6", "e3", "e4", "e5", "s22"])
        planned = self.by_key(plan.letters)
        # a letter below an existing one points at it; below a planned one, at its key only
        self.assertEqual(
            {key: (letter.parent_key, letter.parent_id) for key, letter in planned.items()},
            {
                "e6": ("e1", letters[("bureau_principal", "e1")]),
                "e3": ("e2", letters[("principal_deputy", "e2")]),
                "e4": ("e3", None),
                "e5": ("e3", None),
                "s22": ("e5", None),
            },
        )
        self.assertFalse(planner.is_complete(school(letters=letters)))

    def test_complete_chain_plans_nothing(self):
        letters = existing(*planner.plan_school(school(), CAMPAIGN).letters)
        complete = school(letters=letters)
        self.assertTrue(planner.is_complete(complete))
        self.assertEqual(planner.plan_school(complete, CAMPAIGN), planner.SchoolPlan((), ()))
        self.assertFalse(planner.is_complete(school()))

    def test_each_missing_letter_makes_the_school_incomplete(self):
        full = planner.plan_school(school(), CAMPAIGN).letters
        for lost in full:
            with self.subTest(lost=lost.party_key):
                letters = existing(*(letter for letter in full if letter is not lost))
                self.assertFalse(planner.is_complete(school(letters=letters)))
                plan = planner.plan_school(school(letters=letters), CAMPAIGN)
                self.assertEqual([letter.party_key for letter in plan.letters], [lost.party_key])
                self.assertEqual(plan.letters[0].level, lost.level)

    def test_joiners(self):
        letters = existing(*planner.plan_school(school(), CAMPAIGN).letters)
        joiner = employee(7, "teacher", HEAD, name="New Teacher")
        new_student = student(23, TEACHER, class_name="Class 2-1")
        students = [student(21, CLASS_TEACHER), student(22, CLASS_TEACHER), new_student]
        grown = school([*staff(), joiner], students, letters=letters)
        self.assertFalse(planner.is_complete(grown))
        plan = planner.plan_school(grown, CAMPAIGN)
        self.assertEqual(
            [(letter.party_key, letter.level, letter.parent_id) for letter in plan.letters],
            [
                ("e7", "middle_staff", letters[("deputy_middle", "e3")]),
                ("s23", "class_teacher_guardian", letters[("middle_staff", "e4")]),
            ],
        )
        self.assertEqual(plan.letters[0].name, "2026 Head — New Teacher")
        self.assertEqual(plan.letters[1].class_name, "Class 2-1")

    def test_leavers(self):
        """A leaver is no longer read (archived): their letter is kept (superseded) and asks
        for nothing; who reported to them now has a gap."""
        letters = existing(*planner.plan_school(school(), CAMPAIGN).letters)
        without_guard = [e for e in staff() if e.id != GUARD]
        self.assertTrue(planner.is_complete(school(without_guard, letters=letters)))
        self.assertEqual(planner.plan_school(school(without_guard, letters=letters), CAMPAIGN).letters, ())
        without_head = [e for e in staff() if e.id != HEAD]
        self.assertEqual(
            planner.find_gaps(school(without_head, letters=letters)),
            (
                planner.ReportsOutside("School A", "Teacher", HEAD),
                planner.ReportsOutside("School A", "Class Teacher", HEAD),
            ),
        )
        # a student who left: the guardian's letter asks for nothing either
        self.assertTrue(planner.is_complete(school(students=[student(21, CLASS_TEACHER)], letters=letters)))

    def test_promoted_employee_gets_the_letter_of_the_new_level(self):
        letters = existing(*planner.plan_school(school(), CAMPAIGN).letters)
        promoted = [
            e._replace(position="middle_manager", parent_id=DEPUTY) if e.id == CLASS_TEACHER else e for e in staff()
        ]
        plan = planner.plan_school(school(promoted, letters=letters), CAMPAIGN)
        self.assertEqual([(letter.party_key, letter.level) for letter in plan.letters], [("e5", "deputy_middle")])
        self.assertEqual(plan.letters[0].parent_id, letters[("principal_deputy", "e2")])

    # ------------------------------------------------------------------------ gaps

    def test_no_principal(self):
        employees = [e for e in staff() if e.id != PRINCIPAL]
        plan = planner.plan_school(school(employees, principal_id=None), CAMPAIGN)
        self.assertEqual(plan.letters, ())
        self.assertEqual(
            plan.gaps,
            (
                planner.NoPrincipal("School A"),
                planner.ReportsOutside("School A", "Deputy", PRINCIPAL),
                planner.ReportsOutside("School A", "Guard", PRINCIPAL),
            ),
        )

    def test_principal_outside_the_organisation(self):
        employees = [e for e in staff() if e.id != PRINCIPAL]
        gaps = planner.find_gaps(school(employees))
        self.assertEqual(gaps[0], planner.PrincipalOutside("School A", PRINCIPAL))

    def test_second_principal_and_nobody_above(self):
        employees = [
            *staff(),
            employee(7, "principal", PRINCIPAL, name="Other Principal"),
            employee(8, "guard", name="Lone Guard"),
        ]
        plan = planner.plan_school(school(employees), CAMPAIGN)
        self.assertEqual(
            plan.gaps,
            (planner.ExtraPrincipal("School A", "Other Principal"), planner.ReportsToNobody("School A", "Lone Guard")),
        )
        self.assertEqual(plan.letters, ())

    def test_loop_reported_once(self):
        # head -> teacher -> head, and the class teacher below the loop
        employees = [e._replace(parent_id=TEACHER) if e.id == HEAD else e for e in staff()]
        gaps = planner.find_gaps(school(employees))
        self.assertEqual(gaps, (planner.ReportingLoop("School A", ("Head", "Teacher", "Head")),))
        self.assertEqual(planner.plan_school(school(employees), CAMPAIGN).letters, ())

    def test_reporting_to_oneself_is_a_loop(self):
        employees = [e._replace(parent_id=GUARD) if e.id == GUARD else e for e in staff()]
        self.assertEqual(planner.find_gaps(school(employees)), (planner.ReportingLoop("School A", ("Guard", "Guard")),))

    def test_class_teacher_outside_the_organisation(self):
        students = [student(21, CLASS_TEACHER), student(22, 88), student(23, 88), student(24, 89)]
        gaps = planner.find_gaps(school(students=students))
        self.assertEqual(
            gaps,
            (
                planner.TeacherOutside("School A", 88, ("Student 22", "Student 23")),
                planner.TeacherOutside("School A", 89, ("Student 24",)),
            ),
        )

    def test_every_gap_is_listed(self):
        employees = [
            *(e for e in staff() if e.id != PRINCIPAL),
            employee(7, "guard", 99, name="Guard Two"),
        ]
        gaps = planner.find_gaps(school(employees, [student(21, 88)]))
        self.assertEqual(
            [type(gap) for gap in gaps],
            [
                planner.PrincipalOutside,
                planner.ReportsOutside,  # the deputy
                planner.ReportsOutside,  # the guard
                planner.ReportsOutside,  # guard two
                planner.TeacherOutside,
            ],
        )

    def test_campaign_gaps(self):
        self.assertEqual(planner.campaign_gaps(CAMPAIGN), ())
        partial = CAMPAIGN._replace(signatory_id=None, signatory_name=None, templates={"middle_staff": 53})
        self.assertEqual(
            planner.campaign_gaps(partial),
            (
                planner.NoSignatory(),
                planner.NoTemplate("bureau_principal"),
                planner.NoTemplate("principal_deputy"),
                planner.NoTemplate("deputy_middle"),
                planner.NoTemplate("class_teacher_guardian"),
            ),
        )
