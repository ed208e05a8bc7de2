"""A broker of a test's own: a private redis-server to stop and start, and pointing this
process's Celery app at it (or at nothing) and back."""

from __future__ import annotations

import os
import socket
import subprocess
from contextlib import contextmanager

from safermk.celery import app as celery_app

from .worker import wait_for


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PrivateRedis:
    """A redis-server of this test's own, to stop and start (never the machine's shared one)."""

    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        wait_for(self._answers, timeout=10, interval=0.05)

    def _answers(self) -> bool:
        try:
            socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
        except OSError:
            return False
        return True

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)

    def crash(self) -> None:
        """Killed at once, as by the kernel's out-of-memory killer: with no saved data here,
        it starts again empty, having lost every message it held."""
        self.process.kill()
        self.process.wait(timeout=10)


def use_broker(url: str, environment: str | None) -> None:
    """Point this process's Celery app at another broker and drop its pooled connections.
    Celery prefers the CELERY_BROKER_URL environment variable to its configuration."""
    if environment is None:
        os.environ.pop("CELERY_BROKER_URL", None)
    else:
        os.environ["CELERY_BROKER_URL"] = environment
    celery_app.conf.broker_url = url
    celery_app._after_fork()  # forgets the connection and producer pools, as after a fork


@contextmanager
def private_broker(settings):
    broker = PrivateRedis()
    broker.start()
    previous = celery_app.conf.broker_url, os.environ.get("CELERY_BROKER_URL")
    settings.CELERY_BROKER_URL = broker.url  # for the worker process
    use_broker(broker.url, broker.url)
    try:
        yield broker
    finally:
        use_broker(*previous)
        if broker.process.poll() is None:
            broker.stop()
