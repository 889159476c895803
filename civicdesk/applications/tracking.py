"""The public progress query (A2.4, A2.6): reference number (or case number) + the last 4 digits of the ID.

* One access function per kind of number, :func:`application_progress_for_tracking` here and the cases app's
  hook for case numbers, is the only way the public reaches a record. Each is one SQL statement that also
  compares the digits, so an unknown number and wrong digits run the same statement, get no row back and
  give the same answer; no personal data leaves the database unless the pair matches.
* Failures are limited per reference (5 per 15 minutes, whatever the IP) and per IP (30 per minute),
  counted in the shared Django cache (Redis in production): both counters are read in one round trip, and a
  failure adds to them in one more (a pipeline on Redis). A refused attempt does not look the number up.
* Every attempt is written to :class:`TrackingAttempt` (never the ID digits) before the answer goes out:
  one INSERT in the request's autocommit — on PostgreSQL part of the look-up's own statement
  (:func:`lookup_rows`) — so an attempt whose row could not be written gets an error, not an answer.
* Enforcement case numbers go to the hook named by ``APPLICATIONS_CASE_TRACKER`` (a dotted path to a
  function ``(case_number, id_last4, *, attempt=None) -> Progress | None``; a hook that takes ``attempt``
  runs its look-up through :func:`lookup_rows`), with the same limits and audit.

The costs of one query are measured by bench/bench_applications_track.py (docs/applications.md).
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import inspect
import select
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import psycopg
import redis
from django.conf import settings
from django.core.cache import cache, caches
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django_redis.cache import RedisCache

from civicdesk.applications.models import (
    CITIZEN_STATUS_LABELS,
    Application,
    ApplicationEvent,
    Citizen,
    ServiceKind,
    Status,
    TrackingAttempt,
)
from civicdesk.applications.models import Outcome as DecisionOutcome
from civicdesk.core.i18n import english_active, inside_sentence, per_language
from civicdesk.core.identifiers import normalize_citizen_input
from civicdesk.core.masking import mask_id, mask_name
from civicdesk.core.reference_numbers import InvalidReferenceError, reference_validate

REFERENCE_FAILURES = 5
REFERENCE_WINDOW = 15 * 60
IP_FAILURES = 30
IP_WINDOW = 60
_OUTCOME_LABELS = dict(DecisionOutcome.choices)

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


@functools.lru_cache(maxsize=8)
def _case_tracker(dotted: str) -> tuple[Callable[..., Progress | None], bool]:
    """The hook named by `dotted` (imported once) and whether it takes the attempt to audit (`attempt=`)."""
    tracker: Callable[..., Progress | None] = import_string(dotted) if dotted else _no_case_tracker
    return tracker, "attempt" in inspect.signature(tracker).parameters


def _track_case(case_number: str, id_last4: str, attempt: Attempt) -> Progress | None:
    """Ask the case hook; one that takes `attempt` passes it to lookup_rows, which audits it with the look-up."""
    tracker, takes_attempt = _case_tracker(getattr(settings, "APPLICATIONS_CASE_TRACKER", ""))
    if takes_attempt:
        return tracker(case_number, id_last4, attempt=attempt)
    return tracker(case_number, id_last4)


def _aware(value: datetime.datetime) -> datetime.datetime:
    """A datetime read with a raw cursor: SQLite gives it naive (stored in UTC), PostgreSQL aware."""
    return value if value.tzinfo is not None else value.replace(tzinfo=datetime.UTC)


# Django turns psycopg's statement preparation off (prepare_threshold None); this re-enables it for explicit
# requests only: Django's own cursors bind on the client side and never prepare, so they are not affected.
_EXPLICIT_PREPARE_ONLY = 2**31


def _run(sql: str, params: list[Any], *, returns_rows: bool = True) -> list[tuple[Any, ...]]:
    """Run one statement of the progress query; its rows (``returns_rows=False`` for an INSERT: none).

    On PostgreSQL the statement is prepared once per connection, which saves planning its joins on every request —
    planning cost more than running the look-up — and its rows come back in binary, which psycopg reads without
    parsing text (timestamps above all). It runs on a plain psycopg cursor with server-side binding, inside
    Django's error translation (``wrap_database_errors``, so a failure marks the connection for Django's clean-up
    as any query's would): Django's cursor wrapper around it cost as much as the driver's own work. Django
    leaves prepared statements off for the sake of transaction-mode connection poolers, so this is a setting:
    APPLICATIONS_TRACKING_PREPARED_STATEMENTS (default on; turn it off behind a pooler that cannot keep prepared
    statements, e.g. PgBouncer < 1.21 in transaction mode). Elsewhere, while queries are logged (DEBUG, tests
    capturing queries: Django logs only client-side bound SQL) or while an execute wrapper is installed, it is
    Django's ordinary cursor; SQLite's driver caches its statements anyway. The connection's health check
    (CONN_HEALTH_CHECKS) is the one of :func:`_check_connection_health`.
    """
    wrapper = connections[DEFAULT_DB_ALIAS]  # once: each use of the `connection` proxy looks it up again
    if (
        wrapper.vendor != "postgresql"
        or wrapper.queries_logged
        or wrapper.execute_wrappers
        or not getattr(settings, "APPLICATIONS_TRACKING_PREPARED_STATEMENTS", True)
    ):
        with wrapper.cursor() as cursor:
            cursor.execute(sql, params)
            return list(cursor.fetchall()) if returns_rows else []
    _check_connection_health(wrapper)
    wrapper.ensure_connection()
    wrapper.validate_thread_sharing()
    wrapper.validate_no_broken_transaction()
    raw_connection = wrapper.connection
    if raw_connection.prepare_threshold is None:
        raw_connection.prepare_threshold = _EXPLICIT_PREPARE_ONLY
    with wrapper.wrap_database_errors, psycopg.Cursor(raw_connection) as cursor:
        cursor.execute(sql, params, prepare=True, binary=True)
        # Not cursor.description, which builds a column object per column on every call (~20 µs here).
        return cursor.fetchall() if returns_rows else []


def _check_connection_health(wrapper: Any) -> None:  # Any: django-stubs lacks the health-check flags
    """Django's health check of a reused PostgreSQL connection, without its round trip when nothing is wrong.

    With CONN_HEALTH_CHECKS Django sends `SELECT 1` before the first query of every request: one more round
    trip per public query. A connection idle in autocommit has nothing to read, so whatever the server did to
    it since its last answer — closed it on a restart, a fail-over, pg_terminate_backend or an idle timeout,
    with or without a FATAL message first — leaves its socket readable (or libpq's status not OK). A socket
    with nothing to read counts as checked; anything else gets Django's own check (`SELECT 1`, and a new
    connection if that fails). The one difference: a server host that vanished without closing its sockets is
    noticed by the first packet sent, so there the query itself fails (an error answer, no data) where
    Django's check would have reconnected first; the broken connection is replaced when the request ends.
    """
    raw_connection = wrapper.connection
    if raw_connection is None or not wrapper.health_check_enabled or wrapper.health_check_done:
        return
    from psycopg import pq

    pgconn = raw_connection.pgconn
    if (
        pgconn.status == pq.ConnStatus.OK
        and pgconn.transaction_status == pq.TransactionStatus.IDLE
        and not _has_input(pgconn.socket)
    ):
        wrapper.health_check_done = True
        return
    wrapper.close_if_health_check_failed()


def _has_input(fd: int) -> bool:
    """Whether the socket has something to read (or was closed or failed), without waiting."""
    poller = select.poll()
    poller.register(fd, select.POLLIN | select.POLLPRI)
    return bool(poller.poll(0))


def digits_pattern(id_last4: str) -> str:
    """A LIKE pattern for an ID number ending in `id_last4` (digits only, already checked: no wildcards)."""
    return "%" + id_last4


# The hot path of the progress query (see bench/): one indexed statement reads the application, its
# service's wording and its public timeline. The digits are compared by the database, so an unknown
# reference and wrong digits run the same statement and both get no row back: no personal data leaves
# the database unless the pair matches. An application without a public event still gives one row.
_APPLICATION_PROGRESS_SQL = """
SELECT a.reference, a.id_number, a.applicant_name, a.status, a.outcome, a.submitted_at, a.due_date,
       k.title_zh, k.title_en, k.contact_zh, k.contact_en,
       e.at AS event_at, e.kind AS event_kind, e.to_status, e.citizen_note, e.id AS event_id
