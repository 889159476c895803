"""`manage.py send_notifications`: send queued messages whose (re)try time has come (cron or beat)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from civicdesk.notifications.services import notifications_retry_due


class Command(BaseCommand):
    help = "Send queued and retrying notifications that are due."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"tried {notifications_retry_due()} notification(s)")
