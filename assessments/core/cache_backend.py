"""Redis as a cache that is an optimisation, never a dependency (CACHE_URL=redis://...).

Every page, figure and public page the cache holds can be built again from the database, so a
cache that fails (stopped, restarting, frozen, unreachable) must cost time, not answers. Each
call that fails with a Redis error or a time-out answers as a miss: `get` its default, `add`,
`touch`, `delete` and `has_key` False, `incr` None (django-ratelimit then fails closed: the
site's own "try again shortly" page, not an unlimited allowance), writes nothing. The socket
time-outs come from CACHE_SOCKET_TIMEOUT (settings.py).

After a failure the cache is left alone for REST seconds, so that a frozen Redis costs one
time-out every few seconds, not one for every call of every page. The failure is logged once
a minute at most, and `cache_problem()` names the latest for /healthz.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import TypeVar

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)
T = TypeVar("T")

REST = 5.0  # seconds without a call after a failure
LOG_EVERY = 60.0  # seconds between two log lines about failures

_lock = threading.Lock()
_state = {"resting_until": 0.0, "logged_at": float("-inf"), "problem": ""}


def cache_problem() -> str:
    """The latest failure, while the cache rests after it ("" when it answers)."""
    with _lock:
        return _state["problem"] if time.monotonic() < _state["resting_until"] else ""


def _failed(error: Exception) -> None:
    now = time.monotonic()
    with _lock:
        _state["resting_until"] = now + REST
        _state["problem"] = f"{type(error).__name__}: {error}"
        log = now - _state["logged_at"] >= LOG_EVERY
        if log:
            _state["logged_at"] = now
    if log:
        logger.warning("The cache failed (answering as misses for %.0f s): %s", REST, error)


def _resting() -> bool:
    with _lock:
        return time.monotonic() < _state["resting_until"]


class _TolerantClient(RedisCacheClient):
    def _call(self, miss: T, call: Callable[..., T], *args) -> T:
        if _resting():
            return miss
        try:
            return call(*args)
        except (RedisError, OSError) as error:
            _failed(error)
            return miss

    def get(self, key, default):
        return self._call(default, super().get, key, default)

    def get_many(self, keys):
        return self._call({}, super().get_many, keys)

    def add(self, key, value, timeout):
        return self._call(False, super().add, key, value, timeout)

    def set(self, key, value, timeout):
        return self._call(None, super().set, key, value, timeout)

    def set_many(self, data, timeout):
        return self._call(None, super().set_many, data, timeout)

    def touch(self, key, timeout):
        return self._call(False, super().touch, key, timeout)

    def has_key(self, key):
        return self._call(False, super().has_key, key)

    def incr(self, key, delta):
        return self._call(None, super().incr, key, delta)

    def delete(self, key):
        return self._call(False, super().delete, key)

    def delete_many(self, keys):
        return self._call(None, super().delete_many, keys)

    def clear(self):
        return self._call(False, super().clear)


class TolerantRedisCache(RedisCache):
    """Django's Redis cache, whose failures answer as misses (above)."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _TolerantClient
