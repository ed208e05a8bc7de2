"""The outbox: background work is written with the change that asks for it, published after the
commit, published again while the broker is down, and run once however often it is delivered."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from assessments.consultation.models import Comment
from assessments.core.jobs import RELAY_LOCK, enqueue, outbox_relay, outbox_relay_once, task
from assessments.core.models import OutboxJob
from assessments.ops.heartbeat import heartbeat_request
from safermk.celery import app

from ..broker import free_port, use_broker
from ..factories import ChapterFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker_down():
    """Celery publishes to a Redis port where nothing listens, as when the broker has stopped."""
    previous = app.conf.broker_url, os.environ.get("CELERY_BROKER_URL")
    eager = app.conf.task_always_eager
    nowhere = f"redis://127.0.0.1:{free_port()}/0"
    use_broker(nowhere, nowhere)
    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = eager
    use_broker(*previous)


@pytest.fixture
def chapter(assessment):
    assessment.status = "consultation"
    assessment.save()
    return ChapterFactory(assessment=assessment, slug="violence")


def test_a_comment_posted_while_the_broker_is_down_is_saved_without_an_error(
    police_client, chapter, broker_down, django_capture_on_commit_callbacks
):
    url = reverse(
        "chapter_comments",
        args=[chapter.assessment.partnership.slug, chapter.assessment.year, "violence"],
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = police_client.post(url, {"on": "", "body": "Add 2016 figures."})
    assert response.status_code == 302
    assert Comment.objects.get().body == "Add 2016 figures."


def _comment_post_url(chapter):
    a = chapter.assessment
    return reverse("chapter_comments", args=[a.partnership.slug, a.year, chapter.slug])


def test_work_waits_in_the_outbox_backing_off_until_the_broker_returns(
    police_client, analyst, chapter, broker_down, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        police_client.post(_comment_post_url(chapter), {"on": "", "body": "Add 2016 figures."})
    job = OutboxJob.objects.get()
    assert (job.task, job.published_at, job.publish_attempts) == (
        "comment_posted_notify_task",
        None,
        1,
    )
    assert "Broker unreachable" in job.last_error
    first_wait = job.next_attempt_at - timezone.now()
    assert outbox_relay() == 0  # not due yet: the relay leaves it alone
    OutboxJob.objects.update(next_attempt_at=timezone.now())
    assert outbox_relay() == 0  # due, and the broker is still down
    job.refresh_from_db()
    assert job.publish_attempts == 2
    assert job.next_attempt_at - timezone.now() > first_wait  # it backs off


def test_a_job_is_published_once_and_a_second_delivery_sends_nothing(
    police_client, analyst, chapter, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        police_client.post(_comment_post_url(chapter), {"on": "", "body": "Add 2016 figures."})
    job = OutboxJob.objects.get()
    assert job.published_at is not None and job.done_at is not None
    assert [m.to for m in mailoutbox] == [[analyst.email]]
    assert outbox_relay() == 0  # published: the relay does not send it again
    # The broker hands the same message out again (a lost acknowledgement).
    task(job.task).apply(job.args, task_id=f"outbox-{job.pk}")
    assert len(mailoutbox) == 1
    job.refresh_from_db()
    assert job.runs == 1


def test_an_unknown_task_name_fails_in_the_request_that_asks_for_it(db):
    with pytest.raises(KeyError):
        enqueue("no_such_task", 1)
    assert not OutboxJob.objects.exists()


def test_work_outside_the_outbox_that_cannot_be_published_is_logged_not_raised(
    db, broker_down, django_capture_on_commit_callbacks, caplog
):
    # A heartbeat may be lost (the next comes within a minute), so it does not use the outbox.
    with django_capture_on_commit_callbacks(execute=True):
        heartbeat_request(queue="default")
    assert "Could not publish assessments.tasks.record_heartbeat_task" in caplog.text


# Taken by the broker is not done (issue 31, finding 1) -----------------------------------------


@pytest.fixture
def published_to(monkeypatch):
    """The task ids handed to the broker, with no worker taking them (as after a broker crash
    that lost them)."""
    from celery.app.task import Task

    sent = []
    monkeypatch.setattr(Task, "apply_async", lambda self, *a, **k: sent.append(k["task_id"]))
    return sent


def _later(seconds: float) -> None:
    """As if `seconds` had passed: every wait of the outbox is that much shorter."""
    earlier = dt.timedelta(seconds=seconds)
    OutboxJob.objects.update(
        next_attempt_at=F("next_attempt_at") - earlier,
        created_at=F("created_at") - earlier,
        published_at=F("published_at") - earlier,
    )


def test_a_job_taken_by_the_broker_and_never_finished_is_published_again(
    assessment, published_to, settings, django_capture_on_commit_callbacks
):
    settings.OUTBOX_REPUBLISH_SECONDS = 60
    with django_capture_on_commit_callbacks(execute=True):
        job = enqueue("consultation_opened_notify_task", assessment.pk)
    assert published_to == [f"outbox-{job.pk}"]
    assert outbox_relay() == 0  # taken a moment ago: its message may still be queued

    _later(61)
    assert outbox_relay() == 1  # not finished a minute on: the broker may have lost it
    job.refresh_from_db()
    assert job.publish_attempts == 2
    # Then as long again as since it was first handed over: a minute now, two at the next turn.
    assert 55 < (job.next_attempt_at - timezone.now()).total_seconds() < 65
    _later(30)
    assert outbox_relay() == 0
    _later(35)
    assert outbox_relay() == 1
    job.refresh_from_db()
    assert 120 < (job.next_attempt_at - timezone.now()).total_seconds() < 130
    assert published_to == [f"outbox-{job.pk}"] * 3

    OutboxJob.objects.update(done_at=timezone.now())
    _later(3600)
    assert outbox_relay() == 0  # finished: never again


def test_a_job_a_worker_is_running_is_not_published_again_while_its_lease_holds(
    db, published_to, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = enqueue("render_report_export_task", 1)
    _later(3600)
    OutboxJob.objects.update(lease_expires_at=timezone.now() + dt.timedelta(minutes=5))
    assert outbox_relay() == 0  # a live render: a copy would wait, or run it twice
    OutboxJob.objects.update(lease_expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert outbox_relay() == 1  # its worker died holding it: published again
    assert published_to == [f"outbox-{job.pk}"] * 2


# Publishing waits for no request (issue 31, finding 3) -----------------------------------------


@pytest.mark.django_db(transaction=True)
def test_after_the_broker_failed_a_process_leaves_its_requests_work_to_the_relay_a_while(
    police_client, chapter, broker_down
):
    url = _comment_post_url(chapter)
    assert police_client.post(url, {"on": "", "body": "First."}).status_code == 302
    assert police_client.post(url, {"on": "", "body": "Second."}).status_code == 302
    first, second = OutboxJob.objects.order_by("pk")
    # The first was tried after its response and failed; the second, moments later, was not
    # tried (a frozen broker would have cost its process another time-out).
    assert (first.publish_attempts, second.publish_attempts) == (1, 0)
    assert first.published_at is None and second.published_at is None
    assert "Broker unreachable" in first.last_error
    OutboxJob.objects.update(next_attempt_at=timezone.now())
    assert outbox_relay() == 0  # the relay tries the oldest, and stops: the broker is down
    attempts = OutboxJob.objects.order_by("pk").values_list("publish_attempts", flat=True)
    assert list(attempts) == [2, 0]


# The relay without beat (issue 31, finding 5) --------------------------------------------------


@pytest.mark.postgres
def test_one_relay_runs_at_a_time(db, published_to):
    import psycopg
    from django.db import connection

    db_settings = connection.settings_dict
    holder = psycopg.connect(
        dbname=db_settings["NAME"],
        user=db_settings["USER"],
        password=db_settings["PASSWORD"] or None,
        host=db_settings["HOST"],
        port=db_settings["PORT"] or 5432,
        autocommit=True,
    )
    try:
        # Another process (beat's task, or another worker's thread) is running the relay.
        holder.execute("SELECT pg_advisory_lock(%s)", [RELAY_LOCK])
        assert outbox_relay_once() is None
    finally:
        holder.close()
    assert outbox_relay_once() == 0  # free again


def test_a_job_whose_subject_is_gone_is_done_not_tried_again_for_ever(db, mailoutbox):
    job = OutboxJob.objects.create(task="consultation_opened_notify_task", args=[999_999])
    task(job.task).apply(job.args, task_id=f"outbox-{job.pk}")  # no such assessment any more
    job.refresh_from_db()
    assert job.done_at is not None  # the relay will not publish it again
    assert job.last_error.startswith("Nothing to do: Assessment matching query does not exist")
    assert mailoutbox == []
