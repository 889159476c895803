"""Queue messages, send them, record every attempt, retry with back-off."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from civicdesk.notifications.channels import DeliveryError, send_email, sms_provider
from civicdesk.notifications.models import DeliveryEvent, Notification

MAX_ATTEMPTS = 5
RETRY_DELAYS = [datetime.timedelta(minutes=m) for m in (1, 5, 30, 120)]


def _record(notification: Notification, status: str, detail: str = "") -> None:
    DeliveryEvent.objects.create(notification=notification, status=status, detail=detail[:500])


def notification_enqueue(
    *,
    channel: str,
    recipient: str,
    subject: str,
    body: str,
    topic: str,
    branch_code: str = "",
    related: str = "",
    dedupe_key: str | None = None,
) -> Notification:
    """Queue a message; it is sent after the surrounding transaction commits.

    A repeated `dedupe_key` returns the message already queued instead of sending twice.
    """
    if dedupe_key is not None:
        existing = Notification.objects.filter(dedupe_key=dedupe_key).first()
        if existing is not None:
            return existing
    notification = Notification(
        channel=channel,
        recipient=recipient,
        subject=subject[:200],
        body=body,
        topic=topic,
        branch_code=branch_code,
        related=related[:120],
        dedupe_key=dedupe_key,
    )
    notification.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            notification.save()
            _record(notification, Notification.Status.CREATED)
    except IntegrityError:
        # A concurrent caller queued the same dedupe_key first.
        return Notification.objects.get(dedupe_key=dedupe_key)
    from civicdesk.notifications.tasks import send_notification

    transaction.on_commit(lambda: send_notification.delay(notification.pk))
    return notification


@transaction.atomic
def notification_send(*, notification_id: int) -> Notification:
    """Try to deliver one queued message; on failure schedule a retry, or give up after MAX_ATTEMPTS."""
    notification = Notification.objects.select_for_update().get(pk=notification_id)
    if notification.status not in {Notification.Status.CREATED, Notification.Status.RETRYING}:
        return notification  # already sent or given up: sending is idempotent
    notification.attempts += 1
    now = timezone.now()
    try:
        if notification.channel == Notification.Channel.EMAIL:
            accepted = send_email(to=notification.recipient, subject=notification.subject, body=notification.body)
        else:
            accepted = sms_provider().send(to=notification.recipient, text=notification.body)
    except DeliveryError as error:
        notification.last_error = str(error)[:500]
        if notification.attempts >= MAX_ATTEMPTS:
            notification.status = Notification.Status.FAILED
            notification.next_attempt_at = None
        else:
            notification.status = Notification.Status.RETRYING
            notification.next_attempt_at = now + RETRY_DELAYS[min(notification.attempts, len(RETRY_DELAYS)) - 1]
        notification.save(update_fields=["attempts", "status", "last_error", "next_attempt_at"])
        _record(notification, notification.status, f"attempt {notification.attempts}: {error}")
        return notification
    notification.status = Notification.Status.DELIVERED if accepted.delivered else Notification.Status.SENT
    notification.provider_message_id = accepted.provider_message_id
    notification.sent_at = now
    notification.delivered_at = now if accepted.delivered else None
    notification.next_attempt_at = None
    notification.last_error = ""
    notification.save(
        update_fields=[
            "attempts",
            "status",
            "provider_message_id",
            "sent_at",
            "delivered_at",
            "next_attempt_at",
            "last_error",
        ]
    )
    _record(notification, Notification.Status.SENT, f"attempt {notification.attempts}")
    if accepted.delivered:
        _record(notification, Notification.Status.DELIVERED, "confirmed by the channel")
    return notification


@transaction.atomic
def notification_delivery_report(*, provider_message_id: str, delivered: bool, detail: str = "") -> Notification | None:
    """A gateway's delivery receipt (delivered or failed) for a message already sent."""
    notification = Notification.objects.select_for_update().filter(provider_message_id=provider_message_id).first()
    if notification is None or notification.status != Notification.Status.SENT:
        return notification
    notification.status = Notification.Status.DELIVERED if delivered else Notification.Status.FAILED
    notification.delivered_at = timezone.now() if delivered else None
    notification.last_error = "" if delivered else detail[:500]
    notification.save(update_fields=["status", "delivered_at", "last_error"])
    _record(notification, notification.status, detail)
    return notification


def notifications_retry_due(*, now: datetime.datetime | None = None) -> int:
    """Send every message whose retry time has come; returns how many were tried."""
    now = now or timezone.now()
    due = list(
        Notification.objects.filter(
            status__in=[Notification.Status.CREATED, Notification.Status.RETRYING],
        )
        .filter(next_attempt_at__lte=now)
        .values_list("pk", flat=True)
    )
    # Messages created but never tried (e.g. the worker was down) are retried too.
    stale = now - datetime.timedelta(minutes=10)
    due += list(
        Notification.objects.filter(
            status=Notification.Status.CREATED, next_attempt_at__isnull=True, created_at__lte=stale
        ).values_list("pk", flat=True)
    )
    for notification_id in due:
        notification_send(notification_id=notification_id)
    return len(due)
