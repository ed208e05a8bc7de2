"""Nightly housekeeping: exports, unconfirmed uploads and audit records past their retention
are removed; everything younger stays."""

import datetime as dt
import os
import time

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from assessments.appendices.models import AppendixAccess
from assessments.core.models import FormSubmission, OutboxJob
from assessments.ops import housekeeping
from assessments.ops.tasks import housekeeping_task
from assessments.reporting.models import ReportExport

from ..factories import AppendixFactory

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)
SIGN_IN_RECORDS = {AccessLog: {}, AccessFailureLog: {}, AccessAttempt: {"failures_since_start": 5}}


def _age(path, days: float) -> None:
    then = time.time() - days * 86400
    os.utime(path, (then, then))


def _export(assessment, *, days_old: int, status=ReportExport.Status.DONE) -> ReportExport:
    export = ReportExport.objects.create(
        assessment=assessment, status=status, requested_at=timezone.now() - days_old * DAY
    )
    if status == ReportExport.Status.DONE:
        export.file.save(f"report-{export.pk}.pdf", ContentFile(b"%PDF-1.7 ..."))
    return export


def test_exports_older_than_the_retention_go_with_their_files(assessment, settings):
    settings.EXPORT_RETENTION_DAYS = 30
    old = _export(assessment, days_old=31)
    old_failed = _export(assessment, days_old=40, status=ReportExport.Status.FAILED)
    old_queued = _export(assessment, days_old=40, status=ReportExport.Status.QUEUED)
    recent = _export(assessment, days_old=29)
    orphan = default_storage.save("exports/2025/01/orphan.pdf", ContentFile(b"%PDF"))
    _age(default_storage.path(orphan), 31)

    housekeeping_task.delay()

    remaining = set(ReportExport.objects.values_list("pk", flat=True))
    assert remaining == {recent.pk, old_queued.pk}  # a job still waiting is not touched
    assert not default_storage.exists(old.file.name)
    assert not default_storage.exists(orphan)
    assert default_storage.exists(recent.file.name)
    assert old_failed.pk not in remaining


def test_unconfirmed_uploads_are_removed_after_the_retention(settings):
    settings.UPLOAD_RETENTION_HOURS = 24
    police_uk_old = settings.MEDIA_ROOT / "police-uk-uploads" / ("a" * 32)
    police_uk_new = settings.MEDIA_ROOT / "police-uk-uploads" / ("b" * 32)
    for folder in (police_uk_old, police_uk_new):
        folder.mkdir(parents=True)
    _age(police_uk_old, 1.1)
    table_old = default_storage.save("django-import-export/old", ContentFile(b"x"))
    table_new = default_storage.save("django-import-export/new", ContentFile(b"x"))
    _age(default_storage.path(table_old), 1.1)

    assert housekeeping.uploads_remove_stale() == 2

    assert not police_uk_old.exists() and police_uk_new.exists()
    assert not default_storage.exists(table_old) and default_storage.exists(table_new)


def test_audit_records_are_kept_for_the_retention_then_removed(assessment, settings):
    settings.AUDIT_RETENTION_DAYS = 365
    appendix = AppendixFactory(assessment=assessment)
    now = timezone.now()
    for days in (366, 364):
        AppendixAccess.objects.create(
            partnership=assessment.partnership,
            appendix=appendix,
            appendix_title=appendix.title,
            username=f"reader-{days}",
            route="page",
            path="/",
            accessed_at=now - days * DAY,
        )
        for model, fields in SIGN_IN_RECORDS.items():
            row = model.objects.create(username=f"reader-{days}", ip_address="10.0.0.1", **fields)
            # attempt_time is auto_now_add: backdate it as the nightly job would find it.
            model.objects.filter(pk=row.pk).update(attempt_time=now - days * DAY)

    assert housekeeping.audit_logs_remove_old() == 4

    for model in (AppendixAccess, AccessLog, AccessFailureLog, AccessAttempt):
        assert list(model.objects.values_list("username", flat=True)) == ["reader-364"], model


def test_the_housekeeping_job_is_scheduled_nightly(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["housekeeping"]
    assert entry["task"] == "assessments.tasks.housekeeping_task"
    assert entry["schedule"].hour == {3}


def test_a_file_shared_with_a_younger_export_of_the_same_content_is_kept(assessment, settings):
    old = _export(assessment, days_old=settings.EXPORT_RETENTION_DAYS + 1)
    young = ReportExport.objects.create(
        assessment=assessment, status=ReportExport.Status.DONE, file=old.file.name
    )
    housekeeping.exports_remove_old()
    assert not ReportExport.objects.filter(pk=old.pk).exists()
    assert default_storage.exists(young.file.name)


def test_outbox_jobs_done_a_week_ago_are_removed_and_unfinished_ones_kept(db):
    week_ago = timezone.now() - 8 * DAY
    OutboxJob.objects.create(task="invitation_send_task", args=[1], done_at=week_ago)
    recent = OutboxJob.objects.create(task="invitation_send_task", args=[2], done_at=timezone.now())
    waiting = OutboxJob.objects.create(task="invitation_send_task", args=[3], created_at=week_ago)
    assert housekeeping.outbox_remove_done() == 1
    assert set(OutboxJob.objects.values_list("pk", flat=True)) == {recent.pk, waiting.pk}


def test_form_keys_older_than_a_week_are_removed(police_partner):
    old = FormSubmission.objects.create(
        user=police_partner, key="a" * 32, created_at=timezone.now() - 8 * DAY
    )
    recent = FormSubmission.objects.create(user=police_partner, key="b" * 32)
    assert housekeeping.form_submissions_remove_old() == 1
    assert list(FormSubmission.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not FormSubmission.objects.filter(pk=old.pk).exists()
