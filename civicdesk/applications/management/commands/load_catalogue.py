"""`manage.py load_catalogue [PATH]`: create or update the service catalogue from its data file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from civicdesk.applications.catalogue import CATALOGUE_DATA, CatalogueDataError, catalogue_load


class Command(BaseCommand):
    help = "Load the service catalogue (SOPs, time limits, MyEGov codes) from a JSON file. Safe to run again."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", nargs="?", default=str(CATALOGUE_DATA), help="catalogue JSON file")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = catalogue_load(path=Path(options["path"]))
        except CatalogueDataError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"service catalogue: {summary.created} created, {summary.updated} updated, {summary.unchanged} unchanged"
        )
