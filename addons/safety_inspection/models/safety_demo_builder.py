import logging
import random
from datetime import timedelta

import pytz

from odoo import Command, api, fields, models

from odoo.addons.school_safety.models.safety_demo_builder import DEMO_TZ

_logger = logging.getLogger(__name__)

ITEM = "safety_inspection.safety_inspection_template_item_%02d"
# Inspections carried out this term: (key, school, type, days ago, inspector login,
# failed checks {item: (hazard key, exact location, what was found)}, items not applicable).
INSPECTIONS = (
    ("primary_quarter", "school_primary_demo", "bureau_quarterly", 38, "inspector", {
        11: ("primary_gas", "食堂后厨燃气灶区", "两根燃气软管老化开裂，接头处检测到微量泄漏"),
        1: ("primary_extinguisher", "教学楼二楼东侧走廊", "两具灭火器压力不足，检查卡三个月未签字"),
        35: ("primary_camera", "操场东侧围墙", "围墙中段摄像头损坏，录像仅保存7天"),
        25: ("primary_railing", "教学楼四楼走廊", "走廊护栏高度不足1.1米，两根立柱松动"),
    }, (28, 29)),
    ("junior_quarter", "school_junior_demo", "bureau_quarterly", 30, "inspector", {
        38: ("junior_dorm_exit", "男生宿舍3号楼一楼", "夜间一楼安全出口上锁，钥匙由宿管员保管"),
        19: ("junior_health", "学校食堂", "两名厨工健康证已过期仍在岗"),
    }, ()),
    ("kindergarten_quarter", "school_kindergarten_demo", "bureau_quarterly", 25, "inspector", {
        30: ("kindergarten_road", "幼儿园大门外", "门前道路无减速带和警示标志，接送时段车速快"),
    }, (14, 15, 16, 17, 28, 29)),
    ("senior_quarter", "school_senior_demo", "bureau_quarterly", 18, "inspector", {
        16: ("senior_eyewash", "化学实验室", "洗眼器无水，紧急喷淋阀门锈死"),
    }, ()),
    ("primary_self", "school_primary_demo", "self_monthly", 6, "officer", {
        8: ("primary_socket", "三年级一班教室", "饮水机与电脑共用串接插排，插排发热"),
        26: ("primary_basketball", "操场东侧篮球架", "篮球架底座螺栓松动，晃动明显"),
        20: ("primary_food_sample", "食堂留样间", "留样冰箱温度记录缺失两天"),
    }, (28, 29)),
)
# Coming up: (key, school, occasion, days ahead); the bureau's inspector plans them.
PLANNED = (
    ("primary_exam", "school_primary_demo", "exam", 7),
    ("junior_holiday", "school_junior_demo", "holiday", 14),
)
# Hazards reported by the school's people: key -> (login, school, days ago, values).
REPORTS = {
    "primary_gate": ("staff", "school_primary_demo", 16, {
        "location": "南校门",
        "category": "gate",
        "level": "major",
        "description": "校门防冲撞桩损坏一根，上下学时段存在车辆冲撞风险。",
    }),
    "junior_blanket": ("principal2", "school_junior_demo", 3, {
        "location": "男生宿舍3号楼一楼",
        "category": "dormitory",
        "level": "general",
        "description": "宿舍内发现学生使用电热毯。",
    }),
}
# How far each hazard went, and who moved it. "by" fills the six fixed and issues the
# notice "days" ago; "deadline" in days ago (negative: ahead); the owner starts and
# carries out the rectification; the principal, then for major hazards the bureau,
# accept it. Hazards not listed stay registered.
HAZARDS = {
    "primary_gas": {
        "by": "officer", "days": 37, "owner": "officer", "rechecker": "principal", "deadline": 20,
        "measure": "更换全部燃气软管为金属波纹管，加装燃气泄漏报警与自动切断装置。",
        "requirement": "燃气管道、阀门、软管完好无泄漏，报警切断装置有效。",
        "contingency": "整改完成前每日开餐前由后厨主管检测接头，备好灭火毯，发现泄漏立即关闭总阀并停用燃气灶。",
        "funding": 3500,
        "rectification": ("已更换6根金属波纹软管，加装燃气泄漏报警切断装置并联动测试合格。", 3280),
        "until": "closed",
    },
    "primary_extinguisher": {
        "by": "officer", "days": 37, "owner": "officer", "rechecker": "principal", "deadline": 23,
        "measure": "更换两具灭火器，恢复月度检查并签字。",
        "requirement": "按GB 50140配置并定期检查灭火器。",
        "funding": 600,
        "rectification": ("已更换两具灭火器，检查卡补签，纳入每月消防检查。", 560),
        "until": "closed",
    },
    "primary_camera": {
        "by": "officer", "days": 37, "owner": "officer", "rechecker": "principal", "deadline": -5,
        "measure": "更换围墙摄像头，录像存储扩容至30天。",
        "requirement": "监控覆盖围墙和重点部位，录像保存不少于30天。",
        "funding": 4200,
        "rectification": ("已更换摄像头并扩容硬盘，录像可保存32天。", 3900),
        "until": "submitted",
    },
    "primary_railing": {
        "by": "officer", "days": 37, "owner": "officer", "rechecker": "principal", "deadline": -2,
        "measure": "四楼走廊护栏加高至1.2米并加固立柱。",
        "requirement": "护栏高度不低于1.1米，牢固可靠。",
        "contingency": "整改完成前四楼走廊加装临时防护网，课间安排教师值守，禁止学生追逐打闹。",
        "funding": 12000,
        "rectification": ("护栏已加高至1.2米，更换松动立柱，经第三方检测合格。", 11500),
        "until": "principal_accepted",
    },
    "primary_gate": {
        "by": "officer", "days": 15, "owner": "officer", "rechecker": "principal", "deadline": 2,
        "measure": "更换损坏的防冲撞桩，修复前上下学时段增派保安值守。",
        "requirement": "校门防冲撞设施完好有效。",
        "contingency": "修复前每个上下学时段两名保安持械在校门外侧值守，设置临时隔离墩。",
        "funding": 8000,
        "supervised": True,
        "extension": ("officer", -10, "防冲撞桩需定制，厂家供货周期三周；临时隔离墩和增派保安已落实。", "principal"),
        "until": "rectifying",
    },
    "primary_socket": {
        "by": "officer", "days": 5, "owner": "staff", "rechecker": "officer", "deadline": -3,
        "measure": "拆除串接插排，更换为带过载保护的插排，饮水机单独接线。",
        "requirement": "教室内不得串接插排，大功率电器单独供电。",
        "funding": 200,
        "extension": ("staff", -10, "带过载保护的插排由学校统一采购，预计下周到货。", None),
        "until": "rectifying",
    },
    "primary_basketball": {
        "by": "officer", "days": 5, "owner": "officer", "rechecker": "principal", "deadline": 2,
        "measure": "紧固篮球架底座螺栓并增加配重，修复前停用该篮球架。",
        "requirement": "体育设施牢固可靠，每月检查。",
        "funding": 300,
        "until": "notified",
    },
    "junior_dorm_exit": {
        "by": "principal2", "days": 29, "owner": "principal2", "rechecker": "inspector", "deadline": -6,
        "measure": "宿舍安全出口改装推闩式逃生门锁，夜间不再上锁。",
        "requirement": "宿舍安全出口夜间保持畅通，可从内部一推即开。",
        "contingency": "改装完成前每晚安排宿管员在一楼出口值守，钥匙随身携带，每两小时巡查一次。",
        "funding": 15000,
        "until": "rectifying",
    },
    "junior_health": {
        "by": "principal2", "days": 29, "owner": "principal2", "rechecker": "inspector", "deadline": 5,
        "measure": "健康证过期人员暂停上岗，督促办理新证后复岗。",
        "requirement": "食堂从业人员持有效健康证上岗。",
        "until": "notified",
    },
}
# The guard's rounds of the last two weeks at 临江区第一小学: (days ago, round of the day,
# 0 to 4) -> what happened; every other round whose window is over was walked in full.
PATROL_ROUNDS = {
    (12, 4): "missed",  # 23:30: nobody walked it
    (10, 2): "skip_power",  # the power room not scanned: incomplete
    (8, 1): "skip_wall",  # stopped before the east wall: incomplete
    (7, 3): "late_sync",  # no signal: the scans arrive after the window, its missed alert withdrawn
    (6, 4): "missed",
    (4, 0): "no_position",  # the phone sent no position: flagged, accepted by the officer
    (3, 1): "wrong_order",  # the east wall before the gate: flagged, rejected: incomplete
    (2, 3): "geofence",  # the east wall's label scanned from the gatehouse: flagged, to review
    (1, 1): "gap",  # two stops eight seconds apart: flagged, to review
    (1, 3): "clock",  # the phone restarted with its clock ten minutes slow: flagged, to review
}
# the officer decides these flagged scans the next morning
PATROL_REVIEWS = {"no_position": "action_accept", "wrong_order": "action_reject"}
# minutes after the round's start at which each stop of the route is scanned
PATROL_PACE = (3, 10, 18, 25, 34)
# a pupil peeled off the canteen's label: the officer re-issued its code (days ago)
PATROL_REISSUE = ("patrol_checkpoint_canteen_demo", 5)
PATROL_DEVICE = "HONOR X50 / Android 14"
STEPS = ("registered", "notified", "rectifying", "submitted", "principal_accepted", "closed")
# Rectifications paid by a special fund of the bureau, by the hazard's exact location (decided
# with the six fixed); the others are paid from the school's own money
FUNDED = {
    "教学楼二楼东侧走廊": "school_safety.safety_fund_central_demo",  # the extinguishers
    "操场东侧围墙": "school_safety.safety_fund_central_demo",  # the wall's camera
}


