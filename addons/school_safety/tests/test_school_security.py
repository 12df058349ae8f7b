from odoo.exceptions import AccessError
from odoo.tests import tagged, users
from odoo.tools import mute_logger

from .common import SchoolSafetyCase


@tagged("post_install", "-at_install")
class TestSchoolSecurity(SchoolSafetyCase):
    """What each role can and cannot do with schools and their staff."""

    @users("t_manager")
    def test_bureau_manager_maintains_schools(self):
        Company = self.env["res.company"]
        schools = Company.search([("safety_is_school", "=", True)])
        self.assertEqual(schools & (self.school_a | self.school_b), self.school_a | self.school_b)
        school_a = self.school_a.with_env(self.env)
        school_a.safety_enrollment_day = 1200
        self.assertEqual(school_a.safety_guards_required, 3)
        new = Company.create({
            "name": "Created by Manager",
            "parent_id": self.bureau.id,
            "safety_school_type": "vocational",
        })
        self.assertEqual(new.safety_bureau_id, self.bureau)
        self.assertIn(new, self.env.user.company_ids)
        with self.assertRaises(AccessError):
            new.unlink()
        # only schools under their own bureau: no other kind of company, no other bureau
        with self.assertRaises(AccessError):
            Company.create({"name": "Not a school", "parent_id": self.bureau.id})
        other_bureau = self.bureau.env["res.company"].create(
            {"name": "Other Bureau", "safety_is_bureau": True}
        )
        with self.assertRaises(AccessError):
            Company.create({
                "name": "Foreign school",
                "parent_id": other_bureau.id,
                "safety_school_type": "primary",
            })
        # the manager keeps the staff organisation of every school
        employee = self.env["hr.employee"].create({
            "name": "New Teacher B",
            "company_id": self.school_b.id,
            "safety_position": "teacher",
            "parent_id": self.employee_principal_b.id,
        })
        self.assertEqual(employee.company_id, self.school_b)

    @users("t_inspector", "t_finance")
    def test_bureau_roles_read_every_school_but_do_not_edit(self):
        Company = self.env["res.company"]
        found = Company.search([("id", "in", (self.school_a | self.school_b).ids)])
        self.assertEqual(found, self.school_a | self.school_b)
        self.assertEqual(found.mapped("safety_guards_required"), [2, 2])
        with self.assertRaises(AccessError):
            self.school_a.with_env(self.env).write({"safety_enrollment_day": 10})
        with self.assertRaises(AccessError):
            Company.create({"name": "Nope", "parent_id": self.bureau.id, "safety_school_type": "primary"})
        with self.assertRaises(AccessError):
            self.env["hr.employee"].create({"name": "Nope", "company_id": self.school_a.id})

    @users("t_principal_a")
    def test_principal_sees_only_own_school(self):
        Company = self.env["res.company"]
        # by search
        self.assertEqual(Company.search([("safety_is_school", "=", True)]), self.school_a)
        self.assertFalse(Company.search([("name", "=", self.school_b.name)]))
        # by id
        with self.assertRaises(AccessError):
            self.school_b.with_env(self.env).read(["name"])
        with self.assertRaises(AccessError):
            self.school_b.with_env(self.env).safety_principal_id  # noqa: B018
        # the principal cannot edit even their own school's profile (the bureau does)
        with self.assertRaises(AccessError):
            self.school_a.with_env(self.env).write({"safety_enrollment_day": 5})
        with self.assertRaises(AccessError):
            self.school_b.with_env(self.env).write({"safety_enrollment_day": 5})

    @users("t_principal_a")
    def test_principal_keeps_own_staff_not_other_schools(self):
        Employee = self.env["hr.employee"]
        own = Employee.search([])
        self.assertIn(self.employee_guard_a, own)
        self.assertNotIn(self.employee_guard_b, own)
        self.assertNotIn(self.employee_principal_b, own)
        # through related fields in a domain
        self.assertFalse(Employee.search([("company_id.name", "=", self.school_b.name)]))
        self.assertFalse(Employee.search([("parent_id", "=", self.employee_principal_b.id)]))
        # by id: read, write, delete
        guard_b = self.employee_guard_b.with_env(self.env)
        with self.assertRaises(AccessError):
            guard_b.read(["name"])
        with self.assertRaises(AccessError):
            guard_b.write({"safety_position": "teacher"})
        with self.assertRaises(AccessError):
            guard_b.unlink()
        # creating staff in another school is refused
        with self.assertRaises(AccessError):
            Employee.create({"name": "Intruder", "company_id": self.school_b.id})
        # own staff can be kept
        teacher = Employee.create({
            "name": "New Teacher A",
            "company_id": self.school_a.id,
            "safety_position": "teacher",
            "parent_id": self.employee_principal_a.id,
        })
        teacher.safety_position = "class_teacher"
        self.assertEqual(teacher.parent_id, self.employee_principal_a)
        # the public directory does not leak the other school either
        public = self.env["hr.employee.public"].search([])
        self.assertNotIn(self.employee_guard_b.id, public.ids)

    @users("t_principal_a")
    def test_principal_cannot_switch_into_other_school(self):
        with self.assertRaises(AccessError):
            self.env["res.company"].with_context(
                allowed_company_ids=[self.school_b.id]
            ).search([])

    @users("t_officer_a", "t_staff_a", "t_guard_a")
    def test_school_roles_read_own_school_only_and_edit_nothing(self):
        Company = self.env["res.company"]
        self.assertEqual(Company.search([("safety_is_school", "=", True)]), self.school_a)
        self.assertEqual(self.school_a.with_env(self.env).safety_school_type, "primary")
        with self.assertRaises(AccessError):
            self.school_a.with_env(self.env).write({"safety_enrollment_day": 1})
        with self.assertRaises(AccessError):
            self.school_b.with_env(self.env).read(["name"])
        # no HR officer rights: no employee records, no staff creation
        with self.assertRaises(AccessError):
            self.env["hr.employee"].create({"name": "Nope", "company_id": self.school_a.id})
        with self.assertRaises(AccessError):
            self.employee_guard_a.with_env(self.env).write({"safety_position": "teacher"})
        public = self.env["hr.employee.public"].search([])
        self.assertNotIn(self.employee_guard_b.id, public.ids)

    def test_role_groups_imply_only_what_they_need(self):
        ref = self.env.ref
        staff = ref("school_safety.group_school_staff")
        officer = ref("school_safety.group_school_safety_officer")
        principal = ref("school_safety.group_school_principal")
        guard = ref("school_safety.group_security_guard")
        inspector = ref("school_safety.group_bureau_inspector")
        finance = ref("school_safety.group_bureau_finance")
        manager = ref("school_safety.group_bureau_manager")
        hr_user = ref("hr.group_hr_user")
        system = ref("base.group_system")
        erp_manager = ref("base.group_erp_manager")
        for group in (staff, officer, principal, guard, inspector, finance, manager):
            implied = group.trans_implied_ids
            self.assertNotIn(system, implied, group.name)
            self.assertNotIn(erp_manager, implied, group.name)
        self.assertIn(staff, guard.trans_implied_ids)
        self.assertNotIn(officer, guard.trans_implied_ids)
        self.assertIn(officer, principal.trans_implied_ids)
        self.assertIn(hr_user, principal.trans_implied_ids)
        self.assertNotIn(hr_user, officer.trans_implied_ids)
        self.assertEqual(manager.trans_implied_ids & (inspector | finance), inspector | finance)
        self.assertNotIn(manager, inspector.trans_implied_ids)
        self.assertFalse((inspector | finance).trans_implied_ids & (staff | officer | principal))

    @mute_logger("odoo.addons.base.models.ir_model")
    @users("t_staff_a")
    def test_staff_cannot_touch_roles(self):
        with self.assertRaises(AccessError):
            self.env.ref("school_safety.group_bureau_manager").write({"users": [(4, self.env.uid)]})


@tagged("post_install", "-at_install")
class TestBureauOverviewRule(SchoolSafetyCase):
    @users("t_inspector")
    def test_bureau_sees_all_schools_with_only_the_bureau_active(self):
        Company = self.env["res.company"].with_context(allowed_company_ids=[self.bureau.id])
        self.assertEqual(
            Company.search([("safety_is_school", "=", True)]) & (self.school_a | self.school_b),
            self.school_a | self.school_b,
        )

    @users("t_principal_a")
    def test_school_roles_do_not_get_the_bureau_rule(self):
        Company = self.env["res.company"].with_context(allowed_company_ids=[self.school_a.id])
        self.assertEqual(Company.search([]), self.school_a)
