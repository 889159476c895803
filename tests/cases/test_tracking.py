"""Citizens track an enforcement case by case number + the last 4 ID digits (A2.4), masked."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from civicdesk.applications.models import TrackingAttempt
from civicdesk.applications.tracking import track_query
from civicdesk.cases.services import case_receive, case_stage_change
from civicdesk.organization.permissions import Role
from tests.cases.conftest import good_row

pytestmark = pytest.mark.django_db
API = "/api/v1/track"


@pytest.fixture
def received_case(branch, make_staff):
    staff = make_staff(Role.SECRETARIAT_OFFICER)
    result = case_receive(branch=branch, staff=staff, values=good_row(1))
    assert result.case is not None, result.error
    return result.case, staff


def _track(client: Client, case_number: str, digits: str, ip: str = "10.1.0.1"):
    return client.post(
        API, {"reference": case_number, "id_last4": digits}, content_type="application/json", REMOTE_ADDR=ip
    )


def test_a_case_is_tracked_with_masked_data_and_its_timeline(client: Client, received_case) -> None:
    case, staff = received_case
    case_stage_change(case=case, stage="in_enforcement", staff=staff)
    response = _track(client, case.case_number, "6789")
    assert response.status_code == 200
    body = response.json()
    assert body["reference"] == case.case_number
    assert body["applicant"] == "王○明"
    assert body["id_number"] == "A12345****"
    assert "A123456789" not in response.content.decode()
    assert [entry["title"] for entry in body["timeline"]][-1] == body["status"]
    assert len(body["timeline"]) >= 2
    assert "12,000" in body["next_step"]


def test_wrong_digits_and_unknown_case_get_the_same_answer(client: Client, received_case) -> None:
    case, _staff = received_case
    wrong = _track(client, case.case_number, "0000")
    unknown = _track(client, "110年公寓罰執專字第99999999號", "6789", ip="10.1.0.2")
    assert wrong.status_code == unknown.status_code == 404
    assert wrong.json() == unknown.json()


def test_the_html_page_tracks_a_case_in_english(client: Client, received_case) -> None:
    case, _staff = received_case
    html = client.post("/en/track/", {"reference": case.case_number, "id_last4": "6789"}).content.decode()
    assert "Received by the branch" in html
    assert "王○明" in html


def test_each_case_query_is_audited_once_by_the_look_up_statement(received_case) -> None:
    case, staff = received_case
    case_stage_change(case=case, stage="in_enforcement", staff=staff)
    captured = []
    for number, digits, ip in (
        (case.case_number, "6789", "10.1.0.3"),
        (case.case_number, "0000", "10.1.0.4"),
        ("110年公寓罰執專字第99999999號", "0000", "10.1.0.5"),
    ):
        with CaptureQueriesContext(connection) as queries:
            track_query(reference=number, id_last4=digits, ip=ip, via="api")
        captured.append([re.sub(r"'[^']*'|\d+", "?", q["sql"]) for q in queries.captured_queries])
    assert sorted(TrackingAttempt.objects.values_list("outcome", flat=True)) == ["found", "not_matched", "not_matched"]
    assert captured[1] == captured[2]  # wrong digits and an unknown case: the same statements
    # PostgreSQL writes the audit row in the look-up's own statement; SQLite needs an INSERT after it.
    assert len(captured[0]) == (1 if connection.vendor == "postgresql" else 2)
