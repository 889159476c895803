"""Settings for bench/bench_portal_search.py: the project's settings plus Wagtail's search (bench only).

Wagtail is installed from requirements-bench.txt by `make bench`; neither the project nor its tests
depend on it. Its database backend picks SQLite FTS5 or PostgreSQL full text from the connection.
"""

from config.settings import *  # noqa: F403

INSTALLED_APPS = [
    *INSTALLED_APPS,  # noqa: F405
    "django.contrib.postgres",  # the PostgreSQL leg of Wagtail's database backend needs it
    "taggit",
    "wagtail",
    "wagtail.search",
    "bench.portal_wagtail",
]
WAGTAILSEARCH_BACKENDS = {
    # Indexed explicitly by the benchmark (add_bulk), not by signals on save.
    "default": {"BACKEND": "wagtail.search.backends.database", "AUTO_UPDATE": False},
}
WAGTAIL_SITE_NAME = "Civic Desk bench"
DEBUG = False
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
