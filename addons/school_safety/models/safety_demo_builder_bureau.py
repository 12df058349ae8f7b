"""The demo's bureau work of the year: the schools' safety investment (budgets, special funds,
spending) and last month's incident and monthly reports, made through the models' own actions."""
import logging
from datetime import date, datetime, time, timedelta

import pytz
from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models

from .safety_demo_builder import DEMO_TZ

_logger = logging.getLogger(__name__)

# -- safety investment
CATEGORY = "school_safety.safety_investment_category_%s"
CATEGORIES = ("guards", "physical", "technical", "fire", "repairs", "training", "insurance", "other")
# The year's budget of each school, per category (in CATEGORIES' order)
BUDGETS = {
    "school_kindergarten_demo": (80000, 10000, 15000, 6000, 10000, 3000, 5000, 2000),
    "school_primary_demo": (150000, 30000, 40000, 12000, 20000, 6000, 8000, 4000),
    "school_junior_demo": (200000, 40000, 50000, 20000, 40000, 8000, 12000, 5000),
    "school_senior_demo": (180000, 30000, 45000, 15000, 25000, 7000, 10000, 4000),
}
# The bureau's special funds: key -> (name, document number, source, amount, categories,
# {school: allocation})
FUNDS = {
    "central": (
        "中央校园安全与消防设备专项资金", "财教〔%(year)s〕18号", "subsidy", 120000,
        ("physical", "technical", "fire"),
        {"school_primary_demo": 50000, "school_junior_demo": 40000},
    ),
    "county": (
        "临江区校园安保经费", "临财教〔%(year)s〕6号", "fiscal", 400000,
        ("guards", "physical", "technical", "insurance"),
        {"school_kindergarten_demo": 60000, "school_primary_demo": 110000, "school_junior_demo": 130000,
         "school_senior_demo": 100000},
    ),
}
# Revisions after approval: school -> (reason, {category: new amount}, fully approved)
REVISIONS = {
    "school_primary_demo": (
        "围墙监控损坏、电子巡更系统需升级，技防预算由4万元调增至4.8万元。", {"technical": 48000}, True,
    ),
    "school_junior_demo": (
        "宿舍楼加装自动喷淋系统，消防设施器材预算调增1万元。", {"fire": 30000}, False,
    ),
}
# What the bureau's finance recorded so far: (school, days ago, description, category, fund, cost);
# dates are kept within the current year
SPENDING = (
    ("school_primary_demo", 290, "保安服务费（第一季度）", "guards", "county", 36000),
    ("school_primary_demo", 200, "保安服务费（第二季度）", "guards", "county", 36000),
    ("school_primary_demo", 110, "保安服务费（第三季度）", "guards", "county", 36000),
    ("school_primary_demo", 20, "保安服务费（第四季度预付）", "guards", None, 36000),
    ("school_primary_demo", 180, "视频监控系统年度维保", "technical", None, 36000),
    ("school_primary_demo", 60, "电子巡更系统升级", "technical", "central", 8500),
    ("school_primary_demo", 150, "东侧围墙加固", "physical", "central", 18000),
    ("school_primary_demo", 120, "消防器材年度检测", "fire", "central", 9800),
    ("school_primary_demo", 240, "校方责任险", "insurance", None, 7600),
    ("school_primary_demo", 45, "安全宣传展板", "other", None, 1200),
    ("school_junior_demo", 280, "保安服务费（第一季度）", "guards", "county", 45000),
    ("school_junior_demo", 190, "保安服务费（第二季度）", "guards", "county", 45000),
    ("school_junior_demo", 100, "保安服务费（第三季度）", "guards", None, 45000),
    ("school_junior_demo", 160, "宿舍楼门禁系统", "physical", "central", 22000),
    ("school_junior_demo", 130, "宿舍消防喷淋改造（一期）", "fire", "central", 15000),
    ("school_junior_demo", 170, "视频监控系统年度维保", "technical", None, 18000),
    ("school_junior_demo", 250, "校方责任险", "insurance", None, 11200),
    ("school_kindergarten_demo", 285, "保安服务费（第一季度）", "guards", "county", 18000),
    ("school_kindergarten_demo", 195, "保安服务费（第二季度）", "guards", "county", 18000),
    ("school_kindergarten_demo", 105, "保安服务费（第三季度）", "guards", "county", 18000),
    ("school_kindergarten_demo", 140, "一键报警装置", "technical", None, 6500),
    ("school_kindergarten_demo", 245, "校方责任险", "insurance", None, 4800),
    ("school_senior_demo", 283, "保安服务费（第一季度）", "guards", "county", 42000),
    ("school_senior_demo", 193, "保安服务费（第二季度）", "guards", "county", 42000),
    ("school_senior_demo", 103, "保安服务费（第三季度）", "guards", None, 42000),
    ("school_senior_demo", 165, "视频监控系统年度维保", "technical", None, 12000),
    ("school_senior_demo", 248, "校方责任险", "insurance", None, 9500),
)

