"""Scheduled reconciliation (also `manage.py reconcile`). Thin: each task calls the service per branch."""

from __future__ import annotations

from celery import shared_task

from civicdesk.cases.models import Case
from civicdesk.cases.reconcile import reconcile_run
from civicdesk.organization.models import Branch


def _branches_with_cases() -> list[Branch]:
    return list(Branch.objects.filter(pk__in=Case.objects.values("branch_id").distinct()))


@shared_task(name="civicdesk.cases.tasks.reconcile_incremental")
def reconcile_incremental() -> dict[str, dict[str, int]]:
    """Every few minutes: what is new since the watermark, plus the time-limit checks."""
    return {b.code: reconcile_run(branch=b).open_by_kind for b in _branches_with_cases()}


@shared_task(name="civicdesk.cases.tasks.reconcile_full")
def reconcile_full() -> dict[str, dict[str, int]]:
    """Nightly: every check over everything, including each register's whole hash chain."""
    return {b.code: reconcile_run(branch=b, full=True).open_by_kind for b in _branches_with_cases()}
