"""Each email once per recipient, however often its job is delivered (issue 31, finding 4).

A job that emails several people and stops part-way (its worker process killed, the SMTP
connection lost) is delivered again by the broker; the second delivery sends only to those the
first did not reach. A copy delivered while another holds the job does nothing."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from smtplib import SMTPServerDisconnected

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.utils import timezone

from assessments.core.jobs import enqueue, task
from assessments.core.models import Assessment, OutboxDelivery, OutboxJob

pytestmark = pytest.mark.django_db


class DropsAfterTheFirst(EmailBackend):
    """Delivers one email, then loses its connection, as an SMTP relay that goes away."""

    def send_messages(self, messages):
        if mail.outbox:
            raise SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


@pytest.fixture
def opening(assessment, people, fire_partner, django_capture_on_commit_callbacks):
    """The job that tells the partnership's partners and board members that the consultation
    is open: three emails."""
    Assessment.objects.filter(pk=assessment.pk).update(
        status="consultation", consultation_closes_on=timezone.localdate() + dt.timedelta(7)
    )
    with django_capture_on_commit_callbacks(execute=False):
        return enqueue("consultation_opened_notify_task", assessment.pk)


def _deliver(job: OutboxJob, *, redelivered: bool = False) -> bool:
    """Run the job as a worker runs a message of the broker's (`redelivered`: handed out again
    because the worker that had it died); True when it finished without an error."""
    runner = task(job.task)
    runner.push_request(id=f"outbox-{job.pk}", delivery_info={"redelivered": redelivered})
    try:
        runner(*job.args)
    except SMTPServerDisconnected:
        return False
    finally:
        runner.pop_request()
    return True


def test_a_job_delivered_again_after_failing_part_way_emails_each_person_once(opening, settings):
    settings.EMAIL_BACKEND = f"{__name__}.DropsAfterTheFirst"
    assert not _deliver(opening)
    assert len(mail.outbox) == 1
    opening.refresh_from_db()
    assert opening.done_at is None

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    _deliver(opening, redelivered=True)

    counts = Counter(address for email in mail.outbox for address in email.to)
    assert len(counts) == 3
    assert set(counts.values()) == {1}
    assert OutboxDelivery.objects.filter(job=opening).count() == len(counts)
    opening.refresh_from_db()
    assert opening.done_at is not None


def test_a_copy_delivered_while_another_runs_the_job_does_nothing(opening):
    OutboxJob.objects.filter(pk=opening.pk).update(
        lease_expires_at=timezone.now() + dt.timedelta(minutes=5)
    )

    _deliver(opening)

    assert mail.outbox == []
    opening.refresh_from_db()
    assert opening.done_at is None


def test_a_copy_handed_out_again_because_its_worker_died_takes_the_job_over(opening):
    OutboxJob.objects.filter(pk=opening.pk).update(
        lease_expires_at=timezone.now() + dt.timedelta(minutes=5)
    )

    _deliver(opening, redelivered=True)

    assert len(mail.outbox) == 3
    opening.refresh_from_db()
    assert opening.done_at is not None and opening.lease_expires_at is None
