"""POST /api/v1/track, answered ahead of django-ninja's dispatch: the same answers as the API's own operation."""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.test import Client
from ninja.operation import Operation

from civicdesk.api.root import api
from civicdesk.applications.models import TrackingAttempt
from civicdesk.applications.tracking import REFERENCE_FAILURES
from civicdesk.core.reference_numbers import reference_generate

pytestmark = pytest.mark.django_db

DIRECT = "/api/v1/track"
NINJA = "/api/v1/applications/track"  # the same operation, served by django-ninja only


def _both(client: Client, body: str, method: str = "post") -> list[tuple[int, bytes, str, str]]:
    """The answer of each path to the same request, each from a clean slate of failure counters."""
    answers = []
    for path in (DIRECT, NINJA):
        cache.clear()
        send = getattr(client, method)
        response = send(path, body, content_type="application/json") if method == "post" else send(path)
        retry_after = response.get("Retry-After", "")
        answers.append((response.status_code, response.content, response["Content-Type"], retry_after))
    return answers


@pytest.mark.parametrize(
    "body",
    [
        '{"reference": "FQ-7KQM-ABCD", "id_last4": "1234"}',  # well formed, unknown
        '{"reference": "FQ-OOOO-1111", "id_last4": "1234"}',  # not a reference number
        '{"reference": "FQ-7KQM", "id_last4": "12a4"}',  # not four digits
        '{"reference": "FQ-7KQM"}',  # a field missing
        '{"reference": "FQ-7KQM", "id_last4": 1234}',  # a number, not text
        '["FQ-7KQM", "1234"]',  # not an object
        "{",  # not JSON
        "",  # no body
    ],
)
def test_every_kind_of_request_gets_the_operations_answer(catalogue, client: Client, body: str) -> None:
    direct, ninja = _both(client, body)
    assert direct == ninja
    assert direct[0] in {400, 404, 422}


def test_a_found_application_gets_the_operations_answer(make_application, client: Client) -> None:
    application = make_application()
    direct, ninja = _both(client, f'{{"reference": "{application.reference}", "id_last4": "6789"}}')
    assert direct == ninja
    assert direct[0] == 200
    assert b"A12345****" in direct[1]
    # Dates as Django's JSON encoder writes them (ISO 8601, milliseconds, "Z"), like every other API answer.
    body = json.loads(direct[1])
    assert body["submitted_at"] == DjangoJSONEncoder().default(application.submitted_at)
    assert body["submitted_at"].endswith("Z")
    assert body["expected_by"] == application.due_date.isoformat()
    assert TrackingAttempt.objects.filter(outcome="found", via="api").count() == 2


def test_another_method_gets_the_operations_answer(catalogue, client: Client) -> None:
    direct, ninja = _both(client, "", method="get")
    assert direct == ninja
    assert direct[0] == 405


def test_a_refused_query_says_when_to_try_again_on_both_paths(catalogue, client: Client) -> None:
    reference = reference_generate("FQ")
    body = f'{{"reference": "{reference}", "id_last4": "1234"}}'
    for path in (DIRECT, NINJA):
        cache.clear()
        for _attempt in range(REFERENCE_FAILURES):
            assert client.post(path, body, content_type="application/json").status_code == 404
        refused = client.post(path, body, content_type="application/json")
        assert refused.status_code == 429
        assert refused["Retry-After"] == str(15 * 60)


def test_a_well_formed_query_does_not_go_through_ninjas_dispatch(make_application, client: Client, monkeypatch) -> None:
    application = make_application()

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("django-ninja's dispatch was used")

    monkeypatch.setattr(Operation, "run", refuse)
    body = f'{{"reference": "{application.reference}", "id_last4": "6789"}}'
    assert client.post(DIRECT, body, content_type="application/json").status_code == 200
    with pytest.raises(AssertionError, match="dispatch was used"):
        client.post(DIRECT, '{"reference": 1}', content_type="application/json")


def test_the_openapi_description_keeps_the_path(client: Client) -> None:
    schema = api.get_openapi_schema()
    operation = schema["paths"]["/api/v1/track"]["post"]
    assert operation["operationId"] == "track"
    assert set(operation["responses"]) == {200, 404, 422, 429}
