"""`manage.py plan_status --year 104 [--quarter N] [--branch TCH] [--as-of YYYY-MM-DD] [--json]`."""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone, translation

from civicdesk.organization.models import Branch
from civicdesk.plan.evaluation import default_as_of, evaluate_plan
from civicdesk.plan.periods import Period, PeriodKind, parse_period
from civicdesk.plan.selectors import plan_current


class Command(BaseCommand):
    help = "Print every measure's targets with the actual figures and status for a year, quarter or period."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True, help="ROC year, e.g. 104")
        parser.add_argument("--quarter", type=int, choices=[1, 2, 3, 4])
        parser.add_argument("--period", help="any period instead: 104-03, 104-H1 …")
        parser.add_argument("--branch", default="TCH")
        parser.add_argument("--as-of", help="take the figures as known on this day (default: period end or today)")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override("en" if options["json"] else "zh-hant"):
            self._handle(options)

    def _handle(self, options: dict[str, Any]) -> None:
        branch = Branch.objects.filter(code=options["branch"]).first()
        if branch is None:
            raise CommandError(f"unknown branch {options['branch']!r}")
        plan = plan_current(branch=branch, year=options["year"])
        if plan is None:
            raise CommandError(f"no plan for {branch.code} year {options['year']}: run load_plan first")
        try:
            if options["period"]:
                period = parse_period(options["period"])
            elif options["quarter"]:
                period = Period(options["year"], PeriodKind.QUARTER, options["quarter"])
            else:
                period = Period(options["year"], PeriodKind.YEAR, 1)
            as_of = (
                datetime.date.fromisoformat(options["as_of"])
                if options["as_of"]
                else default_as_of(period, timezone.localdate())
            )
        except ValueError as error:
            raise CommandError(str(error)) from None
        rows = evaluate_plan(plan=plan, period=period, as_of=as_of)
        if options["json"]:
            payload = {
                "branch": branch.code,
                "year": plan.year,
                "plan_version": plan.version,
                "period": period.code,
                "as_of": as_of.isoformat(),
                "measures": [
                    {
                        "code": row.measure.code,
                        "area": row.measure.area.code,
                        "units": row.measure.unit_codes,
                        "status": row.status.value if row.status else None,
                        "targets": [evaluation.as_dict() for evaluation in row.evaluations],
                    }
                    for row in rows
                ],
            }
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{plan.title} v{plan.version} — {period.label('zh-hant')} ({as_of.isoformat()})")
        for row in rows:
            if not row.evaluations:
                self.stdout.write(f"{row.measure.code:6} —")
            for evaluation in row.evaluations:
                actual = "—" if evaluation.actual is None else f"{evaluation.actual.normalize():f}"
                required = "—" if evaluation.required is None else f"{evaluation.required.normalize():f}"
                self.stdout.write(
                    f"{row.measure.code:6} {evaluation.target.code:24} {actual:>8} / {required:<8} "
                    f"{evaluation.status.label} {evaluation.note}"
                )
