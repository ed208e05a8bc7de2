"""`make load`: the site under 50 concurrent users, on the production stack on 127.0.0.1.

gunicorn (TLS with a throw-away certificate, DJANGO_ENV=production) and a Celery worker on Redis,
against a fresh PostgreSQL database with the demo assessment in consultation. Locust runs for a
bounded time (LOAD_DURATION, default 2m); afterwards the comments that users were told had been
posted are counted against the rows, and the figures are printed as Markdown for
docs/benchmarks.md.

Environment: LOAD_DATABASE_URL (postgres://postgres@127.0.0.1:5432/safermk_load: dropped and
created again), LOAD_BROKER_URL (redis://127.0.0.1:6379/0), LOAD_CACHE_URL
(redis://127.0.0.1:6379/1), LOAD_USERS (50), LOAD_DURATION (2m),
LOAD_WEB_WORKERS (3, as Procfile), LOAD_READERS (0; `make load-publication-day` sets 200 readers
and 20 partners: the published report read by residents while partners work on next year's).
"""

from __future__ import annotations

import csv
import json
import os
import secrets
import socket
import ssl
import subprocess
import sys
import time
import urllib.request
from contextlib import ExitStack, contextmanager
from pathlib import Path

import dj_database_url
import psycopg

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "var" / "load"
DATABASE_URL = os.getenv("LOAD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/safermk_load")
BROKER_URL = os.getenv("LOAD_BROKER_URL", "redis://127.0.0.1:6379/0")
CACHE_URL = os.getenv("LOAD_CACHE_URL", "redis://127.0.0.1:6379/1")
USERS = int(os.getenv("LOAD_USERS", "50"))
DURATION = os.getenv("LOAD_DURATION", "2m")
WEB_WORKERS = os.getenv("LOAD_WEB_WORKERS", "3")
READERS = int(os.getenv("LOAD_READERS", "0"))
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


def self_signed_certificate() -> tuple[Path, Path]:
    key, cert = WORK / "key.pem", WORK / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    return key, cert


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


def wait_until_serving(url: str, timeout: float = 60) -> None:
    context = ssl._create_unverified_context()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, context=context, timeout=2)
            return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"{url} did not answer; see {WORK}/web.log")


def stored_comments(env, bodies: list[str]) -> tuple[int, int]:
    """How many of the confirmed comments are in the database, and how many rows load users
    wrote in all."""
    os.environ.update(env)
    import django

    django.setup()
    from assessments.consultation.models import Comment

    rows = set(
        Comment.objects.filter(author__username__startswith="load-partner-").values_list(
            "body", flat=True
        )
    )
    return sum(body in rows for body in bodies), len(rows)


def exports_summary() -> dict[str, int]:
    from django.db.models import Count

    from assessments.reporting.models import ReportExport

    return dict(ReportExport.objects.values_list("status").annotate(n=Count("pk")))


def wait_for_exports(timeout: float = 300) -> None:
    from assessments.reporting.models import ReportExport

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not ReportExport.objects.filter(status__in=["queued", "running"]).exists():
            return
        time.sleep(2)


def report(stats_file: Path, confirmed: int, stored: int, rows: int, exports: dict) -> str:
    with stats_file.open() as f:
        stats = list(csv.DictReader(f))
    lines = [
        "| request | count | failures | requests/s | p50 ms | p95 ms | max ms |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in stats:
        lines.append(
            f"| {row['Name'] if row['Name'] != 'Aggregated' else '**all**'} "
            f"| {row['Request Count']} | {row['Failure Count']} "
            f"| {float(row['Requests/s']):.1f} | {row['50%']} | {row['95%']} "
            f"| {float(row['Max Response Time']):.0f} |"
        )
    lines += [
        "",
        f"Comments confirmed to users: {confirmed}; found in the database: {stored} "
        f"(rows by load users: {rows}); lost: {confirmed - stored}.",
        f"Exports: {exports}.",
    ]
    return "\n".join(lines)


def main() -> None:
    WORK.mkdir(parents=True, exist_ok=True)
    env = production_environment()
    plan, result = WORK / "plan.json", WORK / "result.json"
    recreate_database()
    python = str(BIN / "python")
    run(env, python, "manage.py", "migrate", "--noinput", "-v0")
    run(env, python, "manage.py", "collectstatic", "--noinput", "-v0")
    run(env, python, "-m", "loadtest.seed", str(plan), str(USERS), str(READERS))
    key, cert = self_signed_certificate()
    port = free_port()
    host = f"https://127.0.0.1:{port}"
    with ExitStack() as stack:
        stack.enter_context(process(
            env, "web", str(BIN / "gunicorn"), "safermk.wsgi", "--bind", f"127.0.0.1:{port}",
            "--workers", WEB_WORKERS, "--keyfile", str(key), "--certfile", str(cert),
        ))  # fmt: skip
        stack.enter_context(process(
            env, "worker", str(BIN / "celery"), "-A", "safermk", "worker", "--queues",
            "default,pdf", "--concurrency", "1", "--loglevel", "WARNING",
        ))  # fmt: skip
        wait_until_serving(host + "/")
        locust_env = {**env, "LOAD_PLAN": str(plan), "LOAD_RESULT": str(result)}
        subprocess.run(
            [str(BIN / "locust"), "-f", "loadtest/locustfile.py", "--headless",
             "--users", str(USERS + READERS), "--spawn-rate", "10", "--run-time", DURATION,
             "--host", host, "--csv", str(WORK / "locust"), "--only-summary",
             "--stop-timeout", "30", "--exit-code-on-error", "0"],
            cwd=ROOT, env=locust_env, check=True, timeout=3600,
        )  # fmt: skip
        load = " ".join(f"{n:.2f}" for n in os.getloadavg())
        confirmed = json.loads(result.read_text())["comments"]
        stored, rows = stored_comments(env, confirmed)
        wait_for_exports()
        exports = exports_summary()
    server_errors = (WORK / "web.log").read_text().count("Internal Server Error")
    text = report(WORK / "locust_stats.csv", len(confirmed), stored, rows, exports)
    text += f"\nServer errors (500) logged by the web processes: {server_errors}.\n"
    text += f"Load average as the users stopped (1, 5, 15 min): {load}.\n"
    (WORK / "report.md").write_text(text)
    sys.stdout.write(text)
    if stored != len(confirmed):
        sys.exit("Some comments users were told were posted are not in the database")


if __name__ == "__main__":
    main()
