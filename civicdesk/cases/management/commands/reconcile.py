"""`manage.py reconcile [--full] [--json]`: cross-check the registers and raise or clear warnings."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from civicdesk.cases.models import WarningKind
from civicdesk.cases.reconcile import reconcile_run
from civicdesk.organization.models import Branch


class Command(BaseCommand):
    help = "Reconcile the receipt and assignment registers (incremental unless --full) and update the warnings."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--full", action="store_true", help="check everything, not only what is new")
        parser.add_argument("--json", action="store_true", help="print the open findings per kind as JSON")
        parser.add_argument("--branch", default=settings.CIVICDESK_HOME_BRANCH)

    def handle(self, *args: Any, **options: Any) -> None:
        branch = Branch.objects.filter(code=options["branch"]).first()
        if branch is None:
            raise CommandError(f"unknown branch {options['branch']!r}")
        report = reconcile_run(branch=branch, full=options["full"])
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False))
            return
        mode = "full" if report.full else "incremental"
        self.stdout.write(
            f"{mode} reconciliation of {branch.code}: {report.created} new, {report.reopened} reopened, "
            f"{report.fixed} fixed, {report.notified} notifications"
        )
        for kind in WarningKind:
            self.stdout.write(f"  {kind.value:<26} {report.open_by_kind.get(kind.value, 0)} open")
