"""Nightly planner statistics: SQLite gets them from the task; PostgreSQL is left to autovacuum."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection

from civicdesk.organization.models import Branch
from civicdesk.shell.tasks import refresh_planner_statistics

pytestmark = pytest.mark.django_db


def test_the_task_is_scheduled_nightly() -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["refresh-planner-statistics-nightly"]
    assert (entry["task"], entry["schedule"]) == ("civicdesk.shell.tasks.refresh_planner_statistics", 24 * 60 * 60)


def test_sqlite_gets_statistics_for_its_tables_and_postgresql_is_left_alone(organization: Branch) -> None:
    result = refresh_planner_statistics.delay().get()
    if connection.vendor == "sqlite":
        assert result["refreshed"] is True
        with connection.cursor() as cursor:
            cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = 'organization_branch' AND idx IS NOT NULL")
            rows = cursor.fetchall()
        assert rows, "the branches table has planner statistics"
        assert result["tables"] >= 1
    else:
        assert result == {"database": connection.vendor, "refreshed": False, "tables": 0}
