"""`manage.py quarterly_report --year 104 --quarter 1 --format pdf|docx|xlsx [--output FILE]` (C.2)."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone, translation

from civicdesk.organization.models import Branch
from civicdesk.plan.reports import FORMATS, ReportFontError, report_build, report_render
from civicdesk.plan.selectors import plan_current


class Command(BaseCommand):
    help = "Write the quarterly Service Quality Improvement Performance Report as PDF, DOCX or XLSX."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True, help="ROC year, e.g. 104")
        parser.add_argument("--quarter", type=int, required=True, choices=[1, 2, 3, 4])
        parser.add_argument("--format", dest="fmt", required=True, choices=sorted(FORMATS))
        parser.add_argument("--branch", default="TCH")
        parser.add_argument("--language", default="zh-hant", choices=["zh-hant", "en"])
        parser.add_argument("--output", type=Path, help="file to write (default: report-<year>-Q<n>.<format>)")
        parser.add_argument("--today", help="take figures as if today were this date (YYYY-MM-DD)")

    def handle(self, *args: Any, **options: Any) -> None:
        branch = Branch.objects.filter(code=options["branch"]).first()
        if branch is None:
            raise CommandError(f"unknown branch {options['branch']!r}")
        plan = plan_current(branch=branch, year=options["year"])
        if plan is None:
            raise CommandError(f"no plan for {branch.code} year {options['year']}: run load_plan first")
        today = datetime.date.fromisoformat(options["today"]) if options["today"] else timezone.localdate()
        output: Path = options["output"] or Path(
            f"report-{branch.code}-{plan.year}-Q{options['quarter']}.{options['fmt']}"
        )
        with translation.override(options["language"]):
            report = report_build(plan=plan, quarter=options["quarter"], language=options["language"], today=today)
            try:
                content = report_render(report, options["fmt"], options["language"])
            except ReportFontError as error:
                raise CommandError(str(error)) from None
        output.write_bytes(content)
        self.stdout.write(f"{output} ({len(content)} bytes): {len(report.measures)} measures, {report.period_label}")
