"""/healthz for the load balancer: a status code for anyone, details for operators only; beat
and the outbox are watched too (issue 31, finding 5)."""

import datetime as dt

import pytest
from django.utils import timezone

from assessments.core.models import OutboxJob
from assessments.ops.beat import HeartbeatScheduler
from assessments.ops.models import WorkerHeartbeat
from safermk.celery import app

pytestmark = pytest.mark.django_db


@pytest.fixture
def fresh_heartbeat():
    """A worker's heartbeat and beat's, both just written."""
    WorkerHeartbeat.objects.create(hostname="beat-1", queue="beat")
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


def _ago(**kwargs):
    return timezone.now() - dt.timedelta(**kwargs)


def test_beat_stopped_makes_it_unhealthy_and_names_beat_not_the_workers(analyst_client):
    WorkerHeartbeat.objects.create(hostname="worker-1", queue="default")
    WorkerHeartbeat.objects.create(hostname="beat-1", queue="beat", seen_at=_ago(minutes=4))
    response = analyst_client.get("/healthz")
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["worker"]["ok"]  # beat's heartbeat is not a worker's
    assert not checks["beat"]["ok"]
    assert "the beat process is not running" in checks["beat"]["detail"]


def test_silent_workers_with_beat_stopped_say_beat_asks_for_their_heartbeats(analyst_client):
    WorkerHeartbeat.objects.create(hostname="worker-1", queue="default", seen_at=_ago(minutes=4))
    checks = analyst_client.get("/healthz").json()["checks"]
    assert "beat, which asks the workers for them, is not running" in checks["worker"]["detail"]


def test_a_job_unfinished_for_too_long_makes_it_unhealthy_naming_it(
    analyst_client, fresh_heartbeat, settings
):
    settings.HEALTH_OUTBOX_STALE_SECONDS = 300
    OutboxJob.objects.create(task="invitation_send_task", args=[7], created_at=_ago(minutes=4))
    assert analyst_client.get("/healthz").status_code == 200  # not yet five minutes
    job = OutboxJob.objects.create(
        task="comment_posted_notify_task",
        args=[8],
        created_at=_ago(minutes=6),
        last_error="Broker unreachable: Error 111 connecting to 127.0.0.1:6379.",
    )
    response = analyst_client.get("/healthz")
    assert response.status_code == 503
    outbox = response.json()["checks"]["outbox"]
    assert not outbox["ok"]
    assert outbox["detail"].startswith(
        f"RuntimeError: comment_posted_notify_task [8] (outbox {job.pk}) unfinished after 36"
    )
    assert "(never published): Broker unreachable" in outbox["detail"]


def test_a_render_running_within_its_lease_is_not_counted_as_stuck(analyst_client, fresh_heartbeat):
    running = OutboxJob.objects.create(
        task="render_report_export_task",
        args=[3],
        created_at=_ago(minutes=20),
        published_at=_ago(minutes=20),
        lease_expires_at=timezone.now() + dt.timedelta(minutes=5),
    )
    assert analyst_client.get("/healthz").status_code == 200
    OutboxJob.objects.filter(pk=running.pk).update(lease_expires_at=_ago(seconds=1))
    response = analyst_client.get("/healthz")  # its worker died holding it
    assert response.status_code == 503
    assert "(published, not done)" in response.json()["checks"]["outbox"]["detail"]


@pytest.mark.django_db(transaction=True)  # the scheduler closes its connection after writing
def test_beat_writes_its_own_heartbeat_as_it_ticks(tmp_path):
    scheduler = HeartbeatScheduler(app=app, schedule_filename=str(tmp_path / "schedule"))
    try:
        assert scheduler.tick() <= 30
        assert WorkerHeartbeat.objects.filter(queue="beat").count() == 1
        scheduler.tick()  # the next is due in 30 s
        assert WorkerHeartbeat.objects.filter(queue="beat").count() == 1
    finally:
        scheduler.close()
