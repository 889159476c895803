"""Cache: local by default, Redis when REDIS_URL is set. Celery: eager unless a broker is configured."""

from __future__ import annotations

import os
import socket

import pytest
from django.conf import settings

from tests.config.test_settings import _manage

REDIS_PROBE = (
    "from django.core.cache import cache; cache.set('civicdesk-probe', '值', 5); print(cache.get('civicdesk-probe'))"
)


def test_default_cache_is_process_local_and_tasks_are_eager() -> None:
    assert settings.CACHES["default"]["BACKEND"].endswith("LocMemCache")
    assert settings.CELERY_TASK_ALWAYS_EAGER is True


def test_redis_url_switches_the_cache_to_redis() -> None:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=2).close()
    except OSError:
        if os.environ.get("CI") == "true":
            pytest.fail("Redis is not reachable at 127.0.0.1:6379")
        pytest.skip("Redis is not running here")
    env = {"DJANGO_ENV": "development", "REDIS_URL": "redis://127.0.0.1:6379/15"}
    result = _manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])",
        env=env,
    )
    assert result.stdout.strip().splitlines()[-1] == "django_redis.cache.RedisCache", result.stderr
    result = _manage("shell", "--no-imports", "-c", REDIS_PROBE, env=env)
    assert result.stdout.strip().splitlines()[-1] == "值", result.stderr


def test_a_broker_turns_eager_tasks_off() -> None:
    env = {"DJANGO_ENV": "development", "CELERY_BROKER_URL": "redis://127.0.0.1:6379/14"}
    result = _manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.CELERY_TASK_ALWAYS_EAGER)",
        env=env,
    )
    assert result.stdout.strip().splitlines()[-1] == "False", result.stderr
