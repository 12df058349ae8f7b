import logging
from datetime import datetime, time, timedelta

import pytz
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

from .safety_demo_builder import DEMO_TZ

_logger = logging.getLogger(__name__)

DEMO_SCHOOLS = ("school_kindergarten_demo", "school_primary_demo", "school_junior_demo", "school_senior_demo")
# last month's incident of the primary school (the others had none): (day of last month, hour)
INCIDENT = {
    "school": "school_primary_demo",
    "by": "officer",
    "day": 14,
    "hour": (10, 20),
    "values": {
        "location": "操场东侧篮球场",
        "category": "accident",
        "injured_count": 1,
        "death_count": 0,
        "description": "课间操结束后，三年级一名学生在篮球场奔跑时摔倒，左前臂擦伤、手腕肿痛。",
        "measures_taken": "校医现场清创包扎并冰敷，班主任通知家长陪同到区人民医院拍片（无骨折）；"
        "当天排查篮球场地面，课间安排值班教师巡查。",
    },
    "followup": ("inspector", "请学校在本月安全例会上通报，检查各年级课间活动安排，结果报安全科。"),
}
# what the schools wrote in last month's report before their principal submitted it
REPORT_TEXT = {
    "school_primary_demo": {
        "open_problems": "教学楼四楼走廊护栏整改待局验收；南校门防冲撞桩整改延期至本月。",
        "next_month_plan": "完成护栏和防冲撞桩整改验收；开展踩踏疏散演练；组织急救培训。",
    },
    "school_junior_demo": {
        "open_problems": "男生宿舍3号楼夜间安全出口上锁问题正在整改；两名厨工健康证过期。",
        "next_month_plan": "宿舍夜间疏散演练复盘；厨工全部换证后上岗；节前安全检查。",
    },
}


class SafetyDemoBuilder(models.AbstractModel):
    _inherit = "safety.demo.builder"

    @api.model
    def _safety_demo_local(self, day, hour=9, minute=0):
        """Naive UTC datetime of ``hour:minute`` local time on ``day``."""
        local = pytz.timezone(DEMO_TZ).localize(datetime.combine(day, time(hour, minute)))
        return local.astimezone(pytz.utc).replace(tzinfo=None)

    @api.model
    def _safety_demo_incidents(self):
        """The term's start as the schools' first day in the suite, and last month's incident at
        the primary school (the others had none), reported by its safety officer, acknowledged
        and followed up by the bureau."""
        self._safety_demo_load_terms("school_safety")
        today = self._safety_demo_today()
        start = (today - timedelta(days=45)).replace(day=1)
        schools = self.env["res.company"].browse([self.env.ref(f"school_safety.{x}").id for x in DEMO_SCHOOLS])
        self._safety_demo_step(schools, "manager").write({"safety_start_date": start})
        day = (today.replace(day=1) - relativedelta(months=1)).replace(day=INCIDENT["day"])
        occurred = self._safety_demo_local(day, *INCIDENT["hour"])
        school = self.env.ref(f"school_safety.{INCIDENT['school']}")
        Incident = self._safety_demo_step(self.env["safety.incident"], INCIDENT["by"])
        incident = Incident._safety_report_incidents(
            [dict(INCIDENT["values"], company_id=school.id, occurred_at=occurred)],
            now=occurred + timedelta(minutes=35),
        )
        self.env["ir.model.data"]._update_xmlids([{
            "xml_id": "school_safety.safety_incident_primary_demo", "record": incident, "noupdate": True,
        }])
        login, note = INCIDENT["followup"]
        self._safety_demo_step(incident, login)._safety_acknowledge(now=occurred + timedelta(hours=2))
        self._safety_demo_step(self.env["safety.incident.followup"], login).create(
            {"incident_id": incident.id, "note": note}
        )
        _logger.info("Demo incidents: %s at %s, %s", incident.name, school.name, incident.state)

    @api.model
    def _safety_demo_monthly_reports(self):
        """Last month's reports made by the job on the first (no files: the demo is made without
        a web server to render them; print them from the report), the primary school's filled,
        submitted by its principal and acknowledged by the bureau, the boarding school's
        submitted and waiting for the bureau."""
        self._safety_demo_load_terms("school_safety")
        today = self._safety_demo_today()
        now = fields.Datetime.now()
        made = min(self._safety_demo_local(today.replace(day=1), 2, 0), now)
        self._safety_demo_request()
        Report = self.env["safety.monthly.report"].with_context(lang="zh_CN", tz=DEMO_TZ)
        while Report._cron_generate(render=False, now=made):
            self._safety_demo_request()
        month = today.replace(day=1) - relativedelta(months=1)
        for index, (xmlid, login, officer) in enumerate((
            ("school_primary_demo", "principal", "officer"), ("school_junior_demo", "principal2", "principal2"),
        )):
            school = self.env.ref(f"school_safety.{xmlid}")
            report = Report.search([("company_id", "=", school.id), ("month", "=", month)])
            self._safety_demo_step(report, officer).write(REPORT_TEXT[xmlid])
            submitted = min(made + timedelta(days=1, hours=7 + index), now)
            self._safety_demo_step(report, login)._safety_submit(now=submitted, render=False)
            self.env["ir.model.data"]._update_xmlids([{
                "xml_id": f"school_safety.safety_monthly_report_{xmlid.split('_')[1]}_demo",
                "record": report, "noupdate": True,
            }])
            if login == "principal":
                acknowledged = min(submitted + timedelta(hours=5), now)
                self._safety_demo_step(report, "inspector")._safety_acknowledge(now=acknowledged)
        self._safety_demo_request()
        reports = Report.search([("month", "=", month)])
        _logger.info(
            "Demo monthly reports of %s: %d made, %s", month.strftime("%Y-%m"), len(reports),
            ", ".join(f"{r.company_id.name} {r.state}" for r in reports),
        )