class SafetyDemoBuilder(models.AbstractModel):
    _inherit = "safety.demo.builder"

    # ------------------------------------------------------------ inspections and hazards

    @api.model
    def _safety_demo_inspections(self):
        """This term's inspections answered check by check and completed, so that failed
        checks are the hazards of the ledger; those and the staff's reports moved through
        their rectification steps by whoever's step it is."""
        # the inspections copy their checklist in the inspector's language
        self._safety_demo_load_terms("safety_inspection")
        template = self.env.ref("safety_inspection.safety_inspection_template_school")
        for key, school, occasion, ahead in PLANNED:
            Inspection = self._safety_demo_step(self.env["safety.inspection"], "inspector")
            inspection = Inspection.create({
                "company_id": self.env.ref(f"school_safety.{school}").id,
                "inspection_type": "special",
                "special_kind": occasion,
                "template_id": template.id,
                "date": self._safety_demo_date(-ahead),
                "inspector_ids": [Command.set(Inspection.env.user.ids)],
            })
            self.env["ir.model.data"]._update_xmlids([{
                "xml_id": f"safety_inspection.safety_inspection_{key}_demo", "record": inspection,
                "noupdate": True,
            }])
        hazards = {}
        for key, school, itype, days, login, failed, not_applicable in INSPECTIONS:
            hazards.update(self._safety_demo_inspect(key, school, itype, days, login, failed, not_applicable))
        Hazard = self.env["safety.hazard"]
        for key, (login, school, days, vals) in REPORTS.items():
            hazards[key] = self._safety_demo_step(Hazard, login).create(dict(
                vals,
                company_id=self.env.ref(f"school_safety.{school}").id,
                found_date=self._safety_demo_date(days),
            ))
        for key, plan in HAZARDS.items():
            self._safety_demo_hazard_flow(hazards[key], plan)
        self.env["ir.model.data"]._update_xmlids([
            {"xml_id": f"safety_inspection.safety_hazard_{key}_demo", "record": hazard, "noupdate": True}
            for key, hazard in hazards.items()
        ])
        # the daily job, as the server runs it
        self._safety_demo_request()
        Hazard.with_context(lang="zh_CN")._cron_check_overdue()
        self._safety_demo_request()
        counts = dict(Hazard._read_group([], ["state"], ["__count"]))
        _logger.info(
            "Demo inspections: %d inspections done, %d hazards (%s)", len(INSPECTIONS), sum(counts.values()),
            ", ".join(f"{state} {count}" for state, count in sorted(counts.items())),
        )

    @api.model
    def _safety_demo_inspect(self, key, school, itype, days, login, failed, not_applicable):
        """One inspection: created, every check answered, completed; returns its hazards by key."""
        Inspection = self._safety_demo_step(self.env["safety.inspection"], login)
        inspector = Inspection.env.user
        inspection = Inspection.create({
            "company_id": self.env.ref(f"school_safety.{school}").id,
            "inspection_type": itype,
            "template_id": self.env.ref("safety_inspection.safety_inspection_template_school").id,
            "date": self._safety_demo_date(days),
            "inspector_ids": [Command.set(inspector.ids)],
        })
        self.env["ir.model.data"]._update_xmlids([{
            "xml_id": f"safety_inspection.safety_inspection_{key}_demo", "record": inspection, "noupdate": True,
        }])
        items = {number: self.env.ref(ITEM % number) for number in set(failed) | set(not_applicable)}
        by_item = {}
        # on site, the inspector answers every check, with photos of what failed, and saves
        inspection = self._safety_demo_step(inspection, inspector)
        for line in inspection.line_ids:
            number = next((n for n, item in items.items() if item == line.item_id), None)
            if number in failed:
                hazard_key, location, note = failed[number]
                vals = {"result": "fail", "location": location, "note": note}
                if line.photo_required:
                    photo = self._safety_demo_as(self.env["ir.attachment"], inspector).create({
                        "name": f"{location}.png",
                        "datas": self._safety_demo_image(f"{key}-{number}", kind="photo"),
                        "mimetype": "image/png",
                        "res_model": line._name,
                        "res_id": line.id,
                    })
                    vals["photo_ids"] = [Command.link(photo.id)]
                by_item[number] = hazard_key
            else:
                vals = {"result": "na" if number in not_applicable else "pass"}
            line.write(vals)
        self._safety_demo_step(inspection, inspector)._safety_done(now=self._safety_demo_at(days, 11))
        self._safety_demo_request()
        return {
            by_item[number]: line.hazard_id
            for line in inspection.line_ids
            for number, item in items.items()
            if item == line.item_id and number in by_item
        }

    @api.model
    def _safety_demo_hazard_flow(self, hazard, plan):
        """Move one hazard as far as ``plan["until"]``, each step by its own person."""
        until = STEPS.index(plan["until"])
        users = {
            login: self._safety_demo_user(login)
            for login in ("officer", "principal", "staff", "principal2", "inspector")
        }
        vals = {
            "measure": plan["measure"],
            "requirement": plan["requirement"],
            "owner_id": users[plan["owner"]].id,
            "rechecker_id": users[plan["rechecker"]].id,
            # never before the day it was found (the constraint), whatever found it
            "deadline": max(self._safety_demo_date(plan["deadline"]), hazard.found_date),
            "funding_estimated": plan.get("funding", 0),
        }
        if plan.get("contingency"):
            vals["contingency_plan"] = plan["contingency"]
        fund = self.env.ref(FUNDED[hazard.location], raise_if_not_found=False) if hazard.location in FUNDED else None
        if fund:
            vals["safety_fund_id"] = fund.id
        self._safety_demo_step(hazard, plan["by"]).write(vals)
        if plan.get("supervised"):
            # 挂牌督办: the bureau's decision, and its inspector follows the hazard
            self._safety_demo_step(hazard, "inspector").write(
                {"bureau_supervised": True, "inspector_id": users["inspector"].id}
            )
        self._safety_demo_step(hazard, plan["by"])._safety_issue_notice(now=self._safety_demo_at(plan["days"], 10))
        if until < STEPS.index("rectifying"):
            return
        self._safety_demo_step(hazard, plan["owner"]).action_start_rectification()
        if plan.get("extension"):
            login, ahead, reason, approver = plan["extension"]
            extension = self._safety_demo_step(self.env["safety.hazard.extension"], login).create({
                "hazard_id": hazard.id,
                "new_deadline": self._safety_demo_date(ahead),
                "reason": reason,
            })
            if approver:
                self._safety_demo_step(extension, approver).action_approve()
        if until < STEPS.index("submitted"):
            return
        description, funding = plan["rectification"]
        photo = self._safety_demo_step(self.env["ir.attachment"], plan["owner"]).create({
            "name": f"{hazard.location}-整改后.png",
            "datas": self._safety_demo_image(f"{hazard.name}-after", kind="photo"),
            "mimetype": "image/png",
            "res_model": hazard._name,
            "res_id": hazard.id,
        })
        self._safety_demo_step(hazard, plan["owner"]).write({
            "rectification_description": description,
            "funding_actual": funding,
            "photo_after_ids": [Command.link(photo.id)],
        })
        self._safety_demo_step(hazard, plan["owner"]).action_submit()
        if until < STEPS.index("principal_accepted"):
            return
        self._safety_demo_step(hazard, plan.get("principal", "principal")).validate_tier()
        if until < STEPS.index("closed") or hazard.state == "closed":
            return
        # a major hazard: the bureau's inspector accepts it last, which closes it (销号)
        self._safety_demo_step(hazard, "inspector").validate_tier()

    # ------------------------------------------------------------ patrol

    @api.model
    def _safety_demo_patrol(self):
        """Two weeks of the guard's rounds at 临江区第一小学: rounds generated day by day, scans
        received through the scan endpoint's own method when they were, the closing job in
        between, flagged scans reviewed by the officer (three still waiting); today's rounds
        still to walk are left to the guard."""
        schedule = self.env.ref("safety_inspection.patrol_schedule_daily_demo")
        guard = self._safety_demo_user("guard")
        Round = self.env["safety.patrol.round"]
        now = fields.Datetime.now()
        for days in range(14, -1, -1):
            # the generation job of each morning (after the night round of the day before)
            morning = self._safety_demo_at(days, 0, 45)
            if morning <= now:
                schedule._generate_rounds(now=morning)
        rounds = Round.search([
            ("schedule_id", "=", schedule.id),
            ("planned_start", ">=", self._safety_demo_at(14, 0, 0)),
            ("deadline", "<", now),
        ], order="planned_start")
        tz = pytz.timezone(DEMO_TZ)
        today = self._safety_demo_today()
        stops = schedule.route_id.line_ids.sorted("sequence").checkpoint_id
        events = []  # (when, order, step, what)
        slots = {}
        for patrol in rounds:
            local = pytz.utc.localize(patrol.planned_start).astimezone(tz)
            day = (today - local.date()).days
            slot = slots[day] = slots.get(day, -1) + 1
            kind = PATROL_ROUNDS.get((day, slot), "full") if day else "full"
            for scan in self._safety_demo_round_scans(patrol, stops, kind):
                events.append((scan["received"], 0, "scan", (patrol, kind, scan)))
            # the closing job runs every few minutes
            events.append((patrol.deadline + timedelta(minutes=5), 1, "close", None))
            if kind in PATROL_REVIEWS:
                events.append((self._safety_demo_at(day - 1, 8, 20), 2, "review", (patrol, kind)))
        checkpoint = self.env.ref(f"safety_inspection.{PATROL_REISSUE[0]}")
        events.append((self._safety_demo_at(PATROL_REISSUE[1], 12, 40), 3, "reissue", checkpoint))
        Scan = self._safety_demo_as(self.env["safety.patrol.scan"], guard)
        flagged = {}
        for at, _order, step, what in sorted(
            (event for event in events if event[0] <= now), key=lambda event: event[:2]
        ):
            if step == "scan":
                patrol, kind, scan = what
                self._safety_demo_request()  # each scan is a request of the phone
                result = Scan._patrol_register(self._safety_demo_scan_payload(patrol, scan), now=at)
                if result["flags"]:
                    flagged.setdefault(patrol.id, []).append(result["scan_id"])
            elif step == "close":
                self._safety_demo_request()
                Round.with_context(lang="zh_CN")._cron_close_rounds(now=at)
            elif step == "review":
                patrol, kind = what
                scans = self.env["safety.patrol.scan"].browse(flagged.get(patrol.id, []))
                getattr(self._safety_demo_step(scans, "officer"), PATROL_REVIEWS[kind])()
            else:
                self._safety_demo_step(what, "officer").action_reissue_code()
        # the guard's last round found the power room's door unlocked: an anomaly, a hazard
        last = rounds.filtered(lambda r: r.deadline + timedelta(minutes=5) <= now)[-1:]
        if last:
            power = self.env.ref("safety_inspection.patrol_checkpoint_power_demo")
            self._safety_demo_step(last, guard).action_report_anomaly(
                "配电房门锁损坏，门无法锁闭，已临时用铁丝固定。", checkpoint_id=power.id
            )
        self._safety_demo_request()
        scans = self.env["safety.patrol.scan"].search([("round_id", "in", rounds.ids)])
        states = dict(Round._read_group([("id", "in", rounds.ids)], ["state"], ["__count"]))
        _logger.info(
            "Demo patrol: %d rounds walked or missed (%s), %d scans, %d flagged still to review",
            len(rounds), ", ".join(f"{state} {count}" for state, count in sorted(states.items())),
            len(scans), len(scans.filtered(lambda s: s.review_state == "pending")),
        )

    @api.model
    def _safety_demo_round_scans(self, patrol, stops, kind):
        """The scans of one round as the phone took and sent them (dicts, naive UTC times)."""
        if kind == "missed":
            return []
        start = patrol.planned_start
        plan = list(zip(stops, PATROL_PACE, strict=True))
        if kind == "skip_power":
            plan = [(stop, pace) for stop, pace in plan if stop.name != "配电房"]
        elif kind == "skip_wall":
            plan = plan[:-1]
        elif kind == "wrong_order":
            # the east wall first, then the others
            plan = [(plan[-1][0], PATROL_PACE[0])] + [(stop, pace + 4) for stop, pace in plan[:-1]]
        scans = []
        for index, (stop, pace) in enumerate(plan):
            taken = start + timedelta(minutes=pace, seconds=(patrol.id * 7 + index * 13) % 50)
            if kind == "gap" and index == 2:
                taken = scans[-1]["device_time"] + timedelta(seconds=8)
            scan = {
                "checkpoint": stop,
                "device_time": taken,  # the phone's clock when it scanned
                "sent_time": taken + timedelta(seconds=1),  # the phone's clock when it sent
                "received": taken + timedelta(seconds=2),  # the server's clock
                "position": (stop.latitude, stop.longitude),
            }
            if kind == "late_sync":
                # kept on the phone until it found a signal again, sent then
                scan["received"] = patrol.deadline + timedelta(minutes=48, seconds=index * 3)
                scan["sent_time"] = scan["received"] - timedelta(seconds=1)
            elif kind == "clock" and index == len(plan) - 1:
                scan["device_time"] -= timedelta(minutes=10)
                scan["sent_time"] -= timedelta(minutes=10)
            elif kind == "no_position" and index == 1:
                scan["position"] = None
            elif kind == "geofence" and index == len(plan) - 1:
                gate = stops[0]
                scan["position"] = (gate.latitude, gate.longitude)
            scans.append(scan)
        return scans

    @api.model
    def _safety_demo_scan_payload(self, patrol, scan):
        """What the phone sends for one scan: the label's code, its clock, where it was."""
        tz = pytz.timezone(DEMO_TZ)
        checkpoint = scan["checkpoint"]
        client_id = f"demo-r{patrol.id}-c{checkpoint.id}"
        rng = random.Random(client_id)
        payload = {
            "round_id": patrol.id,
            # what the printed label carries (the guard scans it; nobody reads it over RPC)
            "token": checkpoint.sudo()._patrol_token(),
            "client_id": client_id,
            "device_time": pytz.utc.localize(scan["device_time"]).astimezone(tz).isoformat(),
            "sent_time": pytz.utc.localize(scan["sent_time"]).astimezone(tz).isoformat(),
            "device": PATROL_DEVICE,
        }
        if scan["position"]:
            latitude, longitude = scan["position"]
            payload.update({
                "latitude": round(latitude + rng.uniform(-0.00004, 0.00004), 7),
                "longitude": round(longitude + rng.uniform(-0.00004, 0.00004), 7),
                "accuracy": round(rng.uniform(5, 12), 1),
            })
        return payload
