"""The Citizen-Service Assessment Group (S.2): members, meetings, decisions, action items; escalations (S.3)."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from civicdesk.notifications.models import Notification
from civicdesk.organization.models import Staff
from civicdesk.organization.permissions import Role
from civicdesk.plan.models import ActionItem, Escalation, GroupMember, Meeting, Plan
from civicdesk.plan.services import (
    GroupError,
    action_item_add,
    action_item_complete,
    escalation_move,
    escalation_raise,
    group_member_appoint,
    meeting_record,
)


@pytest.fixture
def member(make_staff: Callable[..., Staff]) -> Staff:
    return make_staff(Role.ASSESSMENT_GROUP_MEMBER, unit="SEC", username="chair")


def test_members_meetings_action_items_and_escalations(
    plan: Plan, member: Staff, make_staff: Callable[..., Staff]
) -> None:
    officer = make_staff(Role.ENFORCEMENT_OFFICER, unit="S01", username="officer1")
    officer.email = "officer@example.gov.tw"
    officer.save(update_fields=["email"])
    group_member_appoint(actor=member, staff=member, role=GroupMember.Role.CHAIR)
    with pytest.raises(GroupError, match="already a member"):
        group_member_appoint(actor=member, staff=member, role=GroupMember.Role.MEMBER)
    with pytest.raises(GroupError, match="may not"):
        group_member_appoint(actor=officer, staff=officer, role=GroupMember.Role.MEMBER)
    escalation = escalation_raise(
        actor=officer, subject="午間輪值人力不足", description="三月有兩天無人輪值", measure_code="A5.6"
    )
    assert escalation.status == Escalation.Status.OPEN
    meeting = meeting_record(
        actor=member,
        held_on=datetime.date(2015, 3, 31),
        title="104年第1次考核小組會議",
        agenda="一、第1季執行情形\n二、午間輪值",
        minutes="討論輪值人力",
        decisions=["由人事室協調各執行科輪值", " ", "第2季起每月檢討"],
        escalations=[escalation],
    )
    assert [d.text for d in meeting.decisions.all()] == ["由人事室協調各執行科輪值", "第2季起每月檢討"]
    escalation.refresh_from_db()
    assert (escalation.status, escalation.meeting) == (Escalation.Status.DISCUSSED, meeting)
    item = action_item_add(
        actor=member, meeting=meeting, text="排定輪值表", owner=officer, due_on=datetime.date(2015, 4, 10)
    )
    assert Notification.objects.filter(recipient="officer@example.gov.tw", topic="plan.action_item.assigned").exists()
    action_item_complete(actor=officer, item=item, note="已排定")
    item.refresh_from_db()
    assert item.status == ActionItem.Status.DONE
    with pytest.raises(GroupError, match="how it was resolved"):
        escalation_move(escalation=escalation, actor=member, status=Escalation.Status.RESOLVED, note="")
    escalation_move(escalation=escalation, actor=member, status=Escalation.Status.REFERRED, note="報請首長核處")
    escalation_move(escalation=escalation, actor=member, status=Escalation.Status.RESOLVED, note="首長同意增派人力")
    with pytest.raises(GroupError, match="cannot move"):
        escalation_move(escalation=escalation, actor=member, status=Escalation.Status.OPEN, note="reopen")
    assert [e.after for e in escalation.events.all()] == ["open", "discussed", "referred", "resolved"]


def test_group_pages(
    plan: Plan, member: Staff, staff_client: Callable[..., Client], django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    officer = staff_client(Role.ENFORCEMENT_OFFICER, unit="S01")
    response = officer.post(reverse("plan:escalation-new"), {"subject": "宣導經費不足", "description": "需要支援"})
    escalation = Escalation.objects.get()
    assert response["Location"].endswith(reverse("plan:escalation", args=[escalation.pk]))
    client = Client()
    client.force_login(member)
    response = client.post(
        reverse("plan:meeting-new"),
        {
            "held_on": "104/03/31",
            "title": "第1次會議",
            "agenda": "議程",
            "decisions": "決議一",
            "escalations": [escalation.pk],
        },
    )
    meeting = Meeting.objects.get()
    assert response["Location"].endswith(reverse("plan:meeting", args=[meeting.pk]))
    client.post(reverse("plan:meeting", args=[meeting.pk]), {"text": "追蹤", "owner": member.pk, "due_on": "104/04/30"})
    assert meeting.action_items.count() == 1
    with django_assert_max_num_queries(20):
        page = client.get(reverse("plan:group")).content.decode()
    assert "第1次會議" in page
    assert "宣導經費不足" in page
    assert officer.get(reverse("plan:meeting-new")).status_code == 403
