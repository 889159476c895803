"""Figures the plan reads for A2.3, A2.4 and A4.4.

Convention shared by every app: ``fn(*, branch_code, start, end)`` with inclusive dates (local, Asia/Taipei);
None means there is no data for the period (never a guessed number).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from civicdesk.applications.models import Application, Channel, ServiceKind, Status, Verification
from civicdesk.notifications.models import Notification


def _window(start: datetime.date, end: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    tz = timezone.get_default_timezone()
    first = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
    last = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    return first, last


def _submitted(branch_code: str, start: datetime.date, end: datetime.date) -> QuerySet[Application]:
    first, last = _window(start, end)
    return Application.objects.filter(branch__code=branch_code, submitted_at__gte=first, submitted_at__lt=last)


def _share(queryset: QuerySet[Application], condition: Q) -> float | None:
    counts = queryset.aggregate(total=Count("id"), hits=Count("id", filter=condition))
    if not counts["total"]:
        return None
    return round(counts["hits"] / counts["total"], 4)


def trackable_kinds(*, branch_code: str, start: datetime.date, end: datetime.date) -> int:
    """Kinds of application or case with a public progress query, as published now (target ≥ 5, A2.4).

    Kinds tracked by case number count only once a case look-up is wired (APPLICATIONS_CASE_TRACKER).
    """
    published = ServiceKind.objects.filter(is_published=True)
    if not getattr(settings, "APPLICATIONS_CASE_TRACKER", ""):
        published = published.exclude(trackable_by=ServiceKind.TrackableBy.CASE)
    return published.count()


def share_online(*, branch_code: str, start: datetime.date, end: datetime.date) -> float | None:
    """Share of the period's applications made online (A4.4). None: no applications."""
    return _share(_submitted(branch_code, start, end), Q(channel=Channel.ONLINE))


def share_electronic_transcript(*, branch_code: str, start: datetime.date, end: datetime.date) -> float | None:
    """Share of the period's applications whose documents were checked by electronic transcript (A2.3).

    Applications that needed no documents are left out of both counts. None: no applications with documents.
    """
    queryset = _submitted(branch_code, start, end).exclude(verification=Verification.NOT_NEEDED)
    return _share(queryset, Q(verification=Verification.ELECTRONIC))


def share_decided_within_limit(*, branch_code: str, start: datetime.date, end: datetime.date) -> float | None:
    """Of the applications decided in the period, the share decided by their due date. None: none decided."""
    first, last = _window(start, end)
    decided = Application.objects.filter(
        branch__code=branch_code, status=Status.DECIDED, decided_at__gte=first, decided_at__lt=last
    )
    return _share(decided, Q(decided_within_limit=True))


def receipts_sent(*, branch_code: str, start: datetime.date, end: datetime.date) -> int | None:
    """Receipt messages (e-mail or SMS) sent or delivered in the period. None: no receipt queued at all."""
    return _receipts(branch_code, start, end, [Notification.Status.SENT, Notification.Status.DELIVERED])


def receipts_failed(*, branch_code: str, start: datetime.date, end: datetime.date) -> int | None:
    """Receipt messages that failed for good (after every retry) in the period. None: no receipt queued at all."""
    return _receipts(branch_code, start, end, [Notification.Status.FAILED])


def _receipts(branch_code: str, start: datetime.date, end: datetime.date, statuses: list[str]) -> int | None:
    receipts = Notification.objects.filter(topic="applications.receipt", branch_code=branch_code)
    if not receipts.exists():
        return None
    first, last = _window(start, end)
    return receipts.filter(status__in=statuses, created_at__gte=first, created_at__lt=last).count()
