"""Settings for bench/bench_applications_track.py: the project's settings plus a URLconf with a bare view."""

import os

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.bench_applications_urls"
DEBUG = False
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}

# Persistent connections: on SQLite a connection per request costs ~30 ms, because closing the last connection
# to a WAL database checkpoints and removes the WAL file (see docs/applications.md, "Benchmark").
if os.environ.get("BENCH_CONN_MAX_AGE"):
    DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ["BENCH_CONN_MAX_AGE"])  # noqa: F405