# -- incidents and monthly reports
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
    def _safety_demo_investment(self):
        """The year's budget of each school prepared and submitted by finance, reviewed by
        finance and approved by the manager; two special funds allocated to the schools; one
        approved revision and one waiting for the manager; the spending finance recorded so
        far (the rectifications, drills and trainings post theirs in the other addons)."""
        self._safety_demo_load_terms("school_safety")
        year = self._safety_demo_today().year
        funds = self._safety_demo_funds(year)
        for school_xmlid, amounts in BUDGETS.items():
            budget = self._safety_demo_step(self.env["safety.budget"], "finance").create({
                "company_id": self.env.ref(f"school_safety.{school_xmlid}").id,
                "year": year,
                "line_ids": [
                    Command.create({"category_id": self.env.ref(CATEGORY % key).id, "amount": amount})
                    for key, amount in zip(CATEGORIES, amounts, strict=True)
                ],
            })
            self.env["ir.model.data"]._update_xmlids([{
                "xml_id": f"school_safety.safety_budget_{school_xmlid}", "record": budget, "noupdate": True,
            }])
            self._safety_demo_approve(budget)
        for school_xmlid, (reason, amounts, approved) in REVISIONS.items():
            budget = self.env.ref(f"school_safety.safety_budget_{school_xmlid}")
            action = self._safety_demo_step(budget, "finance").action_revise()
            revision = self.env["safety.budget.revision"].browse(action["res_id"])
            changes = {self.env.ref(CATEGORY % key): amount for key, amount in amounts.items()}
            self._safety_demo_step(revision, "finance").write({
                "reason": reason,
                "line_ids": [
                    Command.update(line.id, {"amount_after": changes[line.category_id]})
                    for line in revision.line_ids if line.category_id in changes
                ],
            })
            self._safety_demo_step(revision, "finance").action_submit()
            self._safety_demo_step(revision, "finance").validate_tier()
            if approved:
                self._safety_demo_step(revision, "manager").validate_tier()
        self._safety_demo_spending(year, funds)
        self._safety_demo_request()
        budgets = self.env["safety.budget"].search([("year", "=", year)])
        _logger.info(
            "Demo safety investment: %d budgets (%s), %d funds, spending %s of %s",
            len(budgets), ", ".join(budgets.mapped("state")), len(funds),
            sum(budgets.mapped("actual")), sum(budgets.mapped("amount_total")),
        )

    @api.model
    def _safety_demo_approve(self, budget):
        self._safety_demo_step(budget, "finance").action_submit()
        self._safety_demo_step(budget, "finance").validate_tier()
        self._safety_demo_step(budget, "manager").validate_tier()

    @api.model
    def _safety_demo_funds(self, year):
        funds = {}
        Fund = self._safety_demo_step(self.env["safety.fund"], "finance")
        for key, (name, reference, source, amount, categories, allocations) in FUNDS.items():
            funds[key] = Fund.create({
                "name": f"{year}年{name}",
                "reference": reference % {"year": year},
                "source": source,
                "year": year,
                "amount": amount,
                "category_ids": [Command.set([self.env.ref(CATEGORY % c).id for c in categories])],
                "allocation_ids": [
                    Command.create({"company_id": self.env.ref(f"school_safety.{school}").id, "amount": share})
                    for school, share in allocations.items()
                ],
            })
            self.env["ir.model.data"]._update_xmlids([{
                "xml_id": f"school_safety.safety_fund_{key}_demo", "record": funds[key], "noupdate": True,
            }])
        return funds

    @api.model
    def _safety_demo_spending(self, year, funds):
        """Finance records each expense (a line charged to its category, and fund if any)."""
        first = date(year, 1, 1)
        Line = self._safety_demo_step(self.env["account.analytic.line"], "finance")
        Line.create([
            {
                "name": description,
                "date": max(self._safety_demo_date(days), first),
                "company_id": self.env.ref(f"school_safety.{school}").id,
                "safety_category_id": self.env.ref(CATEGORY % category).id,
                "safety_fund_id": funds[fund].id if fund else False,
                "safety_spent": cost,
            }
            for school, days, description, category, fund, cost in SPENDING
        ])

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

    @api.model
    def _safety_demo_scorecard(self):
        """The scorecard's months stored as its refresh job stores them (the demo server's job
        then refreshes the current month every half hour)."""
        stored = self.env["safety.school.scorecard.month"]._safety_refresh()
        _logger.info("Demo scorecard: %d months of the schools stored", stored)
