"""`manage.py publish_scheduled`: publish page revisions whose scheduled time has come (cron-friendly)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from civicdesk.portal.services import pages_publish_due


class Command(BaseCommand):
    help = "Publish every scheduled page revision that is due."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"published {pages_publish_due()} scheduled revisions")