FROM {application} a
JOIN {kind} k ON k.id = a.kind_id
LEFT JOIN {event} e ON e.application_id = a.id AND e.public = %s AND e.kind <> %s
WHERE a.reference = %s AND a.id_number LIKE %s
"""
# On PostgreSQL the attempt's audit row is written by the same statement as a look-up (a data-modifying WITH,
# run exactly once whatever the outcome), saving a round trip per query; its outcome is decided by whether a
# row matched. The rows are sorted outside the WITH: a CTE's own order is not guaranteed.
_AUDITED_SQL = """
WITH found AS ({select}),
attempt AS (
  INSERT INTO {attempt} (at, ip_address, via, reference, outcome, citizen_id)
  SELECT %s, %s::inet, %s, %s, CASE WHEN EXISTS (SELECT 1 FROM found) THEN %s ELSE %s END, %s
)
SELECT * FROM found ORDER BY {order_by}
"""


@dataclass
class Attempt:
    """One progress-query attempt to audit (never the ID digits); `audited` once its row has been written."""

    ip: str | None
    via: str
    reference: str
    citizen: Citizen | None
    audited: bool = False


@functools.lru_cache(maxsize=16)
def _lookup_sql(select: str, order_by: str, *, audited: bool) -> str:
    """A look-up's full SQL (built once per statement, not on every query)."""
    if not audited:
        return f"{select} ORDER BY {order_by}"
    attempt = connection.ops.quote_name(TrackingAttempt._meta.db_table)
    return _AUDITED_SQL.format(select=select, attempt=attempt, order_by=order_by)


