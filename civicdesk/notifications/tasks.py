"""Thin tasks: load by id, call the service."""

from __future__ import annotations

from celery import shared_task

from civicdesk.notifications.services import notification_send, notifications_retry_due


@shared_task(name="civicdesk.notifications.tasks.send_notification")
def send_notification(notification_id: int) -> str:
    return str(notification_send(notification_id=notification_id).status)


@shared_task(name="civicdesk.notifications.tasks.retry_due_notifications")
def retry_due_notifications() -> int:
    return notifications_retry_due()
