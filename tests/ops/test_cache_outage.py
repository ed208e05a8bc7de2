"""The cache is an optimisation, never a dependency (issue 31, finding 2).

With the cache's Redis stopped, or frozen (SIGSTOP), every page still answers from the database,
for anonymous readers and signed-in ones; rate-limited requests get the site's own page saying
to try again shortly (the limits cannot be counted, so they refuse: nothing is sent); /healthz
stays 200, says "degraded" and names the cache. A private redis-server of the test's own plays
the cache (tests/broker.py), never the machine's shared one."""

from __future__ import annotations

import os
import signal
import time

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from assessments.core import cache_backend
from assessments.core.models import Assessment
from assessments.ops.models import WorkerHeartbeat
from assessments.reporting.models import ReportExport
from safermk.settings import cache_settings

from ..broker import PrivateRedis
from ..factories import AssessmentFactory, make_ready, refreeze

pytestmark = pytest.mark.django_db


@pytest.fixture
def cache_redis(settings, monkeypatch):
    """Both caches on a private redis-server; failures forgotten before and after."""
    redis = PrivateRedis()
    redis.start()
    settings.CACHES = {
        "default": cache_settings(redis.url, "r1"),
        "shared": cache_settings(redis.url, ""),
    }
    monkeypatch.setitem(cache_backend._state, "resting_until", 0.0)
    yield redis
    if redis.process.poll() is None:
        redis.process.send_signal(signal.SIGCONT)
        redis.stop()
    cache_backend._state["resting_until"] = 0.0


@pytest.fixture
def published(partnership, analyst):
    assessment = AssessmentFactory(partnership=partnership, status=Assessment.Status.PUBLISHED)
    make_ready(assessment, analyst).chapters.filter(slug="crime").update(narrative="Burglary fell.")
    refreeze(assessment)
    return assessment


def _chapter(assessment) -> str:
    return f"/assessments/{assessment.partnership.slug}/{assessment.year}/crime/"


def _pages_answer(published, police_partner) -> None:
    reader = Client()
    partner = Client()
    partner.force_login(police_partner)
    for client in (reader, partner):
        response = client.get(_chapter(published))
        assert response.status_code == 200
        assert "Burglary fell." in response.content.decode()


@pytest.mark.slow(reason="starts its own redis-server and renders pages with it up and stopped")
def test_a_stopped_cache_costs_time_not_answers(
    cache_redis, published, police_partner, analyst_client
):
    _pages_answer(published, police_partner)  # the pages are stored in the cache
    cache_redis.stop()

    _pages_answer(published, police_partner)

    reset = Client().post(reverse("password_reset"), {"email": police_partner.email})
    assert reset.status_code == 429
    assert "Try again in a few minutes" in reset.content.decode()
    assert mail.outbox == []

    partner = Client()
    partner.force_login(police_partner)
    pdf = partner.post(
        reverse("export_request", args=[published.partnership.slug, published.year]),
        {"variant": "public"},
    )
    assert pdf.status_code == 429
    assert "Try again in a few minutes" in pdf.content.decode()
    assert not ReportExport.objects.exists()

    WorkerHeartbeat.objects.create(hostname="worker-1", queue="default")
    WorkerHeartbeat.objects.create(hostname="beat-1", queue="beat")
    health = analyst_client.get("/healthz")
    assert health.status_code == 200
    assert health.json()["degraded"] is True
    assert health.json()["checks"]["cache"]["ok"] is False
    assert health.json()["healthy"] is True


def test_a_frozen_cache_costs_one_time_out_not_one_per_call(
    cache_redis, published, police_partner, settings
):
    _pages_answer(published, police_partner)
    os.kill(cache_redis.process.pid, signal.SIGSTOP)

    started = time.monotonic()
    _pages_answer(published, police_partner)
    waited = time.monotonic() - started

    # Each page makes several calls to the cache; after the first time-out the others are misses
    # at once, so two pages wait about one time-out, not one per call (tens of seconds).
    assert waited < 4 * settings.CACHE_SOCKET_TIMEOUT + 2


def test_the_cache_is_used_again_once_it_answers(cache_redis, published, police_partner):
    cache_redis.stop()
    _pages_answer(published, police_partner)
    assert cache_backend.cache_problem()

    cache_redis.start()
    cache_backend._state["resting_until"] = 0.0  # the rest after the failure is over
    _pages_answer(published, police_partner)
    assert cache_backend.cache_problem() == ""


def test_a_take_down_saved_while_the_cache_is_down_answers_as_saved(
    cache_redis, published, analyst_client, django_capture_on_commit_callbacks
):
    Client().get(_chapter(published))  # stored for the public
    cache_redis.stop()
    url = reverse("transition", args=[published.partnership.slug, published.year])

    with django_capture_on_commit_callbacks(execute=True):
        response = analyst_client.post(
            url, {"action": "unpublish", "reason": "Corrected the burglary figures."}
        )

    assert response.status_code == 302
    published.refresh_from_db()
    assert published.status == Assessment.Status.CORRECTION
    assert Client().get(_chapter(published)).status_code == 410  # taken down
