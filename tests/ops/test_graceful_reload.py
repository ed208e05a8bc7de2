"""A deploy refuses nothing: gunicorn, run as `Procfile` runs it, is sent HUP after a template
of its release changed while ten readers keep asking for a published page. The listening socket
stays open throughout (the master keeps it; only the workers are replaced), so no connection is
refused and no answer is an error, and the new workers serve the new release: the new page,
with a new ETag. The old stop and start refused connections for the whole of the restart
(issue 31, finding 7). docs/operations.md, "Upgrading", is the procedure this tests."""

from __future__ import annotations

import http.client
import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings

from .. import worker
from ..factories import set_status
from ..worker import ROOT, wait_for

pytestmark = [
    pytest.mark.slow(reason="gunicorn with 3 workers under 10 readers for 20 s, reloaded"),
    pytest.mark.django_db(transaction=True),
]

CLIENTS = 10
SECONDS = 20
RELOAD_AT = 6  # seconds into the run
MARKER = b"<!-- the next release -->"
RELEASE_FOLDERS = ("assessments", "safermk", "templates", "static")


@dataclass(frozen=True)
class Answer:
    sent: float  # seconds into the run
    took: float
    status: int | str  # the HTTP status, or the name of the connection error
    etag: str = ""
    new_page: bool = False


def procfile_web_command(port: int) -> list[str]:
    """`web` of Procfile, on a port of our own."""
    line = next(ln for ln in (ROOT / "Procfile").read_text().splitlines() if ln.startswith("web:"))
    command = shlex.split(line.removeprefix("web:"))
    command[command.index("--bind") + 1] = f"127.0.0.1:{port}"
    command[command.index("--workers") + 1] = "3"
    return [str(Path(sys.executable).parent / command[0]), *command[1:]]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def deployed_copy(target: Path) -> Path:
    """The release as a server has it, so that the test changes a copy, not the repository."""
    for folder in RELEASE_FOLDERS:
        ignore = shutil.ignore_patterns("__pycache__", "node_modules")
        shutil.copytree(ROOT / folder, target / folder, ignore=ignore)
    shutil.copy(ROOT / "manage.py", target)
    return target


def ask(port: int, path: str, start: float) -> Answer:
    sent = time.monotonic()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read()
        return Answer(
            sent - start,
            time.monotonic() - sent,
            response.status,
            response.getheader("ETag", ""),
            MARKER in body,
        )
    except (OSError, http.client.HTTPException) as error:
        return Answer(sent - start, time.monotonic() - sent, type(error).__name__)
    finally:
        connection.close()


def test_a_graceful_reload_refuses_nothing_and_serves_the_new_release(demo, tmp_path):
    set_status(demo, "published")
    path = demo.chapters.get(slug="crime").get_absolute_url()
    release = deployed_copy(tmp_path / "release")
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": worker.test_database_url(),
        "SAFERMK_VAR_DIR": str(tmp_path / "var"),
        "SAFERMK_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "LOG_LEVEL": "WARNING",
    }
    env.pop("SAFERMK_RELEASE", None)  # the release is the digest of the files, read at start-up
    log = (tmp_path / "gunicorn.log").open("w")
    server = subprocess.Popen(
        procfile_web_command(port), cwd=release, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    try:
        first = wait_for(lambda: _serving(port, path), timeout=60, interval=0.5)
        assert first.status == 200 and first.etag and not first.new_page
        answers, reload_sent, ended = _readers_through_a_reload(server, port, path, release)
    finally:
        server.terminate()
        server.wait(timeout=60)
        log.close()
    logged = (tmp_path / "gunicorn.log").read_text()

    refused = [a for a in answers if a.status == "ConnectionRefusedError"]
    failed = [a for a in answers if not isinstance(a.status, int)]
    errors = [a for a in answers if isinstance(a.status, int) and a.status >= 500]
    after = [a for a in answers if a.sent > reload_sent]
    first_new = min(a.sent + a.took for a in answers if a.new_page)
    last_old = max((a.sent + a.took for a in after if not a.new_page), default=reload_sent)
    summary = (
        f"{len(answers)} answers, {len(refused)} refused, {len(failed)} connection errors, "
        f"{len(errors)} 5xx; HUP at {reload_sent:.1f} s, the first new page "
        f"{first_new - reload_sent:.1f} s after it, the last old page {last_old - reload_sent:.1f}"
        f" s after it; the slowest answer {max(a.took for a in answers):.2f} s, the slowest "
        f"before the reload {max(a.took for a in answers if a.sent < reload_sent):.2f} s"
    )
    sys.stderr.write(f"\n{summary}\n")
    assert not refused and not failed, summary
    assert not errors, summary
    assert {a.status for a in answers} == {200}, summary
    # With each process's own cache (no CACHE_URL) each worker dates the release itself, so
    # the workers' ETags differ; with Redis they agree. Either way none survives the reload.
    old_etags = {a.etag for a in answers if a.sent + a.took < reload_sent}
    assert first.etag in old_etags and not any(a.new_page for a in answers if a.etag in old_etags)
    # The new release: its page and a new ETag, from every client at the end.
    last = [a for a in answers if a.sent > ended - 3]
    assert last and all(a.new_page for a in last), summary
    assert not {a.etag for a in last} & old_etags, summary
    assert "handling signal: hup" in logged.lower()  # reloaded, not restarted


def _serving(port: int, path: str) -> Answer | None:
    answer = ask(port, path, time.monotonic())
    return answer if answer.status == 200 else None


def _readers_through_a_reload(server, port, path, release) -> tuple[list[Answer], float, float]:
    """CLIENTS readers, each asking again as soon as answered, for SECONDS or, on a loaded
    machine where the new workers take longer to start, until 3 s after the first new page
    (within a minute of the HUP); a template of the release changed and the server sent HUP at
    RELOAD_AT. Returns the answers, when HUP was sent and when the readers stopped."""
    answers: list[Answer] = []
    start = time.monotonic()
    stop = threading.Event()
    first_new: list[float] = []

    def reader():
        while not stop.is_set():
            answer = ask(port, path, start)
            answers.append(answer)
            if answer.new_page and not first_new:
                first_new.append(answer.sent + answer.took)

    readers = [threading.Thread(target=reader) for _ in range(CLIENTS)]
    for thread in readers:
        thread.start()
    time.sleep(RELOAD_AT)
    base = release / "templates" / "base.html"
    base.write_bytes(base.read_bytes().replace(b"</body>", MARKER + b"\n</body>"))
    reload_sent = time.monotonic() - start
    server.send_signal(signal.SIGHUP)
    time.sleep(SECONDS - RELOAD_AT)
    deadline = reload_sent + 60
    while time.monotonic() - start < deadline and (
        not first_new or time.monotonic() - start < first_new[0] + 3
    ):
        time.sleep(0.2)
    stop.set()
    for thread in readers:
        thread.join(timeout=90)
    return answers, reload_sent, time.monotonic() - start
