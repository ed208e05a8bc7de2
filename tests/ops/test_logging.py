import json
import logging
from unittest import mock

import pytest

from safermk.logging import JsonFormatter

pytestmark = pytest.mark.django_db


def test_each_request_logs_one_line_with_user_and_duration(police_client, police_partner, caplog):
    # The request's clock reads 100 s when it starts and 100.25 s when the answer is ready.
    clock = mock.Mock(perf_counter=mock.Mock(side_effect=[100.0, 100.25]))
    with (
        caplog.at_level(logging.INFO, logger="safermk.requests"),
        mock.patch("assessments.ops.middleware.time", clock),
    ):
        police_client.get("/")
    [record] = [r for r in caplog.records if r.name == "safermk.requests"]
    line = json.loads(JsonFormatter().format(record))
    assert line["path"] == "/" and line["status"] == 200
    assert line["user_id"] == police_partner.pk
    assert line["duration_ms"] == 250.0


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
