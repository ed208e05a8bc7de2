"""Start a real Celery worker process against the test database and broker."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def test_database_url() -> str:
    """The URL of the test database this run created, for the worker process to share."""
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


class WorkerLog(list):
    """The worker's output lines, and its main process (to find its pool's children)."""

    process: subprocess.Popen

    def pool_children(self) -> list[int]:
        """The pids of the prefork pool's processes (Linux /proc)."""
        pid = self.process.pid
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        return [int(child) for child in children]


@contextmanager
def celery_worker(
    *queues: str, ready_timeout: float = 60, pool: str = "solo", environment: dict | None = None
):
    """A worker process on the queues; `pool="prefork"` runs tasks in one child process;
    `environment` adds to its environment variables."""
    env = {
        **os.environ,
        "DATABASE_URL": test_database_url(),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "CELERY_BROKER_DIR": str(settings.CELERY_BROKER_DIR),
        "SAFERMK_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        **(environment or {}),
    }
    command = [
        sys.executable, "-m", "celery", "-A", "safermk", "worker",
        "--queues", ",".join(queues or ("default", "pdf")),
        "--pool", pool, "--concurrency", "1",
        "--without-gossip", "--without-mingle", "--loglevel", "INFO",
        "--hostname", f"test-worker-{os.getpid()}@%h",
    ]  # fmt: skip
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group, so a test can stop it and its pool
    )
    lines = WorkerLog()
    lines.process = process
    ready = threading.Event()

    def read():
        for line in process.stdout:
            lines.append(line)
            if " ready." in line:
                ready.set()

    threading.Thread(target=read, daemon=True).start()
    try:
        if not ready.wait(ready_timeout):
            raise RuntimeError("Celery worker did not start:\n" + "".join(lines[-40:]))
        yield lines
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


class OutputSince:
    """A running worker's output from the moment this was made: one test's share of a worker
    that several tests use."""

    def __init__(self, lines: WorkerLog):
        self.lines, self.start = lines, len(lines)

    def __iter__(self):
        return iter(self.lines[self.start :])


def wait_for(predicate, timeout: float = 60, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"Gave up after {timeout} s waiting for {predicate}")
