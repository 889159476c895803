"""`manage.py import_cases FILE [--json]`: receive an intake file (CSV or JSON Lines) in batches."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from civicdesk.cases.importing import DEFAULT_BATCH, cases_import, total_lines
from civicdesk.cases.intake import IntakeFileError
from civicdesk.organization.models import Branch


class Command(BaseCommand):
    help = "Import enforcement cases from an intake file (docs/intake-format.md). Safe to rerun."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--branch", default=settings.CIVICDESK_HOME_BRANCH, help="branch code (default: home)")
        parser.add_argument("--format", choices=["csv", "jsonl"], help="file format (default: from the suffix)")
        parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH)
        parser.add_argument("--actor", default="intake", help="who is recorded on the registers")
        parser.add_argument("--json", action="store_true", help="print the summary as JSON")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        branch = Branch.objects.filter(code=options["branch"]).first()
        if branch is None:
            raise CommandError(f"unknown branch {options['branch']!r}")
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1")
        show = not options["no_progress"] and not options["json"]
        bar = tqdm(total=total_lines(path), unit="lines", disable=not show, file=self.stderr._out)
        done = 0

        def progress(line: int) -> None:
            nonlocal done
            bar.update(line - done)
            done = line

        try:
            summary = cases_import(
                path=path,
                branch=branch,
                actor=options["actor"],
                file_format=options["format"],
                batch_size=options["batch_size"],
                progress=progress,
            )
        except IntakeFileError as exc:
            raise CommandError(str(exc)) from None
        finally:
            bar.close()
        if options["json"]:
            self.stdout.write(json.dumps(summary.as_dict(), ensure_ascii=False))
            return
        if summary.resumed_after_line:
            self.stdout.write(f"resumed an interrupted import after line {summary.resumed_after_line}")
        self.stdout.write(
            f"received {summary.received}, already present {summary.already_present}, rejected {summary.rejected}"
            f" (import run {summary.run_id})"
        )
        for error in summary.errors[:20]:
            self.stdout.write(f"  line {error['line']}: {error['field']}: {error['reason']}")
        if summary.rejected > 20:
            self.stdout.write(f"  … {summary.rejected - 20} more; download them from the staff upload page")