def lookup_rows(
    select: str, params: list[Any], *, order_by: str, attempt: Attempt | None = None
) -> list[tuple[Any, ...]]:
    """The rows of one progress look-up: `select` compares the ID digits in the database, so a miss is no row.

    `order_by` names output columns of `select`. With `attempt` on PostgreSQL the same statement also writes
    the attempt's audit row (outcome "found" when a row came back, else "not_matched") and marks it audited;
    elsewhere the caller (track_query) writes the row with a separate INSERT.
    """
    audited = attempt is not None and not attempt.audited and connection.vendor == "postgresql"
    if audited and attempt is not None:
        # PostgreSQL only: the datetime as it is (what Django's adapter returns there), the IP as text cast by
        # the statement; Django's adapter parses it into an ipaddress object first, the dearest audit value.
        citizen_id = attempt.citizen.pk if attempt.citizen is not None else None
        audit = [timezone.now(), attempt.ip, attempt.via, attempt.reference[:80], "found", "not_matched", citizen_id]
        params = [*params, *audit]
    rows = _run(_lookup_sql(select, order_by, audited=audited), params)
    if audited and attempt is not None:
        attempt.audited = True
    return rows


@functools.cache
def _application_progress_sql() -> str:
    """The application look-up's SELECT for this database (table names quoted once, not on every query)."""
    quote = connection.ops.quote_name
    return _APPLICATION_PROGRESS_SQL.format(
        application=quote(Application._meta.db_table),
        kind=quote(ServiceKind._meta.db_table),
        event=quote(ApplicationEvent._meta.db_table),
    )


def application_progress_for_tracking(
    *, reference: str, id_last4: str, attempt: Attempt | None = None
) -> Progress | None:
    """The only public way to an application: None alike when it does not exist or the digits do not match.

    With `attempt`, audited by the look-up's own statement where the database allows (see lookup_rows).
    """
    rows = lookup_rows(
        _application_progress_sql(),
        [True, ApplicationEvent.Kind.MESSAGE_QUEUED, reference, digits_pattern(id_last4)],
        order_by="event_at, event_id",
        attempt=attempt,
    )
    if not rows:
        return None
    first = rows[0]
    english = english_active()
    return _progress(
        reference=first[0],
        id_number=first[1],
        applicant_name=first[2],
        status=first[3],
        outcome=first[4],
        submitted_at=_aware(first[5]),
        due_date=first[6],
        service=(first[8] if english and first[8] else first[7]),
        contact=(first[10] if english and first[10] else first[9]),
        events=[(_aware(at), kind, to_status, note) for *_a, at, kind, to_status, note, _id in rows if at is not None],
    )


@dataclass(frozen=True)
class _Wording:
    """The progress query's fixed citizen wording in one language."""

    statuses: dict[str, str]
    event_kinds: dict[str, str]
    correction_requested: str
    correction_received: str
    decided: dict[str, str]  # by outcome
    correction_step: str  # with %(what)s
    decided_step: str
    withdrawn_step: str
    waiting_step: str


@per_language
def _wording() -> _Wording:
    return _Wording(
        statuses={status: str(label) for status, label in CITIZEN_STATUS_LABELS.items()},
        event_kinds={kind: str(label) for kind, label in ApplicationEvent.Kind.choices},
        correction_requested=_("Documents requested from you"),
        correction_received=_("Your documents were received"),
        decided={outcome: _("Decided: %(outcome)s") % {"outcome": label} for outcome, label in _OUTCOME_LABELS.items()},
        correction_step=_(
            "Send us what we asked for: %(what)s. Sign in to upload it, or bring it to the counter. "
            "The time limit is paused until we receive it."
        ),
        decided_step=_("Nothing: the decision has been sent to you."),
        withdrawn_step=_("Nothing: the application was withdrawn."),
        waiting_step=_("Nothing for now. We will tell you by e-mail or SMS when something changes."),
    )


