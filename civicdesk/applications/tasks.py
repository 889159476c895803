"""Thin tasks: call a service. Schedule ``flag_application_deadlines`` daily (beat or cron)."""

from __future__ import annotations

from celery import shared_task

from civicdesk.applications.services import applications_flag_at_risk


@shared_task(name="civicdesk.applications.tasks.flag_application_deadlines")
def flag_application_deadlines() -> int:
    return applications_flag_at_risk()
