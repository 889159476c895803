"""`manage.py parity_report`: published Chinese pages with no or an out-of-date English version."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from civicdesk.portal.selectors import parity_report


class Command(BaseCommand):
    help = "List published pages without an English version or whose English is older than the Chinese."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--fail", action="store_true", help="exit with an error when any page is listed")

    def handle(self, *args: Any, **options: Any) -> None:
        rows = parity_report()
        for row in rows:
            zh = timezone.localtime(row.zh_changed_at).strftime("%Y-%m-%d %H:%M") if row.zh_changed_at else "-"
            en = timezone.localtime(row.en_changed_at).strftime("%Y-%m-%d %H:%M") if row.en_changed_at else "-"
            label = "no English version" if row.problem == "missing" else "English older than Chinese"
            self.stdout.write(f"{row.page.slug}\t{label}\tChinese changed {zh}\tEnglish changed {en}")
        self.stdout.write(f"{len(rows)} pages need English work")
        if rows and options["fail"]:
            raise CommandError(f"{len(rows)} pages out of step")
