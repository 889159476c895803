"""Demo data for `manage.py load_demo`: the 104 plan and a year of activities, proposals, self-assessments
and group meetings, so the dashboard and the reports show real variety (some targets met, some missed).
Idempotent: each part is skipped when it is already there. Development only."""

from __future__ import annotations

import datetime
import random
from typing import TextIO

from django.db import transaction

from civicdesk.core.working_calendar import is_working_day
from civicdesk.organization.demo import DEMO_PASSWORD
from civicdesk.organization.models import Branch, Staff, Unit
from civicdesk.organization.permissions import Role
from civicdesk.organization.services import staff_create
from civicdesk.plan.models import Activity, ActivityKind, GroupMember, Meeting, Plan, Proposal, SelfAssessment
from civicdesk.plan.plan_file import parse_plan_file
from civicdesk.plan.services import (
    action_item_add,
    activity_log,
    assessment_prepare,
    assessment_review,
    assessment_save,
    assessment_submit,
    escalation_raise,
    group_member_appoint,
    meeting_record,
    plan_load,
    plan_submit,
    proposal_advance,
    proposal_submit,
)
from civicdesk.plan.services.plans import PLAN_DATA

YEAR = 2015  # ROC 104
KIND_MEASURE = {
    "publicity": "A1.2",
    "public-welfare": "A1.3",
    "park-cleaning": "A1.5",
    "planting": "A1.6",
    "facility-renewal": "A1.4",
    "care-referral": "A1.7",
    "training": "A2.7",
    "opinion-survey": "A3.6",
    "courtesy-test": "A3.2",
    "media-clarification": "A3.4",
    "visit-workshop": "A5.3",
    "cross-agency-seminar": "A5.4",
    "lunch-duty": "A5.6",
}


def _d(month: int, day: int) -> datetime.date:
    return datetime.date(YEAR, month, day)


# Each event: kind, date, unit, title, people taking part, quantity.
EVENTS: list[tuple[str, datetime.date, str, str, int, int]] = [
    ("publicity", _d(4, 18), "ETH", "里民大會宣導超商繳款及分期繳納", 80, 1),
    ("publicity", _d(10, 3), "SEC", "社區說明會：行政執行業務與便民措施", 60, 1),
    ("public-welfare", _d(2, 14), "SEC", "與在地企業合辦歲末關懷活動", 25, 1),
    ("public-welfare", _d(6, 6), "SEC", "捐血活動（結合社會團體）", 40, 1),
    ("public-welfare", _d(11, 21), "SEC", "淨灘公益活動", 30, 1),
    ("planting", _d(3, 12), "SEC", "植樹節種植草花", 15, 120),
    ("planting", _d(10, 16), "SEC", "辦公區域種植草花並修剪週邊樹木", 12, 100),
    ("facility-renewal", _d(5, 20), "SEC", "調降服務櫃台高度、更新服務標示", 0, 1),
    ("care-referral", _d(7, 8), "DIV1", "義務人生活困難，轉介社會局關懷", 2, 1),
    ("training", _d(3, 25), "SEC", "志工及駐衛警服務技巧訓練", 18, 1),
    ("opinion-survey", _d(6, 26), "SEC", "上半年民意調查及滿意度分析", 0, 1),
    ("opinion-survey", _d(12, 18), "SEC", "下半年民意調查及與同性質機關比較", 0, 1),
    ("courtesy-test", _d(1, 28), "SEC", "第1季電話禮貌測試", 0, 1),
    ("courtesy-test", _d(4, 29), "SEC", "第2季電話禮貌測試", 0, 1),
    ("media-clarification", _d(8, 12), "SEC", "澄清不實報導並發布新聞稿", 0, 1),
    ("visit-workshop", _d(9, 9), "PER", "參訪企業客服中心品質管理", 20, 1),
    ("cross-agency-seminar", _d(3, 18), "PER", "跨機關資訊研討會（地方稅務局）", 45, 1),
    ("cross-agency-seminar", _d(6, 17), "DIV1", "與健保署座談：移送案件整合", 30, 1),
    ("cross-agency-seminar", _d(9, 23), "PER", "跨機關教育訓練：個資保護", 60, 1),
    ("cross-agency-seminar", _d(12, 2), "DIV2", "與監理站座談：罰鍰移送流程", 28, 1),
]
# Park cleaning: twice a month, except November (once) — A1.5 is missed for November.
PARK_DAYS = {month: [(8, "SEC"), (22, "SEC")] for month in range(1, 13)}
PARK_DAYS[11] = [(14, "SEC")]
# Lunch-hour duty: every working day, except two days in March that nobody covered.
LUNCH_GAPS = {_d(3, 10), _d(3, 11)}


