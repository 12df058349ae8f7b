import logging

from odoo import Command, api, models

_logger = logging.getLogger(__name__)

# Held drills and given trainings, with the login of the school's safety officer who
# records them (None: that school's officer has no demo login; the server records it).
DRILLS_DONE = (
    ("drill_primary_fire_demo", "officer"),
    ("drill_junior_earthquake_demo", "principal2"),
    ("drill_kindergarten_tabletop_demo", None),
    ("drill_senior_fire_demo", None),
    ("drill_primary_earthquake_demo", "officer"),
    ("drill_junior_night_fire_demo", "principal2"),
)
# The fire drill's problem in the ledger: rectified before the next drill and closed.
DRILL_HAZARD = {
    "by": "officer", "days": 39, "owner": "officer", "rechecker": "principal", "deadline": 33,
    "measure": "将堆放的体育器材移至器材室，楼梯拐角张贴禁止堆放标识，纳入每日巡查。",
    "requirement": "疏散通道和楼梯拐角不得堆放任何物品。",
    "rectification": ("体育器材已移至器材室，东楼梯三楼拐角已清空并张贴禁止堆放标识。", 0),
    "until": "closed",
}

EMP = "school_safety.employee_%s_demo"
# The year's sessions: key -> (school or None for the bureau, course, days ago, who records
# it (None: that school's officer has no demo login), title, trainer (None: internal, the
# employee given), attendees (None: everyone the course is required of), absent, excused,
# scores). The first five are the demo file's records.
SESSIONS = {
    "training_primary_fire_demo": (
        "primary", "fire_safety", 60, "officer", None, None, None, ("primary_teacher_4",), (), {}),
    "training_primary_evacuation_demo": (
        "primary", "evacuation_guiding", 200, "officer", "全体教职工疏散引导培训", "primary_head_safety", None,
        (), (), {}),
    "training_primary_drowning_demo": (
        "primary", "drowning_prevention", 340, "officer", "班主任防溺水安全教育培训", "区应急管理局", None, (), (), {}),
    "training_kindergarten_intrusion_demo": (
        "kindergarten", "anti_intrusion", 35, None, None, None,
        ("kindergarten_deputy_safety", "kindergarten_head_safety", "kindergarten_guard_1", "kindergarten_guard_2",
         "kindergarten_teacher_1"), (), (), {}),
    "training_kindergarten_fire_demo": (
        "kindergarten", "fire_safety", 150, None, "消防安全知识培训", "临江区消防救援大队", None, (), (), {}),
    "training_kindergarten_evacuation_demo": (
        "kindergarten", "evacuation_guiding", 100, None, "幼儿疏散引导培训", "kindergarten_head_safety", None, (),
        ("kindergarten_teacher_3",), {}),
    "training_junior_evacuation_demo": (
        "junior", "evacuation_guiding", 30, "principal2", None, None, None, (), (), {}),
    "training_junior_fire_demo": (
        "junior", "fire_safety", 355, "principal2", "消防安全知识与灭火器实操培训", "临江区消防救援大队", None, (), (),
        {}),
    "training_junior_drowning_demo": (
        "junior", "drowning_prevention", 90, "principal2", "班主任防溺水安全教育培训", "junior_head_safety", None,
        ("junior_teacher_2",), (), {}),
    "training_senior_food_demo": (
        "senior", "food_safety", 10, None, None, None, ("senior_head_general", "senior_logistics_1"), (), (), {}),
    "training_senior_fire_demo": (
        "senior", "fire_safety", 120, None, "消防安全知识培训", "临江区消防救援大队", None, (), (), {}),
    "training_senior_evacuation_demo": (
        "senior", "evacuation_guiding", 300, None, "教学楼与实验楼疏散引导培训", "senior_head_safety", None,
        ("senior_teacher_3",), (), {}),
    # the bureau's sessions for the staff of its schools: the guards' duty (one guard failed
    # the test) and the canteen staff's food safety
    "training_bureau_guard_demo": (
        None, "guard_duty", 45, "manager", "全区学校保安岗位技能培训", "区公安分局治安大队", None, (), (), {
            "kindergarten_guard_1": 82, "kindergarten_guard_2": 76, "primary_guard_1": 91, "primary_guard_2": 85,
            "primary_guard_3": 78, "junior_guard_1": 88, "junior_guard_2": 73, "junior_guard_3": 55,
            "senior_guard_1": 90, "senior_guard_2": 80, "senior_guard_3": 69,
        }),
    "training_bureau_food_demo": (
        None, "food_safety", 200, "manager", "全区学校食堂从业人员食品安全培训", "区市场监督管理局", None, (), (), {}),
}
FIRST_AID_EXPECTED = ("primary_teacher_1", "primary_teacher_2", "primary_teacher_4", "primary_guard_1")
# Health certificates of the canteen staff, from the health authority: (employee, issued days
# ago, number). The kindergarten cook's expired two weeks ago; the senior school's expires soon.
HEALTH_CERTIFICATES = (
    ("kindergarten_logistics_1", 380, "JK2025-031877"),
    ("primary_logistics_1", 100, "JK2025-104522"),
    ("senior_logistics_1", 340, "JK2025-047310"),
)