def _event_title(wording: _Wording, kind: str, to_status: str, outcome: str) -> str:
    if kind == ApplicationEvent.Kind.CORRECTION_REQUESTED:
        return wording.correction_requested
    if kind == ApplicationEvent.Kind.CORRECTION_RECEIVED:
        return wording.correction_received
    if kind == ApplicationEvent.Kind.DECIDED:
        return wording.decided.get(outcome) or _("Decided: %(outcome)s") % {"outcome": outcome}
    return wording.statuses.get(to_status) or wording.event_kinds.get(kind) or str(ApplicationEvent.Kind(kind).label)


def progress_for(application: Application) -> Progress:
    """The masked, citizen-worded view of an application (timeline from its public events)."""
    events = list(
        ApplicationEvent.objects.filter(application_id=application.pk, public=True)
        .exclude(kind=ApplicationEvent.Kind.MESSAGE_QUEUED)
        .order_by("at", "id")
        .values_list("at", "kind", "to_status", "citizen_note")
    )
    return _progress(
        reference=application.reference,
        id_number=application.id_number,
        applicant_name=application.applicant_name,
        status=application.status,
        outcome=application.outcome,
        submitted_at=application.submitted_at,
        due_date=application.due_date,
        service=application.kind.title,
        contact=application.kind.contact,
        events=events,
    )


def _progress(
    *,
    reference: str,
    id_number: str,
    applicant_name: str,
    status: str,
    outcome: str,
    submitted_at: datetime.datetime,
    due_date: datetime.date,
    service: str,
    contact: str,
    events: list[tuple[datetime.datetime, str, str, str]],
) -> Progress:
    wording = _wording()
    timeline = [
        TimelineEntry(at=at, title=_event_title(wording, kind, to_status, outcome), note=note)
        for at, kind, to_status, note in events
    ]
    paused = status == Status.CORRECTION
    if paused:
        asked = next(
            (note for _at, kind, _to, note in reversed(events) if kind == ApplicationEvent.Kind.CORRECTION_REQUESTED),
            "",
        )
        next_step = wording.correction_step % {"what": inside_sentence(asked)}
    elif status == Status.DECIDED:
        next_step = wording.decided_step
    elif status == Status.WITHDRAWN:
        next_step = wording.withdrawn_step
    else:
        next_step = wording.waiting_step
    is_open = status not in {Status.DECIDED, Status.WITHDRAWN}
    return Progress(
        reference=reference,
        service=service,
        applicant=mask_name(applicant_name),
        id_number=mask_id(id_number),
        status=wording.statuses[status],
        submitted_at=submitted_at,
        expected_by=None if paused or not is_open else due_date,
        clock_paused=paused,
        next_step=next_step,
        contact=contact,
        timeline=timeline,
    )


def _key(kind: str, value: str) -> str:
    return f"applications:track:{kind}:{hashlib.sha256(value.encode()).hexdigest()[:32]}"


def _failure_counts(keys: list[str]) -> list[int]:
    """The failure counters, read in one round trip (MGET on Redis).

    On Redis straight from the client: the counters are plain integers (written by INCR, below), so django-redis's
    per-key decoding, which tries unpickling, has nothing to do.
    """
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        make_key = backend.client.make_key
        values = _mget(backend.client.get_client(write=False), [make_key(key) for key in keys])
        return [0 if value is None else int(value) for value in values]
    found = cache.get_many(keys)
    return [int(found.get(key, 0)) for key in keys]


def _mget(client: redis.Redis, keys: list[str]) -> list[bytes | None]:
    """``MGET keys`` on the client's own connection (``single_connection_client``): sent and read directly, without
    the client's per-command wrapping (retry closure, timing and metrics hooks) — 47 → 35 µs of CPU per call in one
    process. A connection that fails is dropped and the command goes through the client, which reconnects and
    retries as usual; a client without its own connection is used as it is."""
    connection = client.connection
    if connection is None:
        return client.mget(keys)  # type: ignore[return-value]  # redis-py types the sync and async clients alike
    with client.single_connection_lock:
        try:
            connection.send_command("MGET", *keys)
            return connection.read_response()
        except (redis.ConnectionError, redis.TimeoutError):
            connection.disconnect()
    return client.mget(keys)  # type: ignore[return-value]