def _staff(username: str, full_name: str, unit: Unit, roles: set[Role], title: str) -> Staff:
    existing = Staff.objects.filter(username=username).first()
    if existing is not None:
        return existing
    return staff_create(
        username=username,
        password=DEMO_PASSWORD,
        full_name=full_name,
        branch=unit.branch,
        unit=unit,
        roles=roles,
        title=title,
        email=f"{username}@example.gov.tw",
    )


@transaction.atomic
def load_demo_data(stdout: TextIO) -> None:
    plan = plan_load(spec=parse_plan_file(PLAN_DATA)).plan
    branch: Branch = plan.branch
    units = {u.code: u for u in Unit.objects.filter(branch=branch)}
    secretariat = Staff.objects.filter(username="secretariat").first() or _staff(
        "secretariat", "陳秘書", units["SEC"], {Role.SECRETARIAT_OFFICER}, "科員"
    )
    sec_head = _staff("sechead", "許主任", units["SEC"], {Role.UNIT_HEAD}, "秘書室主任")
    reviewer = Staff.objects.filter(username="head").first() or _staff(
        "head", "林科長", units["DIV1"], {Role.UNIT_HEAD, Role.ASSESSMENT_GROUP_MEMBER}, "科長"
    )
    if plan.status == Plan.Status.DRAFT and plan.version == 1:
        plan = plan_submit(plan=plan, actor=secretariat)
    created = 0
    if not Activity.objects.filter(branch=branch, held_on__year=YEAR).exists():
        created = _activities(plan, secretariat, units)
    proposals = 0 if Proposal.objects.filter(branch=branch).exists() else _proposals(secretariat, reviewer)
    if not SelfAssessment.objects.filter(plan=plan).exists():
        _assessments(plan, sec_head, reviewer)
    if not Meeting.objects.filter(branch=branch).exists():
        _group(reviewer, secretariat, sec_head)
    stdout.write(
        f"plan: {plan.year} version {plan.version} ({plan.measures.count()} measures); "
        f"{created} activities and {proposals} proposals created; demo unit head: sechead, reviewer: head"
    )


def _activities(plan: Plan, actor: Staff, units: dict[str, Unit]) -> int:
    kinds = {k.code: k for k in ActivityKind.objects.all()}
    measures = {m.code: m for m in plan.measures.all()}
    count = 0

    def log(kind: str, day: datetime.date, unit: str, title: str, *, people: int = 0, quantity: int = 1) -> None:
        nonlocal count
        activity_log(
            actor=actor,
            kind=kinds[kind],
            held_on=day,
            unit=units[unit],
            title=title,
            people=people,
            quantity=quantity,
            measures=[measures[KIND_MEASURE[kind]]],
        )
        count += 1

    for kind, held_on, unit, title, people, quantity in EVENTS:
        log(kind, held_on, unit, title, people=people, quantity=quantity)
    for month, days in PARK_DAYS.items():
        for day_of_month, unit in days:
            log("park-cleaning", _d(month, day_of_month), unit, f"{month}月認養公園打掃", people=6)
    # About 250 lunch-duty records: written in one batch (generated, trusted demo data).
    rng = random.Random(104)  # noqa: S311  (demo data, not security)
    subdivisions = [code for code in units if code.startswith("S") and code[1:].isdigit()]
    batch = []
    day = _d(1, 1)
    while day.year == YEAR:
        if is_working_day(day) and day not in LUNCH_GAPS:
            batch.append(
                Activity(
                    branch=plan.branch,
                    kind=kinds["lunch-duty"],
                    held_on=day,
                    unit=units[rng.choice(subdivisions)],
                    title="午間12:00-13:00為民服務中心輪值",
                    created_by=actor,
                )
            )
        day += datetime.timedelta(days=1)
    Activity.objects.bulk_create(batch)
    link = Activity.measures.through
    saved = Activity.objects.filter(branch=plan.branch, kind=kinds["lunch-duty"], held_on__year=YEAR)
    link.objects.bulk_create(
        [link(activity_id=pk, measure_id=measures["A5.6"].pk) for pk in saved.values_list("pk", flat=True)]
    )
    count += len(batch)
    return count


