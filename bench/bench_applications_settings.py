"""Settings for bench/bench_applications_track.py: the project's settings plus a URLconf with a bare view."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.bench_applications_urls"
DEBUG = False
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
