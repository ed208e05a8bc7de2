"""The production stack of the load tests on 127.0.0.1, shared by `make load` and
`make bench-web`: a fresh PostgreSQL database, Redis as broker and cache, and gunicorn as in
`Procfile` (sync workers on plain HTTP, DJANGO_ENV=production) behind a TLS-terminating proxy of
our own, as docs/operations.md asks: DJANGO_BEHIND_TLS_PROXY=True and AXES_PROXY_COUNT=1.

Environment: LOAD_DATABASE_URL (postgres://postgres@127.0.0.1:5432/safermk_load: dropped and
created again), LOAD_BROKER_URL (redis://127.0.0.1:6379/0), LOAD_CACHE_URL
(redis://127.0.0.1:6379/1), LOAD_WEB_WORKERS (3, as Procfile).
"""

from __future__ import annotations

import os
import secrets
import socket
import ssl
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import dj_database_url
import psycopg

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "var" / "load"
DATABASE_URL = os.getenv("LOAD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/safermk_load")
BROKER_URL = os.getenv("LOAD_BROKER_URL", "redis://127.0.0.1:6379/0")
CACHE_URL = os.getenv("LOAD_CACHE_URL", "redis://127.0.0.1:6379/1")
WEB_WORKERS = os.getenv("LOAD_WEB_WORKERS", "3")
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_environment() -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "safermk.settings",
        "DJANGO_ENV": "production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_BEHIND_TLS_PROXY": "True",
        "AXES_PROXY_COUNT": "1",
        "DATABASE_URL": DATABASE_URL,
        "DATABASE_CONN_MAX_AGE": "60",
        "CELERY_BROKER_URL": BROKER_URL,
        "CACHE_URL": CACHE_URL,  # shared by the web processes, as in production
        "SAFERMK_VAR_DIR": str(WORK),
        "TWO_FACTOR_REQUIRED": "False",  # locust cannot read an authenticator app
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "LOG_LEVEL": "WARNING",
    }


def recreate_database() -> None:
    db = dj_database_url.parse(DATABASE_URL)
    with psycopg.connect(
        host=db["HOST"], port=db["PORT"] or 5432, user=db["USER"], password=db["PASSWORD"] or None,
        dbname="postgres", autocommit=True,
    ) as connection:  # fmt: skip
        connection.execute(f'DROP DATABASE IF EXISTS "{db["NAME"]}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{db["NAME"]}"')


def run(env, *command: str) -> None:
    subprocess.run(command, cwd=ROOT, env=env, check=True)


def fresh_database(env) -> None:
    """An empty database, migrated, and the static files collected for WhiteNoise."""
    WORK.mkdir(parents=True, exist_ok=True)
    recreate_database()
    python = str(BIN / "python")
    run(env, python, "manage.py", "migrate", "--noinput", "-v0")
    run(env, python, "manage.py", "collectstatic", "--noinput", "-v0")


@contextmanager
def process(env, name: str, *command: str):
    log = (WORK / f"{name}.log").open("w")
    child = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        yield child
    finally:
        child.terminate()
        try:
            child.wait(timeout=30)
        except subprocess.TimeoutExpired:
            child.kill()
        log.close()


@contextmanager
def web_server(env, name: str = "web"):
    """gunicorn as in `Procfile` on a free port of 127.0.0.1; yields the port."""
    port = free_port()
    with process(
        env, name, str(BIN / "gunicorn"), "safermk.wsgi", "--bind", f"127.0.0.1:{port}",
        "--workers", WEB_WORKERS,
    ):  # fmt: skip
        yield port


def wait_until_serving(url: str | urllib.request.Request, timeout: float = 60) -> None:
    context = ssl._create_unverified_context()  # the throw-away certificate
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, context=context, timeout=2)
            return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"{getattr(url, 'full_url', url)} did not answer; see the logs in {WORK}")