def _proposals(author: Staff, reviewer: Staff) -> int:
    items = [
        (
            "innovation",
            "午間預約洽公",
            "民眾可線上預約午間時段到分署洽公。",
            _d(2, 10),
            ["evaluate", "adopt", "implement", "record_results", "propose_reward"],
        ),
        (
            "innovation",
            "超商繳款QR碼說明卡",
            "在繳款單附上QR碼，連到繳款說明與常見問題。",
            _d(5, 5),
            ["evaluate", "adopt", "implement"],
        ),
        ("innovation", "行動分署服務車", "到偏遠鄉鎮提供分期申請服務。", _d(8, 19), ["evaluate", "decline"]),
        (
            "suggestion",
            "合併兩張申請表",
            "分期繳納與延期繳納申請表內容重複，建議合併。",
            _d(4, 1),
            ["evaluate", "adopt"],
        ),
        ("innovation", "多語繳款須知", "提供新住民常用語言之繳款須知。", _d(11, 3), []),
    ]
    notes = {
        "evaluate": "評估：成本低、可行性高。",
        "adopt": "經考核小組會議決議採行。",
        "decline": "經評估成本過高，暫不採行。",
        "implement": "已自下月起實施。",
        "record_results": "實施後午間洽公人次增加三成，民眾滿意度提升。",
        "propose_reward": "提案人著有績效，簽報敘獎（嘉獎一次）。",
    }
    for kind, title, description, day, steps in items:
        proposal = proposal_submit(actor=author, kind=kind, title=title, description=description, proposed_on=day)
        for step in steps:
            actor = reviewer if step in {"evaluate", "adopt", "decline", "propose_reward"} else author
            proposal = proposal_advance(proposal=proposal, action=step, actor=actor, note=notes[step])
    return len(items)


def _assessments(plan: Plan, head: Staff, reviewer: Staff) -> None:
    if head.unit is None:
        return
    scores = {"A1.5": 85, "A1.3": 80, "A1.6": 95}
    for quarter in (1, 2):
        assessment = assessment_prepare(plan=plan, unit=head.unit, quarter=quarter, actor=head)
        assessment_save(
            assessment=assessment,
            actor=head,
            scores={
                line.pk: (scores.get(line.measure.code, 90), "依計畫執行。")
                for line in assessment.lines.select_related("measure")
            },
        )
        assessment_submit(assessment=assessment, actor=head)
        if quarter == 1:
            assessment_review(assessment=assessment, actor=reviewer, approve=True, comment="")


def _group(chair: Staff, secretariat: Staff, head: Staff) -> None:
    group_member_appoint(actor=chair, staff=chair, role=GroupMember.Role.CHAIR, appointed_on=_d(1, 5))
    group_member_appoint(actor=chair, staff=head, role=GroupMember.Role.MEMBER, appointed_on=_d(1, 5))
    group_member_appoint(actor=chair, staff=secretariat, role=GroupMember.Role.SECRETARY, appointed_on=_d(1, 5))
    escalation = escalation_raise(
        actor=head,
        subject="三月午間輪值出現空缺",
        description="3月10日、11日無人輪值，請協調各執行科人力。",
        measure_code="A5.6",
    )
    meeting = meeting_record(
        actor=chair,
        held_on=_d(4, 8),
        title="104年第1次為民服務考核小組會議",
        location="第一會議室",
        agenda="一、第1季執行成效\n二、午間輪值空缺\n三、創新提案評估",
        minutes="第1季多數項目如期執行；午間輪值於3月有2日空缺。",
        decisions=["由人事室協調各執行科排定午間輪值代理人。", "認養公園打掃維持每月2次。"],
        escalations=[escalation],
    )
    action_item_add(actor=chair, meeting=meeting, text="排定午間輪值代理人名單", owner=head, due_on=_d(4, 30))
