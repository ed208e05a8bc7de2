"""/healthz for the load balancer: a status code for anyone, details for operators only."""

import datetime as dt

import pytest
from django.utils import timezone

from assessments.ops.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db


@pytest.fixture
def fresh_heartbeat():
    return WorkerHeartbeat.objects.create(hostname="worker-1", queue="default")


def test_healthy_answers_ok_to_anyone_without_details(client, fresh_heartbeat):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"


def test_a_silent_worker_makes_it_unhealthy_without_saying_why_to_anonymous(client):
    WorkerHeartbeat.objects.create(
        hostname="worker-1", seen_at=timezone.now() - dt.timedelta(minutes=10)
    )
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.content == b"unavailable"


def test_an_analyst_sees_which_part_failed(analyst_client, settings, tmp_path):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the media folder should be")
    settings.MEDIA_ROOT = blocked
    WorkerHeartbeat.objects.create(hostname="worker-1", queue="default")

    response = analyst_client.get("/healthz")

    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["database"]["ok"] and checks["broker"]["ok"] and checks["worker"]["ok"]
    assert not checks["storage"]["ok"]


def test_a_partner_gets_no_details(police_client):
    response = police_client.get("/healthz")
    assert response.status_code == 503
    assert response.content == b"unavailable"


def test_free_space_under_the_floor_makes_it_unhealthy(analyst_client, settings):
    WorkerHeartbeat.objects.create(hostname="worker-1", queue="default")
    settings.STORAGE_FREE_FLOOR_MB = 10**9  # more than any disk has free
    response = analyst_client.get("/healthz")
    assert response.status_code == 503
    storage = response.json()["checks"]["storage"]
    assert not storage["ok"]
    assert "the file store is full" in storage["detail"]


def test_a_read_only_file_store_makes_it_unhealthy(analyst_client, settings):
    WorkerHeartbeat.objects.create(hostname="worker-1", queue="default")
    read_only = {"BACKEND": "tests.storage_faults.ReadOnlyStorage"}
    settings.STORAGES = {**settings.STORAGES, "default": read_only}
    response = analyst_client.get("/healthz")
    assert response.status_code == 503
    assert (
        response.json()["checks"]["storage"]["detail"]
        == "StorageFault: the file store is read-only"
    )
