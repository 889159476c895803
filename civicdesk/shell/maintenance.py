"""Database upkeep that the application itself must schedule.

SQLite keeps no planner statistics unless asked: without them it guesses every join order (docs/portal.md shows
a query going from ~8 s to 5 ms once ``ANALYZE`` has run). PostgreSQL's autovacuum keeps its own statistics, so
nothing is done there.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection

# Rows sampled per index: approximate statistics in a bounded time even on tables of millions of rows
# (SQLite's own advice for applications that run ANALYZE routinely: https://sqlite.org/lang_analyze.html).
SQLITE_ANALYSIS_LIMIT = 1000


@dataclass(frozen=True)
class StatisticsRefresh:
    database: str
    refreshed: bool
    tables: int  # tables with planner statistics afterwards


def planner_statistics_refresh() -> StatisticsRefresh:
    """Refresh the query planner's statistics where the database does not do it by itself (SQLite)."""
    if connection.vendor != "sqlite":
        return StatisticsRefresh(connection.vendor, False, 0)
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA analysis_limit = {SQLITE_ANALYSIS_LIMIT}")
        cursor.execute("ANALYZE")
        cursor.execute("SELECT COUNT(DISTINCT tbl) FROM sqlite_stat1")
        (tables,) = cursor.fetchone()
    return StatisticsRefresh(connection.vendor, True, tables)
