"""The plan of a responsibility-letter campaign, school by school, in plain Python.

The four-level chain (DOMAIN.md, section 1): the bureau signs with each school's principal,
everybody else of the school's safety organisation signs with the person they report to
(principal -> deputies -> middle managers -> staff), and each student's class teacher signs
with the student's guardian.

Given what the campaign read of one school (its organisation, its students and the letters
the campaign already has there), the planner finds the gaps that stop the campaign and lists
the letters still missing, parents before children. It knows nothing of the database: the
campaign reads, the planner decides, ``safety.letter`` writes. Gaps are values, not
sentences: the campaign words them in the user's language.
"""
from dataclasses import dataclass
from typing import NamedTuple

PRINCIPAL_LEVEL = "bureau_principal"
GUARDIAN_LEVEL = "class_teacher_guardian"
# Letter level of an employee by their safety position (the school's principal: PRINCIPAL_LEVEL).
POSITION_LEVEL = {
    "deputy": "principal_deputy",
    "middle_manager": "deputy_middle",
    "class_teacher": "middle_staff",
    "teacher": "middle_staff",
    "logistics": "middle_staff",
    "guard": "middle_staff",
}
# Every level a campaign writes, from the top of the chain down: each needs a template.
LEVELS = (PRINCIPAL_LEVEL, "principal_deputy", "deputy_middle", "middle_staff", GUARDIAN_LEVEL)


# ------------------------------------------------------------------ what the planner reads

class Employee(NamedTuple):
    """An active member of a school's safety organisation (any position but the bureau's)."""

    id: int
    name: str
    parent_id: int | None
    position: str
    contact_id: int | None


class Student(NamedTuple):
    """An active student; their guardian signs with their class teacher."""

    id: int
    name: str
    class_name: str | None
    teacher_id: int | None
    guardian_id: int | None
    guardian_name: str | None


class School(NamedTuple):
    """What the campaign read of one school."""

    id: int
    name: str
    principal_id: int | None
    employees: dict  # {employee id: Employee}, in a stable order
    students: tuple  # (Student, ...)
    letters: dict  # the campaign's letters of the school: {(level, party key): letter id}


class Campaign(NamedTuple):
    """What the planner needs of the campaign."""

    year: int
    signatory_id: int | None  # the bureau's signatory, party A of the principals' letters
    signatory_name: str | None
    templates: dict  # {level: id of the template in the campaign's language}


# ----------------------------------------------------------------------- what it returns

class PlannedLetter(NamedTuple):
    """One letter to create.

    ``parent_key`` is the party key of the letter above it (None for a principal's letter);
    ``parent_id`` is that letter's id when it exists already, else None: it is then planned
    too, at a smaller ``depth``, and written first.
    """

    depth: int
    level: str
    template_id: int | None
    party_key: str
    parent_key: str | None
    parent_id: int | None
    party_a_employee_id: int | None
    party_a_name: str | None
    party_b_employee_id: int | None
    party_b_partner_id: int | None
    party_b_name: str | None
    student_id: int | None
    class_name: str | None
    name: str


class SchoolPlan(NamedTuple):
    """The gaps of a school and, when it has none, the letters to create there."""

    gaps: tuple
    letters: tuple  # (PlannedLetter, ...) sorted by depth: parents before children


# Gaps are frozen dataclasses: equal only to a gap of the same kind (named tuples of the
# same values would be equal whatever their kind).

# Gaps of the campaign itself
@dataclass(frozen=True)
class NoSignatory:
    """Nobody signs the principals' letters for the bureau."""


@dataclass(frozen=True)
class NoTemplate:
    """No active template of ``level`` in the campaign's language."""

    level: str


# Gaps of one school: ``school`` is its name. ``outsider_id``: an employee who is not an
# active member of the school's organisation (the campaign looks their name up).
@dataclass(frozen=True)
class SchoolGap:
    school: str


@dataclass(frozen=True)
class PersonGap(SchoolGap):
    """A gap about one member of the organisation, ``name``."""

    name: str


class NoPrincipal(SchoolGap):
    pass


@dataclass(frozen=True)
class PrincipalOutside(SchoolGap):
    outsider_id: int


class ExtraPrincipal(PersonGap):
    """In the principal position, but not the school's principal."""


class ReportsToNobody(PersonGap):
    pass


@dataclass(frozen=True)
class ReportsOutside(PersonGap):
    outsider_id: int


@dataclass(frozen=True)
class ReportingLoop(SchoolGap):
    """``names``: the people of the loop in reporting order, the first one again at the end."""

    names: tuple


@dataclass(frozen=True)
class TeacherOutside(SchoolGap):
    """Students (their names) whose class teacher is not a member of the organisation."""

    outsider_id: int | None
    students: tuple


# ------------------------------------------------------------------------------ planning

def employee_key(employee_id):
    return f"e{employee_id}"


def student_key(student_id):
    return f"s{student_id}"


