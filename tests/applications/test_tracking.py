"""Public progress query: identical "not found" answers, limits per reference and per IP, audit (A2.4, A2.6)."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from civicdesk.applications.models import TrackingAttempt
from civicdesk.applications.services import application_correction_request
from civicdesk.applications.tracking import track_query
from civicdesk.core.reference_numbers import reference_generate
from civicdesk.notifications.models import Notification
from civicdesk.organization.permissions import Role

pytestmark = pytest.mark.django_db

API = "/api/v1/applications/track"


def _html(response) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def _api(client: Client, reference: str, digits: str, ip: str = "10.0.0.1"):
    return client.post(
        API, {"reference": reference, "id_last4": digits}, content_type="application/json", REMOTE_ADDR=ip
    )


def test_found_shows_the_masked_timeline(make_application, client: Client) -> None:
    application = make_application()
    response = client.post("/track/", {"reference": application.reference.lower(), "id_last4": "6789"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "王○明" in html
    assert "A12345****" in html
    assert "王小明" not in html
    assert "A123456789" not in html
    assert (
        "Received"
        in client.post("/en/track/", {"reference": application.reference, "id_last4": "6789"}).content.decode()
    )
    api = _api(client, application.reference.replace("-", ""), "6789")
    assert api.status_code == 200
    body = api.json()
    assert body["applicant"] == "王○明"
    assert body["id_number"] == "A12345****"
    assert body["expected_by"] == application.due_date.isoformat()
    assert body["timeline"][0]["title"]
    assert TrackingAttempt.objects.filter(outcome="found").count() == 3


def test_unknown_reference_and_wrong_digits_get_the_same_answer(make_application, client: Client) -> None:
    application = make_application()
    unknown = reference_generate("FQ")
    wrong_digits = client.post("/track/", {"reference": application.reference, "id_last4": "0000"})
    not_found = client.post("/track/", {"reference": unknown, "id_last4": "0000"})
    assert wrong_digits.status_code == not_found.status_code == 200
    assert _html(wrong_digits).replace(application.reference, "X") == _html(not_found).replace(unknown, "X")
    api_wrong = _api(client, application.reference, "0000")
    api_unknown = _api(client, unknown, "0000")
    assert api_wrong.status_code == api_unknown.status_code == 404
    assert api_wrong.json() == api_unknown.json()
    # The same work either way: the same queries, in the same order.
    with CaptureQueriesContext(connection) as first:
        track_query(reference=application.reference, id_last4="1111", ip="10.0.0.9", via="api")
    with CaptureQueriesContext(connection) as second:
        track_query(reference=reference_generate("FQ"), id_last4="1111", ip="10.0.0.9", via="api")
    shape = [re.sub(r"'[^']*'|\d+", "?", q["sql"]) for q in first.captured_queries]
    assert shape == [re.sub(r"'[^']*'|\d+", "?", q["sql"]) for q in second.captured_queries]
    # PostgreSQL writes the audit row in the look-up's own statement; SQLite needs an INSERT after it.
    assert len(shape) == (1 if connection.vendor == "postgresql" else 2)


def test_sixth_failure_on_a_reference_is_refused_even_from_other_ips(make_application, client: Client) -> None:
    application = make_application()
    for n in range(5):
        assert _api(client, application.reference, "0000", ip=f"10.0.1.{n}").status_code == 404
    refused = _api(client, application.reference, "6789", ip="10.0.2.1")  # right digits, new IP: still refused
    assert refused.status_code == 429
    html = client.post("/track/", {"reference": application.reference, "id_last4": "6789"}, REMOTE_ADDR="10.0.3.1")
    assert html.status_code == 429
    assert html["Retry-After"] == "900"
    # Another reference is not affected.
    other = make_application()
    assert _api(client, other.reference, "6789", ip="10.0.2.1").status_code == 200
    assert TrackingAttempt.objects.filter(outcome="limited").count() == 2
    assert TrackingAttempt.objects.filter(outcome="not_matched").count() == 5


def test_thirty_failures_a_minute_from_one_ip_are_refused(catalogue, client: Client) -> None:
    for _ in range(30):
        assert _api(client, reference_generate("FQ"), "1234", ip="10.9.9.9").status_code == 404
    assert _api(client, reference_generate("FQ"), "1234", ip="10.9.9.9").status_code == 429
    assert _api(client, reference_generate("FQ"), "1234", ip="10.9.9.8").status_code == 404


def test_every_attempt_is_audited_without_the_digits(make_application, client: Client) -> None:
    application = make_application()
    _api(client, application.reference, "0000")
    _api(client, "FQ-AAAA", "0000")
    _api(client, application.reference, "12")
    outcomes = sorted(TrackingAttempt.objects.values_list("outcome", flat=True))
    assert outcomes == ["invalid", "invalid", "not_matched"]
    for attempt in TrackingAttempt.objects.all():
        assert "0000" not in attempt.reference
        assert attempt.ip_address == "10.0.0.1"


def test_malformed_input_gets_a_clear_message(catalogue, client: Client) -> None:
    response = client.post("/en/track/", {"reference": "FQ-OOOO-1111", "id_last4": "1234"})
    assert "never contain O, 0" in response.content.decode()
    api = _api(client, "FQ-7KQM", "12a4")
    assert api.status_code == 422


def test_case_numbers_go_to_the_case_hook(catalogue, client: Client, settings) -> None:
    response = _api(client, "110年公寓罰執專字第00319363號", "6789")
    assert response.status_code == 404  # no such case: "not found", same as any miss
    settings.APPLICATIONS_CASE_TRACKER = "tests.applications.test_tracking.fake_case_tracker"
    response = _api(client, "110年公寓罰執專字第00319363號", "6789")
    assert response.status_code == 200
    assert response.json()["reference"] == "110年公寓罰執專字第00319363號"
    # A hook that does not take the attempt (no `attempt=` parameter) is audited by a separate INSERT.
    assert list(TrackingAttempt.objects.order_by("id").values_list("outcome", flat=True)) == ["not_matched", "found"]


def fake_case_tracker(case_number: str, id_last4: str):
    import datetime

    from civicdesk.applications.tracking import Progress

    if id_last4 != "6789":
        return None
    return Progress(
        reference=case_number,
        service="case",
        applicant="王○明",
        id_number="A12345****",
        status="執行中",
        submitted_at=datetime.datetime(2026, 1, 5, tzinfo=datetime.UTC),
        expected_by=None,
        clock_paused=False,
        next_step="",
        contact="",
    )


def test_correction_shows_what_to_do_next(make_application, make_staff, client: Client) -> None:
    application = make_application()
    officer = make_staff(Role.ENFORCEMENT_OFFICER, unit="S01")
    application_correction_request(
        application=application, staff=officer, citizen_note="請補附薪資單", staff_note="秘密"
    )
    body = _api(client, application.reference, "6789").json()
    assert body["clock_paused"] is True
    assert body["expected_by"] is None
    assert "請補附薪資單" in body["next_step"]
    assert "秘密" not in str(body)


def test_a_correction_note_ending_in_a_full_stop_is_not_given_a_second(
    make_application, make_staff, client: Client
) -> None:
    application = make_application()
    officer = make_staff(Role.ENFORCEMENT_OFFICER, unit="S01")
    application_correction_request(application=application, staff=officer, citizen_note="請補附薪資單。", staff_note="")
    chinese = _api(client, application.reference, "6789").json()["next_step"]
    english = client.post(
        API,
        {"reference": application.reference, "id_last4": "6789"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    ).json()["next_step"]
    assert "請補附薪資單。" in chinese
    assert "。。" not in chinese
    assert "請補附薪資單. Sign in" in english
    message = Notification.objects.get(topic="applications.correction")  # the same note in the message sent
    assert "請補附薪資單" in message.body
    assert "。。" not in message.body
    assert "。." not in message.body


def test_track_page_works_without_javascript(client: Client, catalogue) -> None:
    html = client.get("/track/?reference=FQ-7KQM").content.decode()
    assert '<form method="post" action="/track/"' in html
    assert 'value="FQ-7KQM"' in html
    assert "<script" not in html


def test_the_api_answer_matches_its_schema_and_the_page(make_application, make_staff, client: Client) -> None:
    from civicdesk.applications.api import ProgressOut
    from civicdesk.applications.services import application_decide

    application = make_application()
    officer = make_staff(Role.ENFORCEMENT_OFFICER, unit="S01")
    application_decide(application=application, staff=officer, outcome="approved", citizen_note="核准分 6 期。")
    body = _api(client, application.reference, "6789").json()
    assert ProgressOut.model_validate(body).reference == application.reference
    titles = [entry["title"] for entry in body["timeline"]]
    assert titles[0] == "已收件"  # the API answers in the site's default language, like the page at /track/
    assert titles[-1].endswith("核准")
    assert body["timeline"][-1]["note"] == "核准分 6 期。"
    assert body["expected_by"] is None  # decided: nothing more to expect
    page = client.post("/track/", {"reference": application.reference, "id_last4": "6789"}).content.decode()
    for title in titles:
        assert title in page


def test_digits_must_be_ascii_digits(make_application, client: Client) -> None:
    application = make_application()
    assert _api(client, application.reference, "٦٧٨٩").status_code == 422  # Arabic-Indic digits
    assert _api(client, application.reference, "%789").status_code == 422  # never a LIKE wildcard
    assert _api(client, application.reference, "６７８９").status_code == 200  # full-width digits are folded


postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL connection health check")


def _first_request(reference: str) -> None:
    """A request on a new connection (kept for CONN_MAX_AGE), then what Django does before the next request:
    the kept connection is to be checked again before its next use."""
    connection.close()
    assert track_query(reference=reference, id_last4="6789", ip="10.0.0.1", via="api").outcome == "found"
    connection.close_if_unusable_or_obsolete()
    assert connection.connection is not None
    assert not connection.health_check_done


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_healthy_kept_connection_is_checked_without_a_round_trip(make_application, monkeypatch) -> None:
    application = make_application()
    _first_request(application.reference)
    monkeypatch.setattr(connection, "is_usable", lambda: pytest.fail("the health check sent SELECT 1"))
    assert track_query(reference=application.reference, id_last4="6789", ip="10.0.0.1", via="api").outcome == "found"


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_connection_closed_by_the_server_is_replaced_before_the_look_up(make_application) -> None:
    import psycopg

    application = make_application()
    _first_request(application.reference)
    closed = connection.connection
    with psycopg.connect(**connection.get_connection_params(), autocommit=True) as admin:
        # As on a server restart, a fail-over or an idle timeout; waits until the server has closed it.
        admin.execute("SELECT pg_terminate_backend(%s, 5000)", [closed.info.backend_pid])
    result = track_query(reference=application.reference, id_last4="6789", ip="10.0.0.1", via="api")
    assert result.outcome == "found"
    assert connection.connection is not closed
    assert TrackingAttempt.objects.filter(outcome="found").count() == 2


def test_the_api_answers_in_the_language_the_client_asks_for(make_application, client: Client) -> None:
    application = make_application()
    english = client.post(
        API, {"reference": "FQ-AAAA", "id_last4": "1234"}, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert english.status_code == 422
    assert english.json()["detail"].startswith("That is not a valid reference number")
    assert english["Content-Language"] == "en"
    assert "Accept-Language" in english["Vary"]
    chinese = client.post(API, {"reference": "FQ-AAAA", "id_last4": "1234"}, content_type="application/json")
    assert chinese["Content-Language"] == "zh-hant"
    assert chinese.json()["detail"] != english.json()["detail"]
    found = client.post(
        API,
        {"reference": application.reference, "id_last4": "6789"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.8",
    )
    assert found.status_code == 200
    assert found.json()["service"] == application.kind.title_en
    # Pages keep taking their language from the URL.
    page = client.get("/track/", HTTP_ACCEPT_LANGUAGE="en")
    assert page["Content-Language"] == "zh-hant"
