"""Scheduled ledger verification (also `manage.py verify_ledger`)."""

from __future__ import annotations

import logging

from celery import shared_task

from civicdesk.audit.ledger import ledgers_verify

logger = logging.getLogger(__name__)


@shared_task(name="civicdesk.audit.tasks.verify_ledgers")
def verify_ledgers() -> list[str]:
    broken = [str(report.first_break) for report in ledgers_verify() if report.first_break is not None]
    for problem in broken:
        logger.error("Ledger chain broken: %s", problem)
    return broken
