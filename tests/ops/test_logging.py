import json
import logging

import pytest

from safermk.logging import JsonFormatter

pytestmark = pytest.mark.django_db


def test_each_request_logs_one_line_with_user_and_duration(police_client, police_partner, caplog):
    with caplog.at_level(logging.INFO, logger="safermk.requests"):
        police_client.get("/")
    [record] = [r for r in caplog.records if r.name == "safermk.requests"]
    line = json.loads(JsonFormatter().format(record))
    assert line["path"] == "/" and line["status"] == 200
    assert line["user_id"] == police_partner.pk
    assert line["duration_ms"] >= 0


def test_tasks_log_start_and_finish_with_their_id(caplog):
    from assessments.ops.tasks import record_heartbeat_task

    with caplog.at_level(logging.INFO, logger="safermk.tasks"):
        result = record_heartbeat_task.delay()
    events = [(r.getMessage(), r.task_id) for r in caplog.records if r.name == "safermk.tasks"]
    assert [message for message, _ in events] == [
        "task started assessments.tasks.record_heartbeat_task",
        "task finished assessments.tasks.record_heartbeat_task",
    ]
    assert {task_id for _, task_id in events} == {result.id}
