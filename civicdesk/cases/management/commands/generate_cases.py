"""`manage.py generate_cases --count N --anomalies K --seed S FILE`: a synthetic intake file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from civicdesk.cases.generator import generate_intake_file
from civicdesk.cases.models import ClaimCategory
from civicdesk.organization.models import Unit


class Command(BaseCommand):
    help = "Write a realistic intake file with K known anomalies of each kind (and a .manifest.json listing them)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, nargs="?", default=Path("var/cases-intake.csv"))
        parser.add_argument("--count", type=int, default=1000)
        parser.add_argument("--anomalies", type=int, default=0, help="anomalies of each kind")
        parser.add_argument("--bad-rows", type=int, default=0, help="rows the intake must reject")
        parser.add_argument("--seed", type=int, default=104)
        parser.add_argument("--branch", default=settings.CIVICDESK_HOME_BRANCH)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["count"] < 0 or options["anomalies"] < 0 or options["bad_rows"] < 0:
            raise CommandError("--count, --anomalies and --bad-rows must not be negative")
        subdivisions = list(
            Unit.objects.filter(branch__code=options["branch"], kind=Unit.Kind.SUBDIVISION, is_active=True)
            .order_by("ordering")
            .values_list("code", flat=True)
        )
        case_codes = dict(ClaimCategory.objects.values_list("code", "case_code"))
        path: Path = options["file"]
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            summary = generate_intake_file(
                path=path,
                count=options["count"],
                anomalies=options["anomalies"],
                bad_rows=options["bad_rows"],
                seed=options["seed"],
                today=timezone.localdate(),
                subdivisions=subdivisions,
                case_codes=case_codes,
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"wrote {summary.rows} rows to {path}; manifest {summary.manifest}")
