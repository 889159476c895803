"""Bulk SQL for intake and reconciliation: COPY on PostgreSQL, one executemany on SQLite; long IN lists.

See docs/adr/0010-case-registers.md.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from django.db import connection


def quoted_table(model: type[Any]) -> str:
    """A model's table name, quoted for raw SQL on the current database."""
    return connection.ops.quote_name(model._meta.db_table)


def bulk_insert(table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Insert ``rows`` (values already adapted for the database) into ``table`` inside the caller's transaction."""
    if not rows:
        return
    quoted_table = connection.ops.quote_name(table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY streams the rows in one round trip; psycopg adapts each value as INSERT would.
            with cursor.cursor.copy(f"COPY {quoted_table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(columns))
        cursor.executemany(f"INSERT INTO {quoted_table} ({names}) VALUES ({marks})", rows)  # noqa: S608


@contextlib.contextmanager
def bulk_inserter(table: str, columns: Sequence[str]) -> Iterator[Callable[[Sequence[Any]], None]]:
    """Like :func:`bulk_insert`, a row at a time while the caller computes the next ones.

    On PostgreSQL the rows stream into ``COPY`` as they come (psycopg sends them every few tens of kB), so the
    server inserts them while this process computes the next ones; nothing else may use the connection until
    the block ends. On SQLite they are inserted at the end.
    """
    if connection.vendor != "postgresql":
        rows: list[Sequence[Any]] = []
        yield rows.append
        bulk_insert(table, columns, rows)
        return
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {connection.ops.quote_name(table)} ({names}) FROM STDIN") as copy,
    ):
        yield copy.write_row


def in_list(column: str, values: Sequence[Any]) -> tuple[str, list[Any]]:
    """A ``column IN (…)`` condition and its parameters for up to a few thousand values.

    PostgreSQL gets one array parameter (``= ANY(%s)``): psycopg's client-side binding splits the query text per
    placeholder, which costs more than the query for thousands of them. SQLite binds each value.
    """
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s)", [list(values)]
    return f"{column} IN ({', '.join(['%s'] * len(values))})", list(values)
