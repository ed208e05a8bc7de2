"""The cache: each process's memory by default, Redis shared by every process when configured."""

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured

from safermk.settings import cache_settings


def test_nothing_set_means_each_process_has_its_own_memory_cache():
    assert cache_settings("locmem://", "r1")["BACKEND"].endswith("LocMemCache")


def test_a_redis_url_gives_the_tolerant_redis_cache_at_that_address_with_time_outs(settings):
    config = cache_settings("redis://127.0.0.1:6379/1", "r1")
    timeout = settings.CACHE_SOCKET_TIMEOUT
    assert config == {
        "BACKEND": "assessments.core.cache_backend.TolerantRedisCache",
        "LOCATION": "redis://127.0.0.1:6379/1",
        "OPTIONS": {"socket_timeout": timeout, "socket_connect_timeout": timeout},
        "KEY_PREFIX": "r1",
    }


def test_an_unknown_scheme_is_refused_at_start_up():
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL"):
        cache_settings("memcached://127.0.0.1:11211", "r1")


@pytest.mark.redis
def test_the_configured_redis_cache_is_reachable_and_counts():
    """Rate limits count with `incr` in the shared cache."""
    cache.set("counter", 0)
    for _ in range(5):
        cache.incr("counter")
    assert cache.get("counter") == 5
