"""JSON API routes of the applications app (mounted under /api/v1/applications/).

``POST /api/v1/applications/track`` answers the public progress query with the same limits, audit and
identical "not found" answer as the web page. The ID digits travel in the body, never in the URL.
"""

from __future__ import annotations

import datetime

from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import Router, Schema, Status
from ninja.responses import NinjaJSONEncoder
from pydantic import BaseModel

from civicdesk.applications.tracking import Progress, track_query
from civicdesk.audit.services import client_ip

router = Router(tags=["applications"])
# The same query at the exact path the issue names, POST /api/v1/track, once the API root mounts this router
# at "/" (api.add_router("/", "civicdesk.applications.api.track_router")).
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


def _progress_json(progress: Progress) -> dict[str, object]:
    """ProgressOut's fields, built directly: re-validating our own dataclass through pydantic on every
    answer cost more than the database look-up (bench/bench_applications_track.py)."""
    return {
        "reference": progress.reference,
        "service": progress.service,
        "applicant": progress.applicant,
        "id_number": progress.id_number,
        "status": progress.status,
        "submitted_at": progress.submitted_at,
        "expected_by": progress.expected_by,
        "clock_paused": progress.clock_paused,
        "next_step": progress.next_step,
        "contact": progress.contact,
        "timeline": [{"at": entry.at, "title": entry.title, "note": entry.note} for entry in progress.timeline],
    }


def track(request: HttpRequest, payload: TrackIn) -> HttpResponse | Status[dict[str, str]]:
    result = track_query(reference=payload.reference, id_last4=payload.id_last4, ip=client_ip(request), via="api")
    if result.outcome == "found" and result.progress is not None:
        return JsonResponse(_progress_json(result.progress), encoder=NinjaJSONEncoder)
    if result.outcome == "limited":
        return Status(429, {"detail": result.message})
    if result.outcome == "invalid":
        return Status(422, {"detail": result.message})
    return Status(404, {"detail": result.message})


router.post("/track", operation_id="applications_track", **_TRACK_OPERATION)(track)  # type: ignore[arg-type]
track_router.post("/track", operation_id="track", **_TRACK_OPERATION)(track)  # type: ignore[arg-type]