class SafetyDemoBuilder(models.AbstractModel):
    _inherit = "safety.demo.builder"

    @api.model
    def _safety_demo_training_records(self):
        """A year of training records: each session's attendance taken and marked done by
        whoever records it, the canteen staff's outside health certificates, then the daily
        reminder job of today: most staff valid, one school's fire safety about to lapse, a few
        missing (absent, excused, failed), the kindergarten cook's health certificate expired."""
        self._safety_demo_load_terms("safety_training")
        Training = self.env["safety.training"]
        bureau = self.env.ref("base.main_company")
        for key, (school, course, days, login, title, trainer, attendees, absent, excused, scores) in \
                SESSIONS.items():
            training = self.env.ref(f"safety_training.{key}", raise_if_not_found=False)
            if not training:
                values = {
                    "name": title,
                    "company_id": (self.env.ref(f"school_safety.school_{school}_demo") if school else bureau).id,
                    "course_id": self.env.ref(f"safety_training.course_{course}").id,
                    "date": self._safety_demo_date(days),
                    "location": "学校报告厅" if school else "区教师发展中心",
                }
                if trainer and self.env.ref(EMP % trainer, raise_if_not_found=False):
                    values.update(trainer_type="internal", trainer_employee_id=self.env.ref(EMP % trainer).id)
                else:
                    values.update(trainer_type="external", trainer=trainer)
                training = (self._safety_demo_step(Training, login) if login else Training).create(values)
                self.env["ir.model.data"]._update_xmlids([{
                    "xml_id": f"safety_training.{key}", "record": training, "noupdate": True,
                }])
            training = self._safety_demo_step(training, login) if login else training
            if attendees is None:
                training.action_add_required_staff()
                training.attendance_ids.write({"status": "present"})
            else:
                training.write({"attendance_ids": [
                    Command.create({"employee_id": self.env.ref(EMP % name).id}) for name in attendees
                ]})
            lines = {line.employee_id.id: line for line in training.attendance_ids}
            for names, status in ((absent, "absent"), (excused, "excused")):
                for name in names:
                    lines[self.env.ref(EMP % name).id].status = status
            for name, score in scores.items():
                lines[self.env.ref(EMP % name).id].score = score
            self._safety_demo_request()
            training.action_done()
        # the first-aid session to come: who is expected, for the officer to take on the day
        self._safety_demo_step(self.env.ref("safety_training.training_primary_first_aid_demo"), "officer").write({
            "attendance_ids": [Command.create({"employee_id": self.env.ref(EMP % name).id, "status": "expected"})
                               for name in FIRST_AID_EXPECTED],
        })
        Certificate = self.env["safety.training.certificate"]
        health = self.env.ref("safety_training.course_health_certificate")
        for name, days, number in HEALTH_CERTIFICATES:
            employee = self.env.ref(EMP % name)
            login = {"primary": "officer"}.get(name.split("_")[0])
            (self._safety_demo_step(Certificate, login) if login else Certificate).create({
                "employee_id": employee.id,
                "course_id": health.id,
                "name": number,
                "issuer": "临江区疾病预防控制中心",
                "issue_date": self._safety_demo_date(days),
                "scan": self._safety_demo_image(number, kind="photo"),
                "scan_filename": f"{number}.png",
            })
        self._safety_demo_request()
        result = self.env["safety.training.compliance"].with_context(lang="zh_CN")._cron_remind(
            today=self._safety_demo_today()
        )
        states = dict(self.env["safety.training.compliance"]._read_group([], ["state"], ["__count"]))
        _logger.info("Demo training records: %s; reminders %s", states, result)

    @api.model
    def _safety_demo_training(self):
        """The term's drills and trainings completed by whoever records them (the year's
        training records: ``_safety_demo_training_records``); the problem the primary school's
        fire drill found goes to the ledger and is rectified and closed."""
        for xmlid, login in DRILLS_DONE:
            drill = self.env.ref(f"safety_training.{xmlid}")
            self._safety_demo_request()
            (self._safety_demo_step(drill, login) if login else drill).action_done()
        self._safety_demo_training_records()
        fire = self.env.ref("safety_training.drill_primary_fire_demo")
        hazard = fire.problem_ids.hazard_id
        self._safety_demo_hazard_flow(hazard, DRILL_HAZARD)
        self.env["ir.model.data"]._update_xmlids([{
            "xml_id": "safety_training.safety_hazard_drill_stairs_demo", "record": hazard, "noupdate": True,
        }])
        self._safety_demo_request()
        drills = dict(self.env["safety.drill"]._read_group([], ["state"], ["__count"]))
        _logger.info(
            "Demo drills and trainings: %d drills done, %d planned, %d trainings done, the fire "
            "drill's hazard %s",
            drills.get("done", 0), drills.get("planned", 0),
            self.env["safety.training"].search_count([("state", "=", "done")]), hazard.state,
        )