def _record_failures(windows: dict[str, int]) -> None:
    """Add one failure to each counter; a counter starts its window (seconds) at its first failure."""
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        # One round trip: create each counter with its expiry unless it exists, then increment it. INCR keeps
        # the expiry, so the window is fixed from the first failure, as with add()/incr() below.
        pipeline = backend.client.get_client(write=True).pipeline(transaction=False)
        for key, window in windows.items():
            raw = backend.client.make_key(key)
            pipeline.set(raw, 0, ex=window, nx=True)
            pipeline.incr(raw)
        pipeline.execute()
        return
    for key, window in windows.items():
        if cache.add(key, 1, timeout=window):
            continue
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=window)


_AUDIT_SQL = "INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s, %s, %s)"


def _attempt_values(attempt: Attempt, outcome: str = "") -> list[Any]:
    """The audit row's values, in the column order of _AUDIT_SQL (outcome 5th, citizen last)."""
    ops = connection.ops
    return [
        ops.adapt_datetimefield_value(timezone.now()),
        ops.adapt_ipaddressfield_value(attempt.ip),
        attempt.via,
        attempt.reference[:80],
        outcome,
        attempt.citizen.pk if attempt.citizen is not None else None,
    ]


@functools.cache
def _audit_sql() -> str:
    quote = connection.ops.quote_name
    columns = ", ".join(quote(c) for c in ("at", "ip_address", "via", "reference", "outcome", "citizen_id"))
    return _AUDIT_SQL.format(table=quote(TrackingAttempt._meta.db_table), columns=columns)


def _audit(attempt: Attempt, outcome: str) -> None:
    """Write the attempt before the answer goes out (one INSERT, committed with the request's autocommit)."""
    _run(_audit_sql(), _attempt_values(attempt, outcome), returns_rows=False)
    attempt.audited = True


def not_matched_message() -> str:
    return _(
        "We could not find an application or case with that number and those ID digits. "
        "Check both and try again, or call us."
    )


def _invalid_reference_message() -> str:
    return _(
        "That is not a valid reference number. Check each character against your receipt "
        "(reference numbers never contain O, 0, I, 1, S, 5, Z, 2, B or 8)."
    )


def track_query(
    *, reference: str, id_last4: str, ip: str | None, via: str, citizen: Citizen | None = None
) -> TrackResult:
    """Answer one progress query, with the limits and the audit described in the module docstring.

    Cost on the way to a found answer: one cache round trip (both counters), then on PostgreSQL one statement
    (look-up and audit row, for references and case numbers alike; no health-check round trip, see
    _check_connection_health), otherwise a SELECT and an INSERT.
    """
    typed = (reference or "").strip()[:80]
    digits = normalize_citizen_input(id_last4 or "")
    is_case = "字第" in typed
    try:
        canonical: str | None = normalize_citizen_input(typed) if is_case else reference_validate(typed)
    except InvalidReferenceError:
        canonical = None
    attempt = Attempt(ip=ip, via=via, reference=typed if canonical is None else canonical, citizen=citizen)
    ip_key = _key("ip", ip or "-")
    reference_key = _key("ref", canonical) if canonical is not None else ""
    counts = _failure_counts([ip_key, reference_key] if reference_key else [ip_key])
    ip_failures, reference_failures = counts[0], counts[-1] if reference_key else 0
    if ip_failures >= IP_FAILURES:
        _audit(Attempt(ip=ip, via=via, reference=typed, citizen=citizen), "limited")
        return TrackResult(outcome="limited", message=_limited_message(), retry_after=IP_WINDOW)
    if canonical is None:
        _record_failures({ip_key: IP_WINDOW})
        _audit(attempt, "invalid")
        return TrackResult(outcome="invalid", message=_invalid_reference_message())
    if len(digits) != 4 or not digits.isdigit() or not digits.isascii():
        _record_failures({ip_key: IP_WINDOW})
        _audit(attempt, "invalid")
        return TrackResult(outcome="invalid", message=_("Enter the last 4 digits of the ID number, like 6789."))
    if reference_failures >= REFERENCE_FAILURES:
        _audit(attempt, "limited")
        return TrackResult(outcome="limited", message=_limited_message(), retry_after=REFERENCE_WINDOW)
    if is_case:
        progress = _track_case(canonical, digits, attempt)
    else:
        progress = application_progress_for_tracking(reference=canonical, id_last4=digits, attempt=attempt)
    if progress is None:
        _record_failures({reference_key: REFERENCE_WINDOW, ip_key: IP_WINDOW})
        if not attempt.audited:
            _audit(attempt, "not_matched")
        return TrackResult(outcome="not_matched", message=not_matched_message())
    if not attempt.audited:
        _audit(attempt, "found")
    return TrackResult(outcome="found", progress=progress)


def _limited_message() -> str:
    return _("Too many unsuccessful attempts. For your security, please try again later or call us.")
