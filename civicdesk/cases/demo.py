"""Demo cases and warnings for `manage.py load_demo` (idempotent: the same rows are already present)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

from civicdesk.cases.generator import generate_intake_file
from civicdesk.cases.importing import cases_import
from civicdesk.cases.models import ClaimCategory
from civicdesk.cases.reconcile import reconcile_run
from civicdesk.cases.services import case_reference_load
from civicdesk.organization.models import Branch, Unit

DEMO_SEED = 104
DEMO_COUNT = 150


def load_demo_data(stdout: Any) -> None:
    case_reference_load()
    branch = Branch.objects.get(code=settings.CIVICDESK_HOME_BRANCH)
    subdivisions = list(
        Unit.objects.filter(branch=branch, kind=Unit.Kind.SUBDIVISION, is_active=True)
        .order_by("ordering")
        .values_list("code", flat=True)
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "demo-cases.csv"
        generate_intake_file(
            path=path,
            count=DEMO_COUNT,
            anomalies=1,
            bad_rows=3,
            seed=DEMO_SEED,
            today=timezone.localdate(),
            subdivisions=subdivisions,
            case_codes=dict(ClaimCategory.objects.values_list("code", "case_code")),
        )
        summary = cases_import(path=path, branch=branch, actor="demo")
    report = reconcile_run(branch=branch, full=True)
    stdout.write(
        f"cases: {summary.received} received, {summary.already_present} already present, {summary.rejected} rejected;"
        f" {sum(report.open_by_kind.values())} open warnings"
    )
