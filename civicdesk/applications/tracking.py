"""The public progress query (A2.4, A2.6): reference number (or case number) + the last 4 digits of the ID.

* One access function, :func:`application_for_tracking`, is the only way the public reaches an
  application; it answers ``None`` alike when the reference does not exist and when the digits are
  wrong, doing the same work (one query, one constant-time comparison) either way.
* Failures are limited per reference (5 per 15 minutes, whatever the IP) and per IP (30 per minute),
  counted in the shared Django cache; a refused attempt does not even look the reference up.
* Every attempt is written to :class:`TrackingAttempt` (never the ID digits).
* Enforcement case numbers go to the hook named by ``APPLICATIONS_CASE_TRACKER`` (a dotted path to a
  function ``(case_number, id_last4) -> Progress | None``); until the cases app provides one the
  default answers "not found", with the same limits and audit.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from django.conf import settings
from django.core.cache import cache
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from civicdesk.applications.models import (
    CITIZEN_STATUS_LABELS,
    Application,
    ApplicationEvent,
    Citizen,
    Status,
    TrackingAttempt,
)
from civicdesk.core.identifiers import normalize_citizen_input
from civicdesk.core.masking import mask_id, mask_name
from civicdesk.core.reference_numbers import InvalidReferenceError, reference_validate

REFERENCE_FAILURES = 5
REFERENCE_WINDOW = 15 * 60
IP_FAILURES = 30
IP_WINDOW = 60
_DUMMY_DIGITS = "\x00\x00\x00\x00"

Outcome = Literal["found", "not_matched", "invalid", "limited"]


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime.datetime
    title: str
    note: str = ""


@dataclass(frozen=True)
class Progress:
    """What the public may see of an application or case: masked, citizen wording only."""

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
    timeline: list[TimelineEntry] = field(default_factory=list)


@dataclass(frozen=True)
class TrackResult:
    outcome: Outcome
    progress: Progress | None = None
    message: str = ""
    retry_after: int = 0


def _no_case_tracker(case_number: str, id_last4: str) -> Progress | None:
    """Default case-number hook: no case data here yet, so every case number is "not found"."""
    return None


def case_tracker() -> Callable[[str, str], Progress | None]:
    dotted = getattr(settings, "APPLICATIONS_CASE_TRACKER", "")
    if not dotted:
        return _no_case_tracker
    tracker: Callable[[str, str], Progress | None] = import_string(dotted)
    return tracker


# Only what the public view needs: the look-up is the hot path of the progress query (see bench/).
_PUBLIC_FIELDS = (
    "id",
    "reference",
    "id_number",
    "applicant_name",
    "status",
    "outcome",
    "submitted_at",
    "due_date",
    "kind__title_zh",
    "kind__title_en",
    "kind__contact_zh",
    "kind__contact_en",
)


def application_for_tracking(*, reference: str, id_last4: str) -> Application | None:
    """The only public way to an application: None when it does not exist or the digits do not match."""
    found = list(
        Application.objects.filter(reference=reference).order_by().select_related("kind").only(*_PUBLIC_FIELDS)[:1]
    )
    application = found[0] if found else None
    expected = application.id_number[-4:] if application is not None else _DUMMY_DIGITS
    digits_match = hmac.compare_digest(expected.encode(), id_last4.encode())
    if application is None:
        return None
    if not digits_match:
        return None
    return application


def _event_title(kind: str, to_status: str, outcome_label: str) -> str:
    if kind == ApplicationEvent.Kind.CORRECTION_REQUESTED:
        return _("Documents requested from you")
    if kind == ApplicationEvent.Kind.CORRECTION_RECEIVED:
        return _("Your documents were received")
    if kind == ApplicationEvent.Kind.DECIDED:
        return _("Decided: %(outcome)s") % {"outcome": outcome_label}
    return str(CITIZEN_STATUS_LABELS.get(to_status, ApplicationEvent.Kind(kind).label))


def progress_for(application: Application) -> Progress:
    """The masked, citizen-worded view of an application (timeline from its public events)."""
    events = list(
        ApplicationEvent.objects.filter(application_id=application.pk, public=True)
        .exclude(kind=ApplicationEvent.Kind.MESSAGE_QUEUED)
        .order_by("at", "id")
        .values_list("at", "kind", "to_status", "citizen_note")
    )
    outcome_label = application.get_outcome_display()
    timeline = [
        TimelineEntry(at=at, title=_event_title(kind, to_status, outcome_label), note=note)
        for at, kind, to_status, note in events
    ]
    paused = application.status == Status.CORRECTION
    if paused:
        asked = next(
            (note for _at, kind, _to, note in reversed(events) if kind == ApplicationEvent.Kind.CORRECTION_REQUESTED),
            "",
        )
        next_step = _(
            "Send us what we asked for: %(what)s. Sign in to upload it, or bring it to the counter. "
            "The time limit is paused until we receive it."
        ) % {"what": asked}
    elif application.status == Status.DECIDED:
        next_step = _("Nothing: the decision has been sent to you.")
    elif application.status == Status.WITHDRAWN:
        next_step = _("Nothing: the application was withdrawn.")
    else:
        next_step = _("Nothing for now. We will tell you by e-mail or SMS when something changes.")
    return Progress(
        reference=application.reference,
        service=application.kind.title,
        applicant=mask_name(application.applicant_name),
        id_number=mask_id(application.id_number),
        status=application.citizen_status,
        submitted_at=application.submitted_at,
        expected_by=None if paused or not application.is_open else application.due_date,
        clock_paused=paused,
        next_step=next_step,
        contact=application.kind.contact,
        timeline=timeline,
    )


def _key(kind: str, value: str) -> str:
    return f"applications:track:{kind}:{hashlib.sha256(value.encode()).hexdigest()[:32]}"


def _count(key: str) -> int:
    return int(cache.get(key, 0))


def _fail(key: str, window: int) -> None:
    if cache.add(key, 1, timeout=window):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window)


def _audit(*, ip: str | None, via: str, reference: str, outcome: str, citizen: Citizen | None) -> None:
    TrackingAttempt.objects.create(ip_address=ip, via=via, reference=reference[:80], outcome=outcome, citizen=citizen)


def not_matched_message() -> str:
    return _(
        "We could not find an application or case with that number and those ID digits. "
        "Check both and try again, or call us."
    )


def track_query(
    *, reference: str, id_last4: str, ip: str | None, via: str, citizen: Citizen | None = None
) -> TrackResult:
    """Answer one progress query, with the limits and the audit described in the module docstring."""
    typed = (reference or "").strip()[:80]
    ip_key = _key("ip", ip or "-")
    if _count(ip_key) >= IP_FAILURES:
        _audit(ip=ip, via=via, reference=typed, outcome="limited", citizen=citizen)
        return TrackResult(outcome="limited", message=_limited_message(), retry_after=IP_WINDOW)
    digits = normalize_citizen_input(id_last4 or "")
    is_case = "字第" in typed
    try:
        canonical = normalize_citizen_input(typed) if is_case else reference_validate(typed)
    except InvalidReferenceError:
        _fail(ip_key, IP_WINDOW)
        _audit(ip=ip, via=via, reference=typed, outcome="invalid", citizen=citizen)
        return TrackResult(
            outcome="invalid",
            message=_(
                "That is not a valid reference number. Check each character against your receipt "
                "(reference numbers never contain O, 0, I, 1, S, 5, Z, 2, B or 8)."
            ),
        )
    if len(digits) != 4 or not digits.isdigit():
        _fail(ip_key, IP_WINDOW)
        _audit(ip=ip, via=via, reference=canonical, outcome="invalid", citizen=citizen)
        return TrackResult(outcome="invalid", message=_("Enter the last 4 digits of the ID number, like 6789."))
    reference_key = _key("ref", canonical)
    if _count(reference_key) >= REFERENCE_FAILURES:
        _audit(ip=ip, via=via, reference=canonical, outcome="limited", citizen=citizen)
        return TrackResult(outcome="limited", message=_limited_message(), retry_after=REFERENCE_WINDOW)
    if is_case:
        progress = case_tracker()(canonical, digits)
    else:
        application = application_for_tracking(reference=canonical, id_last4=digits)
        progress = progress_for(application) if application is not None else None
    if progress is None:
        _fail(reference_key, REFERENCE_WINDOW)
        _fail(ip_key, IP_WINDOW)
        _audit(ip=ip, via=via, reference=canonical, outcome="not_matched", citizen=citizen)
        return TrackResult(outcome="not_matched", message=not_matched_message())
    _audit(ip=ip, via=via, reference=canonical, outcome="found", citizen=citizen)
    return TrackResult(outcome="found", progress=progress)


def _limited_message() -> str:
    return _("Too many unsuccessful attempts. For your security, please try again later or call us.")
