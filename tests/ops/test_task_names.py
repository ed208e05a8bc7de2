"""Task names outlive a deploy: messages already queued and the beat schedule name tasks by the
dotted names they had when every task lived in assessments/tasks.py."""

import re
from pathlib import Path

import assessments
from assessments.core.jobs import task
from safermk.celery import app

# Every task there was before the feature packages; a queued message may name any of them.
NAMES_BEFORE_THE_PACKAGES = {
    "record_heartbeat_task",
    "comment_posted_notify_task",
    "comment_resolved_notify_task",
    "consultation_opened_notify_task",
    "consultations_close_due_task",
    "consultation_reminders_task",
    "comment_digests_task",
    "invitation_send_task",
    "render_report_export_task",
    "requeue_stale_exports_task",
    "data_request_email_task",
    "data_return_reminders_task",
    "housekeeping_task",
}


# Added since, under the same scheme.
NAMES_ADDED = {
    "outbox_relay_task",
    "chase_reminder_send_task",
    "stale_headlines_notify_task",
    "assessment_milestone_notify_task",
}


def test_every_task_keeps_its_old_dotted_name():
    registered = {name for name in app.tasks if name.startswith("assessments.")}
    expected = NAMES_BEFORE_THE_PACKAGES | NAMES_ADDED
    assert registered == {f"assessments.tasks.{name}" for name in expected}


def test_every_task_a_service_asks_for_by_name_exists():
    source = "\n".join(path.read_text() for path in Path(assessments.__file__).parent.rglob("*.py"))
    asked_for = set(re.findall(r'\b(?:task|enqueue)\("(\w+)"', source))
    assert asked_for, "services find their tasks through assessments.core.jobs"
    for name in asked_for:
        assert task(name).name == f"assessments.tasks.{name}"
