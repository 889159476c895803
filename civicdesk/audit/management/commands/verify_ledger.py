"""`manage.py verify_ledger [--ledger NAME]`: exits 1 and names the first broken entry."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from civicdesk.audit.ledger import ledger_names, ledger_verify


class Command(BaseCommand):
    help = "Verify the hash chain of every ledger (or one) and report the first broken entry."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--ledger", help="verify only this ledger")

    def handle(self, *args: Any, **options: Any) -> None:
        names = [options["ledger"]] if options["ledger"] else ledger_names()
        broken = []
        for name in names:
            report = ledger_verify(ledger=name)
            if report.first_break is None:
                self.stdout.write(f"{name}: {report.entries} entries, chain intact")
            else:
                broken.append(report.first_break)
                self.stderr.write(f"BROKEN {report.first_break}")
        if not names:
            self.stdout.write("no ledgers yet")
        if broken:
            raise CommandError(f"{len(broken)} ledger(s) broken; first: {broken[0]}")
