"""JSON API routes of the applications app (mounted under /api/v1/applications/).

``POST /api/v1/applications/track`` answers the public progress query with the same limits, audit and
identical "not found" answer as the web page. The ID digits travel in the body, never in the URL.

``POST /api/v1/track``, the path the public uses, is the same operation (``track_router``, mounted at the API's
root for its OpenAPI description); its well-formed requests are answered by :func:`direct_track_view`, ahead of
django-ninja's dispatch (docs/adr/0014-direct-progress-query-path.md).
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from ninja import Router, Schema
from pydantic import BaseModel, ValidationError

from civicdesk.applications.tracking import Progress, track_query
from civicdesk.audit.services import client_ip

router = Router(tags=["applications"])
# The same query at the exact path the issue names, POST /api/v1/track: the API root mounts this router at "/"
# (civicdesk.api.root), and config.urls serves that path's well-formed requests with direct_track_view.
track_router = Router(tags=["applications"])


class TrackIn(BaseModel):
    """A plain pydantic model, not a ninja Schema: Schema's validator wraps every input for reading ORM objects,
    which a request body never is (~4 % of a worker's Python time per query, py-spy; docs/applications.md)."""

    reference: str
    id_last4: str


class TimelineOut(Schema):
    at: datetime.datetime
    title: str
    note: str


class ProgressOut(Schema):
    reference: str
    service: str
    applicant: str
    id_number: str
    status: str
    submitted_at: datetime.datetime
    expected_by: datetime.date | None
    clock_paused: bool
    next_step: str
    contact: str
    timeline: list[TimelineOut]


class ErrorOut(Schema):
    detail: str


_TRACK_OPERATION = {
    "response": {200: ProgressOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    "summary": "Public progress query: reference (or case) number + last 4 digits of the ID number",
    "auth": None,
}


# Django's JSON form of dates and times (what JsonResponse writes: ISO 8601, milliseconds, "Z" for UTC).
_TIME_JSON = DjangoJSONEncoder().default


def _progress_json(progress: Progress) -> str:
    """ProgressOut's fields as JSON, built directly: re-validating our own dataclass through pydantic on every answer
    cost more than the database look-up, and an encoder class called back for each date cost more than writing the
    dates first (bench/bench_applications_track.py)."""
    expected_by = progress.expected_by
    return json.dumps(
        {
            "reference": progress.reference,
            "service": progress.service,
            "applicant": progress.applicant,
            "id_number": progress.id_number,
            "status": progress.status,
            "submitted_at": _TIME_JSON(progress.submitted_at),
            "expected_by": None if expected_by is None else _TIME_JSON(expected_by),
            "clock_paused": progress.clock_paused,
            "next_step": progress.next_step,
            "contact": progress.contact,
            "timeline": [
                {"at": _TIME_JSON(entry.at), "title": entry.title, "note": entry.note} for entry in progress.timeline
            ],
        }
    )


_STATUS = {"limited": 429, "invalid": 422, "not_matched": 404}


def track(request: HttpRequest, payload: TrackIn) -> HttpResponse:
    """The API's answer to one query, whichever path it came by (the schema above documents it)."""
    result = track_query(reference=payload.reference, id_last4=payload.id_last4, ip=client_ip(request), via="api")
    if result.outcome == "found" and result.progress is not None:
        return HttpResponse(_progress_json(result.progress), content_type="application/json")
    response = JsonResponse({"detail": result.message}, status=_STATUS[result.outcome])
    if result.retry_after:
        response["Retry-After"] = str(result.retry_after)
    return response


def direct_track_view(api_view: Callable[..., HttpResponse]) -> Callable[[HttpRequest], HttpResponse]:
    """A view for the API's busiest path that answers a well-formed query without django-ninja's dispatch.

    A POST whose body is a JSON object with both fields as text is answered here, by the operation's own code
    (:func:`track`); anything else — another method, a body that is not JSON, a field missing or not text — goes
    to `api_view`, the operation as django-ninja serves it, so its errors (405, 400, 422 with the list of what is
    wrong) stay django-ninja's. Ninja's dispatch (its temporary response, parameter model and URL patterns) cost
    ~60 µs of CPU per query, a tenth of the query's own work (docs/adr/0014-direct-progress-query-path.md).
    """

    @csrf_exempt  # as django-ninja's operations are: no cookies are read, the body carries the query
    def track_direct(request: HttpRequest) -> HttpResponse:
        if request.method == "POST":
            try:
                payload = TrackIn.model_validate_json(request.body)
            except ValidationError:
                return api_view(request)
            return track(request, payload)
        return api_view(request)

    return track_direct


router.post("/track", operation_id="applications_track", **_TRACK_OPERATION)(track)  # type: ignore[arg-type]
track_router.post("/track", operation_id="track", **_TRACK_OPERATION)(track)  # type: ignore[arg-type]
