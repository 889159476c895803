"""Staff work queue: SLA clock paused by a correction (補正) and resumed, separate wording, events (A2.2, A2.4)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from civicdesk.applications.models import ApplicationEvent, Status
from civicdesk.applications.selectors import sla_state
from civicdesk.applications.services import (
    application_assign,
    application_correction_request,
    application_correction_submit,
    application_decide,
    application_status_change,
    applications_flag_at_risk,
)
from civicdesk.core.working_calendar import add_working_days, working_days_between
from civicdesk.notifications.models import Notification
from civicdesk.organization.permissions import Role
from tests.applications.conftest import pdf_upload

pytestmark = pytest.mark.django_db

TZ = datetime.timezone(datetime.timedelta(hours=8))
MONDAY = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=TZ)  # 2026-03-02 is an ordinary Monday


def test_correction_pauses_and_resumes_the_clock(make_application, make_staff, citizen) -> None:
    officer = make_staff(Role.ENFORCEMENT_OFFICER, unit="S01")
    application = make_application(now=MONDAY)
    assert application.due_date == add_working_days(MONDAY.date(), 10)
    application_assign(application=application, staff=officer, assignee=officer, now=MONDAY)
    # Three working days later staff ask for a document: 7 working days are left on the clock.
    asked_at = datetime.datetime.combine(add_working_days(MONDAY.date(), 3), datetime.time(10), tzinfo=TZ)
    application = application_correction_request(
        application=application, staff=officer, citizen_note="財產清單", staff_note="缺財產清單", now=asked_at
    )
    assert application.status == Status.CORRECTION
    assert application.working_days_left == 7
    assert sla_state(application, today=asked_at.date() + datetime.timedelta(days=30)).code == "paused"
    message = Notification.objects.get(topic="applications.correction")
    assert "財產清單" in message.body
    assert "缺財產清單" not in message.body  # the internal note never reaches the citizen
    # The citizen answers 20 days later; the clock resumes with the 7 days left.
    answered_at = asked_at + datetime.timedelta(days=20)
    application = application_correction_submit(
        application=application, citizen=citizen, note="附上清單", uploads=[pdf_upload()], now=answered_at
    )
    assert application.status == Status.IN_PROGRESS
    assert application.due_date == add_working_days(answered_at.date(), 7)
    assert application.clock_paused_on is None
    kinds = list(application.events.values_list("kind", flat=True))
    assert kinds == [
        ApplicationEvent.Kind.SUBMITTED,
        ApplicationEvent.Kind.MESSAGE_QUEUED,
        ApplicationEvent.Kind.ASSIGNED,
        ApplicationEvent.Kind.CORRECTION_REQUESTED,
        ApplicationEvent.Kind.MESSAGE_QUEUED,
        ApplicationEvent.Kind.CORRECTION_RECEIVED,
    ]
    decided_at = answered_at + datetime.timedelta(days=1)
    application = application_decide(
        application=application, staff=officer, outcome="approved", citizen_note="准予分6期", now=decided_at
    )
    assert application.decided_within_limit is True
    assert Notification.objects.filter(topic="applications.decided").count() == 1
    assert sla_state(application).code == "decided_in_time"


def test_petitions_restart_the_full_limit_after_a_correction(make_application, make_staff, citizen) -> None:
    officer = make_staff(Role.SECRETARIAT_OFFICER)
    application = make_application("petition", details={"subject": "x"}, now=MONDAY)
    application = application_correction_request(
        application=application, staff=officer, citizen_note="請補充事實", now=MONDAY + datetime.timedelta(days=1)
    )
    answered = MONDAY + datetime.timedelta(days=2)
    application = application_correction_submit(application=application, citizen=citizen, note="補充", now=answered)
    assert application.due_date == add_working_days(answered.date(), 3)


def test_transitions_are_checked(make_application, make_staff, citizen) -> None:
    officer = make_staff(Role.ENFORCEMENT_OFFICER, unit="S01")
    application = make_application()
    application_decide(application=application, staff=officer, outcome="refused", citizen_note="不符資格")
    with pytest.raises(ValidationError, match="cannot become"):
        application_status_change(application=application, staff=officer, to_status=Status.IN_PROGRESS)
    with pytest.raises(ValidationError, match="not waiting for a correction"):
        application_correction_submit(application=application, citizen=citizen, note="x")


def test_someone_else_cannot_send_the_correction(make_application, make_staff, catalogue) -> None:
    from civicdesk.applications.models import Citizen

    officer = make_staff(Role.ENFORCEMENT_OFFICER, unit="S01")
    application = make_application()
    application_correction_request(application=application, staff=officer, citizen_note="x")
    stranger = Citizen.objects.create(contact_kind="email", contact="s@example.tw", id_number="A123456789")
    with pytest.raises(ValidationError, match="Only the applicant"):
        application_correction_submit(application=application, citizen=stranger, note="x")


def test_deadline_at_risk_is_flagged_once(make_application, make_staff) -> None:
    officer = make_staff(Role.ENFORCEMENT_OFFICER, unit="S01")
    officer.email = "officer@example.tw"
    officer.save()
    application = make_application("clearance-certificate", details={}, now=MONDAY)
    application_assign(application=application, staff=officer, assignee=officer)
    today = add_working_days(MONDAY.date(), 1)  # due in 2 working days
    assert applications_flag_at_risk(today=today) == 1
    assert applications_flag_at_risk(today=today) == 0
    message = Notification.objects.get(topic="applications.deadline_at_risk")
    assert message.recipient == "officer@example.tw"
    assert sla_state(application, today=today).code == "at_risk"
    assert sla_state(application, today=application.due_date + datetime.timedelta(days=1)).code == "overdue"


def test_queue_page_filters_and_query_count(make_application, staff_client, django_assert_max_num_queries) -> None:
    for _ in range(3):
        make_application()
    make_application("refund", details={})
    client: Client = staff_client(Role.ENFORCEMENT_OFFICER, unit="S01")
    with django_assert_max_num_queries(12):
        response = client.get("/staff/applications/")
    html = response.content.decode()
    assert html.count("/staff/applications/FQ-") == 3
    assert html.count("/staff/applications/TF-") == 1
    filtered = client.get("/staff/applications/?kind=refund").content.decode()
    assert "/staff/applications/FQ-" not in filtered
    for _ in range(5):
        make_application()
    with django_assert_max_num_queries(12):
        client.get("/staff/applications/")


def test_queue_needs_the_permission(client: Client, staff_client, catalogue) -> None:
    assert client.get("/staff/applications/").status_code == 302
    assert staff_client(Role.WEB_EDITOR).get("/staff/applications/").status_code == 403
    assert staff_client(Role.UNIT_HEAD, unit="DIV1").get("/staff/applications/").status_code == 200
    assert staff_client(Role.UNIT_HEAD, unit="DIV1").get("/staff/applications/counter/").status_code == 403


def test_staff_actions_through_the_pages(make_application, staff_client) -> None:
    application = make_application()
    client: Client = staff_client(Role.ENFORCEMENT_OFFICER, unit="S01")
    url = f"/staff/applications/{application.reference}/"
    page = client.get(url).content.decode()
    assert "王小明" in page  # staff see the full record, and the look-up is logged
    response = client.post(url + "correction/", {"citizen_note": "請補附薪資單", "staff_note": "內部"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.CORRECTION
    response = client.post("/en" + url + "decide/", {"outcome": "approved", "citizen_note": "ok"})
    assert response.status_code == 400  # waiting for the correction
    assert "record the correction first" in response.content.decode()
    response = client.post(url + "correction-received/", {"note": "臨櫃補件"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.IN_PROGRESS
    response = client.post(url + "decide/", {"outcome": "approved", "citizen_note": "准予分期"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.DECIDED
    assert client.post(url + "nonsense/", {}).status_code == 404


def test_citizen_and_staff_wording_differ(make_application) -> None:
    application = make_application()
    assert application.citizen_status != str(application.get_status_display())
    for status in Status:
        application.status = status
        assert application.citizen_status


def test_working_days_left_never_negative(make_application, make_staff) -> None:
    officer = make_staff(Role.ENFORCEMENT_OFFICER, unit="S01")
    application = make_application("clearance-certificate", details={}, now=MONDAY)
    late = timezone.now() + datetime.timedelta(days=400)
    late = min(late, datetime.datetime(2027, 12, 1, tzinfo=TZ))
    application = application_correction_request(application=application, staff=officer, citizen_note="x", now=late)
    assert application.working_days_left == working_days_between(late.date(), application.due_date) == 0
