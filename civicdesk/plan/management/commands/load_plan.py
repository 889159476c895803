"""`manage.py load_plan FILE`: validate a plan data file and load it (idempotent)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from civicdesk.organization.models import Branch, Unit
from civicdesk.plan.plan_file import PlanFileError, parse_plan_file
from civicdesk.plan.services import PlanError, plan_load


class Command(BaseCommand):
    help = "Validate a plan data file (YAML) and load it; loading the same file again changes nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--check", action="store_true", help="validate only, write nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            spec = parse_plan_file(path)
            branch = Branch.objects.filter(code=spec.branch).first()
            if branch is None:
                raise CommandError(f"{path}: branch {spec.branch!r} is not loaded (run load_demo first)")
            units = frozenset(Unit.objects.filter(branch=branch).values_list("code", flat=True))
            spec = parse_plan_file(path, unit_codes=units)
            if options["check"]:
                self.stdout.write(f"{path}: valid ({len(spec.measures)} measures in {len(spec.areas)} areas)")
                return
            result = plan_load(spec=spec)
        except PlanFileError as error:
            raise CommandError("\n".join([f"{error.source}: invalid plan file", *error.errors])) from None
        except PlanError as error:
            raise CommandError(f"{path}: {error}") from None
        plan = result.plan
        steps = plan.provisions.filter(kind="step").count()
        rules = plan.provisions.filter(kind="rule").count()
        self.stdout.write(
            f"plan {plan.branch.code} {plan.year} version {plan.version}: {result.outcome}; "
            f"{plan.areas.count()} areas, {plan.measures.count()} measures, "
            f"{steps} steps, {rules} rules; "
            f"activity kinds changed: {result.activity_kinds_changed}"
        )
