"""A real Celery worker round trip: the app enqueues a task on commit, a separate worker process
consumes it from the configured broker and writes a row that the test reads back."""

import pytest
from django.conf import settings
from django.db import transaction

from assessments.ops import heartbeat
from assessments.ops.models import WorkerHeartbeat

from ..worker import wait_for

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("worker_round_trip"),  # one process starts the worker they share
]


def round_trip():
    with transaction.atomic():
        heartbeat.heartbeat_request(queue="default")
        # Not published until the transaction commits.
        assert not WorkerHeartbeat.objects.exists()
    row = wait_for(lambda: WorkerHeartbeat.objects.first())
    assert row.queue == "default"
    assert row.hostname


def test_a_task_enqueued_on_commit_runs_in_a_real_worker(real_worker):
    """On the broker the settings name: the filesystem broker by default, Redis in CI."""
    round_trip()


@pytest.mark.redis
def test_the_round_trip_goes_through_redis(real_worker):
    assert settings.CELERY_BROKER_URL.startswith("redis://")
    round_trip()


def test_a_task_is_not_sent_when_the_transaction_rolls_back(real_worker):
    with pytest.raises(RuntimeError), transaction.atomic():
        heartbeat.heartbeat_request(queue="default")
        raise RuntimeError("the request failed")
    heartbeat.heartbeat_request(queue="default")  # a later, committed request
    wait_for(lambda: WorkerHeartbeat.objects.exists())
    wait_for(lambda: any("succeeded" in line for line in real_worker))
    assert WorkerHeartbeat.objects.count() == 1
    assert sum("record_heartbeat_task" in line and "succeeded" in line for line in real_worker) == 1
