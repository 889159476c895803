"""`manage.py load_case_reference`: apply the shipped claim categories, agencies and SOP time limits."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from civicdesk.cases.services import case_reference_load


class Command(BaseCommand):
    help = "Create or update claim categories, transferring agencies and stage time limits from the data file."

    def handle(self, *args: Any, **options: Any) -> None:
        summary = case_reference_load()
        self.stdout.write(
            f"{summary.categories} categories, {summary.agencies} agencies, {summary.stage_limits} stage limits"
        )
