"""The outbox: queue after commit, deliver, log every step, retry with back-off, never send twice."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from civicdesk.notifications.models import Notification
from civicdesk.notifications.services import (
    MAX_ATTEMPTS,
    notification_delivery_report,
    notification_enqueue,
    notification_send,
    notifications_retry_due,
)
from civicdesk.organization.permissions import Role

pytestmark = pytest.mark.django_db
FAILING_SMS = "civicdesk.notifications.channels.FailingSmsProvider"


def _events(notification: Notification) -> list[str]:
    return list(notification.events.values_list("status", flat=True))


def test_email_is_sent_after_commit_and_logged(django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        notification = notification_enqueue(
            channel="email",
            recipient="citizen@example.org",
            subject="收件通知",
            body="您的申請已收件。",
            topic="application.received",
        )
        assert len(mail.outbox) == 0  # nothing leaves before the transaction commits
    notification.refresh_from_db()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "收件通知"
    assert notification.status == Notification.Status.SENT
    assert _events(notification) == ["created", "sent"]


def test_sms_through_the_console_provider_is_delivered(django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        notification = notification_enqueue(
            channel="sms", recipient="0912345678", subject="", body="已收件", topic="application.received"
        )
    notification.refresh_from_db()
    assert notification.status == Notification.Status.DELIVERED
    assert _events(notification) == ["created", "sent", "delivered"]


def test_the_same_dedupe_key_never_sends_twice(django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        first = notification_enqueue(
            channel="email", recipient="a@example.org", subject="s", body="b", topic="t", dedupe_key="receipt:CD-1"
        )
        second = notification_enqueue(
            channel="email", recipient="a@example.org", subject="s", body="b", topic="t", dedupe_key="receipt:CD-1"
        )
    assert first.pk == second.pk
    assert len(mail.outbox) == 1
    notification_send(notification_id=first.pk)  # a repeated task run sends nothing more
    assert len(mail.outbox) == 1


@override_settings(CIVICDESK_SMS_PROVIDER=FAILING_SMS)
def test_failures_are_retried_with_back_off_then_given_up(django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        notification = notification_enqueue(channel="sms", recipient="0912345678", subject="", body="x", topic="t")
    notification.refresh_from_db()
    assert notification.status == Notification.Status.RETRYING
    assert notification.attempts == 1
    assert notification.next_attempt_at > timezone.now()
    assert notifications_retry_due() == 0  # not due yet
    later = timezone.now()
    for _ in range(MAX_ATTEMPTS - 1):
        later += datetime.timedelta(hours=3)
        notifications_retry_due(now=later)
    notification.refresh_from_db()
    assert notification.status == Notification.Status.FAILED
    assert notification.attempts == MAX_ATTEMPTS
    assert "unavailable" in notification.last_error
    assert _events(notification).count("retrying") == MAX_ATTEMPTS - 1
    assert _events(notification)[-1] == "failed"


def test_gateway_delivery_receipt_updates_the_status(django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        notification = notification_enqueue(
            channel="email", recipient="a@example.org", subject="s", body="b", topic="t"
        )
    notification.refresh_from_db()
    notification_delivery_report(
        provider_message_id=notification.provider_message_id, delivered=False, detail="mailbox full"
    )
    notification.refresh_from_db()
    assert notification.status == Notification.Status.FAILED
    assert _events(notification)[-1] == "failed"


def test_outbox_page_lists_messages_with_their_log(staff_client, django_assert_max_num_queries) -> None:
    for n in range(5):
        notification_enqueue(
            channel="email", recipient=f"p{n}@example.org", subject=f"主旨{n}", body="b", topic="t", branch_code="TCH"
        )
    client = staff_client(Role.SECRETARIAT_OFFICER)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("notifications:outbox"))
    assert response.status_code == 200
    assert "主旨4" in response.content.decode()
    assert staff_client(Role.ENFORCEMENT_OFFICER).get(reverse("notifications:outbox")).status_code == 403
