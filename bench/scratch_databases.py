"""Fresh, empty databases for a benchmark run (shared by the bench_*.py scripts)."""

from __future__ import annotations

import os
from pathlib import Path

# Prefixes every PostgreSQL database the bench scripts create, so a second working tree can run them on the same
# server without touching the first one's databases (e.g. CIVICDESK_BENCH_DB_PREFIX=regshape_).
PREFIX = os.environ.get("CIVICDESK_BENCH_DB_PREFIX", "")


def database_name(name: str) -> str:
    """The PostgreSQL database name ``name`` with this run's prefix."""
    return f"{PREFIX}{name}"


def sqlite_scratch_database(path: Path) -> str:
    """Delete the SQLite file and its WAL/SHM companions; returns the DATABASE_URL for it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return f"sqlite:///{path}"


def postgres_scratch_database(admin_url: str, name: str) -> str:
    """Drop and create database `name` on the server of `admin_url`; returns its URL."""
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    base, _slash, _db = admin_url.rpartition("/")
    return f"{base}/{name}"
