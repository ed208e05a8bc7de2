"""A take-down is seen by the next request, in every process, whatever the cache holds
(issue 30): a second process (gunicorn, as in production) whose Redis cache still holds the
published pages answers the taken-down page as soon as the withdrawal commits, without sleeping,
and again after the cache is put back from a snapshot taken before it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import urllib.error
import urllib.request

import pytest
import redis

from assessments.consultation.services import workflow
from assessments.core.models import Assessment
from safermk.settings import cache_settings

from .. import worker
from ..broker import PrivateRedis, free_port
from ..factories import AssessmentFactory, make_ready, refreeze

pytestmark = pytest.mark.django_db(transaction=True)


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (our own server)
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.fixture
def cache_redis(settings):
    server = PrivateRedis()
    server.start()
    settings.CACHES = {
        "default": cache_settings(server.url, "r1"),
        "shared": cache_settings(server.url, ""),
    }
    yield server
    server.stop()


@pytest.fixture
def second_process(cache_redis, settings):
    """gunicorn on the test database, with the same Redis cache as this process."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": worker.test_database_url(),
        "CACHE_URL": cache_redis.url,
        "SAFERMK_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "SAFERMK_RELEASE": "r1",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "safermk.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", "1", "--log-level", "warning"],
        cwd=worker.ROOT, env=env,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    worker.wait_for(lambda: _answers(base), timeout=30, interval=0.1)
    yield base
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=10)


def _answers(base: str) -> bool:
    try:
        return get(f"{base}/healthz")[0] in (200, 503)
    except OSError:
        return False


@pytest.mark.slow(reason="starts gunicorn and a redis-server of its own")
def test_a_take_down_reaches_a_process_whose_cache_still_holds_the_pages(
    partnership, analyst, cache_redis, second_process
):
    published = AssessmentFactory(partnership=partnership, status=Assessment.Status.PUBLISHED)
    make_ready(published, analyst)
    refreeze(published)
    chapter = f"{second_process}{published.get_absolute_url()}crime/"
    for _ in range(2):  # the second from the cache, without building the page
        status, page = get(chapter)
        assert status == 200 and "Crime" in page
    store = redis.Redis.from_url(cache_redis.url)
    snapshot = {key: store.dump(key) for key in store.keys("*")}
    assert any(b"public-response" in key for key in snapshot)

    workflow.assessment_transition(
        assessment=published, action="unpublish", by=analyst, reason="Wrong figures"
    )

    status, page = get(chapter)
    assert status == 410 and "a corrected edition will follow" in page
    store.flushall()
    for key, value in snapshot.items():
        store.restore(key, 0, value, replace=True)
    status, page = get(chapter)
    assert status == 410 and "Taken down on" in page