def campaign_gaps(campaign):
    """The gaps of the campaign itself: a signatory, a template for every level."""
    gaps = [] if campaign.signatory_id else [NoSignatory()]
    gaps += [NoTemplate(level) for level in LEVELS if not campaign.templates.get(level)]
    return tuple(gaps)


def find_gaps(school):
    """The gaps that stop the campaign at ``school`` (empty when its chain can be planned)."""
    return _walk(school)[0]


def is_complete(school):
    """Whether every member and every student of ``school`` has their letter already."""
    letters = school.letters
    return all(
        _employee_letter(school, employee) in letters for employee in school.employees.values()
    ) and all((GUARDIAN_LEVEL, student_key(student.id)) in letters for student in school.students)


def plan_school(school, campaign):
    """The school's gaps, or the letters it still misses (parents before children)."""
    gaps, depth = _walk(school)
    if gaps:
        return SchoolPlan(gaps, ())
    employees = school.employees
    letters = []

    def planned(at, level, key, above, party_a, **party_b):
        """Plan the letter (level, key) at depth ``at``; ``above``: (level, key) of the letter
        above it, or None; ``party_a``: (employee id, name)."""
        letters.append(PlannedLetter(
            depth=at,
            level=level,
            template_id=campaign.templates.get(level),
            party_key=key,
            parent_key=above[1] if above else None,
            parent_id=school.letters.get(above) if above else None,
            party_a_employee_id=party_a[0],
            party_a_name=party_a[1],
            **party_b,
        ))

    for employee in sorted(employees.values(), key=lambda e: depth[e.id]):
        level, key = _employee_letter(school, employee)
        if (level, key) in school.letters:
            continue
        if employee.id == school.principal_id:
            above, party_a = None, (campaign.signatory_id, campaign.signatory_name)
        else:
            manager = employees[employee.parent_id]
            above, party_a = _employee_letter(school, manager), (manager.id, manager.name)
        planned(
            depth[employee.id], level, key, above, party_a,
            party_b_employee_id=employee.id,
            party_b_partner_id=employee.contact_id,
            party_b_name=employee.name,
            student_id=None,
            class_name=None,
            name=f"{campaign.year} {party_a[1]} — {employee.name}",
        )
    for student in school.students:
        key = student_key(student.id)
        if (GUARDIAN_LEVEL, key) in school.letters:
            continue
        teacher = employees[student.teacher_id]
        planned(
            depth[teacher.id] + 1, GUARDIAN_LEVEL, key, _employee_letter(school, teacher),
            (teacher.id, teacher.name),
            party_b_employee_id=None,
            party_b_partner_id=student.guardian_id,
            party_b_name=student.guardian_name,
            student_id=student.id,
            class_name=student.class_name,
            name=f"{campaign.year} {teacher.name} — {student.guardian_name} ({student.name})",
        )
    # a guardian's letter comes right below their class teacher's, before deeper staff letters
    return SchoolPlan((), tuple(sorted(letters, key=lambda letter: letter.depth)))


def _employee_letter(school, employee):
    """(level, party key) of the letter an employee signs as party B."""
    level = PRINCIPAL_LEVEL if employee.id == school.principal_id else POSITION_LEVEL.get(employee.position)
    return level, employee_key(employee.id)


def _walk(school):
    """(gaps, depths): the depth of every member below the principal (the principal: 0),
    found by walking up the reporting lines; a walk that comes back on itself is a loop."""
    employees = school.employees
    principal_id = school.principal_id
    gaps = []
    if not principal_id:
        gaps.append(NoPrincipal(school.name))
    elif principal_id not in employees:
        gaps.append(PrincipalOutside(school.name, principal_id))
    for employee in employees.values():
        if employee.id == principal_id:
            continue
        if employee.position == "principal":
            gaps.append(ExtraPrincipal(school.name, employee.name))
        elif not employee.parent_id:
            gaps.append(ReportsToNobody(school.name, employee.name))
        elif employee.parent_id not in employees:
            gaps.append(ReportsOutside(school.name, employee.name, employee.parent_id))
    depth = {principal_id: 0} if principal_id in employees else {}
    looped = set()
    for employee_id in employees:
        path = []
        current = employee_id
        while current in employees and current not in depth and current not in path:
            path.append(current)
            current = employees[current].parent_id
        if current in path:
            loop = path[path.index(current):]
            if not looped.intersection(loop):
                looped.update(loop)
                gaps.append(ReportingLoop(school.name, tuple(employees[e].name for e in [*loop, current])))
        elif current in depth:
            for offset, below in enumerate(reversed(path), start=1):
                depth[below] = depth[current] + offset
    outside = {}
    for student in school.students:
        if student.teacher_id not in employees:
            outside.setdefault(student.teacher_id, []).append(student.name)
    gaps += [TeacherOutside(school.name, teacher_id, tuple(names)) for teacher_id, names in outside.items()]
    return tuple(gaps), depth
