"""`manage.py flag_application_deadlines`: flag open applications whose due date is near and tell the officer."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from civicdesk.applications.services import AT_RISK_WORKING_DAYS, applications_flag_at_risk


class Command(BaseCommand):
    help = f"Flag applications due within {AT_RISK_WORKING_DAYS} working days (each due date once). Run daily."

    def handle(self, *args: Any, **options: Any) -> None:
        flagged = applications_flag_at_risk()
        self.stdout.write(f"applications at risk: {flagged} newly flagged")
