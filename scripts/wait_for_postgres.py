"""Wait for PostgreSQL at the given URL; try to start the local cluster once; fail loudly, never skip."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import psycopg


def reachable(url: str) -> bool:
    try:
        with psycopg.connect(url, connect_timeout=3) as connection:
            connection.execute("SELECT 1")
    except psycopg.OperationalError:
        return False
    return True


def start_local_cluster() -> None:
    clusters = sorted(Path("/etc/postgresql").glob("*")) if Path("/etc/postgresql").exists() else []
    if clusters and shutil.which("pg_ctlcluster"):
        version = clusters[-1].name
        subprocess.run(  # noqa: S603
            ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"],  # noqa: S607
            check=False,
        )


def main(url: str) -> int:
    for attempt in range(30):
        if reachable(url):
            return 0
        if attempt == 0:
            start_local_cluster()
        time.sleep(1)
    print(f"PostgreSQL is not reachable at {url}; the PostgreSQL test leg cannot run.", file=sys.stderr)  # noqa: T201
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
