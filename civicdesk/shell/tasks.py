"""Scheduled upkeep of the database (see civicdesk.shell.maintenance)."""

from __future__ import annotations

from celery import shared_task

from civicdesk.shell.maintenance import planner_statistics_refresh


@shared_task(name="civicdesk.shell.tasks.refresh_planner_statistics")
def refresh_planner_statistics() -> dict[str, object]:
    result = planner_statistics_refresh()
    return {"database": result.database, "refreshed": result.refreshed, "tables": result.tables}
