"""The progress query's limits on Redis, the production cache: counters read by MGET, written by one pipeline.

The rest of the suite runs on the process-local cache; these tests need the Redis server at TEST_REDIS_URL
(default redis://127.0.0.1:6379/13). Without one they are skipped, except in CI, where they fail.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
import redis
from django.core.cache import caches
from django.test import Client

from civicdesk.applications.models import TrackingAttempt
from civicdesk.applications.tracking import REFERENCE_WINDOW, _key
from civicdesk.core.reference_numbers import reference_generate
from config.settings import redis_cache

pytestmark = pytest.mark.django_db

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/13")
API = "/api/v1/applications/track"


@pytest.fixture
def redis_server(settings) -> Iterator[tuple[redis.Redis, str]]:
    """The default cache on Redis under a key prefix of its own, removed afterwards."""
    server = redis.Redis.from_url(REDIS_URL)
    try:
        server.ping()
    except redis.ConnectionError:
        server.close()
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis is needed at {REDIS_URL} (TEST_REDIS_URL)")
        pytest.skip(f"no Redis at {REDIS_URL} (TEST_REDIS_URL)")
    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {"default": redis_cache(REDIS_URL, key_prefix=prefix)}
    yield server, prefix
    for key in server.scan_iter(f"{prefix}:*"):
        server.delete(key)
    server.close()


def _api(client: Client, reference: str, digits: str, ip: str):
    return client.post(
        API, {"reference": reference, "id_last4": digits}, content_type="application/json", REMOTE_ADDR=ip
    )


def _reference_counter(redis_server: tuple[redis.Redis, str], reference: str) -> str:
    """The raw Redis key of a reference's failure counter."""
    return f"{redis_server[1]}:1:{_key('ref', reference)}"


def test_sixth_failure_on_a_reference_is_refused_even_from_other_ips(
    redis_server, make_application, client: Client
) -> None:
    server = redis_server[0]
    application = make_application()
    assert _api(client, application.reference, "6789", ip="10.0.0.1").status_code == 200
    for n in range(5):
        assert _api(client, application.reference, "0000", ip=f"10.0.1.{n}").status_code == 404
    # The counter is a plain integer in Redis, its window fixed by the first failure.
    raw_key = _reference_counter(redis_server, application.reference)
    assert server.get(raw_key) == b"5"
    assert 0 < server.ttl(raw_key) <= REFERENCE_WINDOW
    assert _api(client, application.reference, "6789", ip="10.0.2.1").status_code == 429  # right digits: refused
    other = make_application()
    assert _api(client, other.reference, "6789", ip="10.0.2.1").status_code == 200
    outcomes = list(TrackingAttempt.objects.order_by("id").values_list("outcome", flat=True))
    assert outcomes == ["found", *["not_matched"] * 5, "limited", "found"]


def test_thirty_failures_a_minute_from_one_ip_are_refused(redis_server, catalogue, client: Client) -> None:
    for _ in range(30):
        assert _api(client, reference_generate("FQ"), "1234", ip="10.9.9.9").status_code == 404
    assert _api(client, reference_generate("FQ"), "1234", ip="10.9.9.9").status_code == 429
    assert _api(client, reference_generate("FQ"), "1234", ip="10.9.9.8").status_code == 404


def test_a_cache_connection_closed_by_redis_is_replaced_before_the_counters_are_read(
    redis_server, make_application, client: Client
) -> None:
    reference = make_application().reference
    # The counters are read on the cache client's own connection: Redis closes it (a restart, an idle timeout).
    own = caches["default"].client.get_client(write=False)
    own.ping()
    assert redis_server[0].client_kill_filter(_id=own.client_id()) == 1
    assert _api(client, reference, "6789", ip="10.0.0.1").status_code == 200
    assert _api(client, reference, "0000", ip="10.0.0.1").status_code == 404
    assert redis_server[0].get(_reference_counter(redis_server, reference)) == b"1"
