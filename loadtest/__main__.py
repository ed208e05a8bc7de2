"""`make load`: the site under 50 concurrent users, on the production stack on 127.0.0.1.

gunicorn (DJANGO_ENV=production) behind nginx terminating TLS with a throw-away certificate
(loadtest/stack.py, loadtest/proxy.py), and a Celery worker on Redis, against a fresh PostgreSQL
database with the demo assessment in consultation. Locust runs for a bounded time
(LOAD_DURATION, default 2m); afterwards the comments that users were told had been posted are
counted against the rows, and the figures are printed as Markdown for docs/benchmarks.md, with
the load average as the users started and stopped and nginx's timings (in all, and inside
gunicorn).

Environment: as loadtest/stack.py, plus LOAD_USERS (50), LOAD_DURATION (2m), LOAD_READERS (0;
`make load-publication-day` sets 200 readers and 20 partners: the published report read by
residents while partners work on next year's), LOAD_LOCUST_PROCESSES (unset: one process).
"""

from __future__ import annotations

import csv
import json
import os
import resource
import subprocess
import sys
import time
from contextlib import ExitStack
from pathlib import Path

from loadtest.proxy import proxy_timings, tls_proxy
from loadtest.stack import (
    BIN,
    ROOT,
    WORK,
    fresh_database,
    process,
    production_environment,
    run,
    wait_until_serving,
    web_server,
)

USERS = int(os.getenv("LOAD_USERS", "50"))
DURATION = os.getenv("LOAD_DURATION", "2m")
READERS = int(os.getenv("LOAD_READERS", "0"))


def load_average() -> str:
    return " ".join(f"{n:.2f}" for n in os.getloadavg())


def children_cpu() -> float:
    """CPU seconds of the child processes that have ended."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


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


def report(
    stats_file: Path, together: dict, confirmed: int, stored: int, rows: int, exports: dict
) -> str:
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
    for name, key in [("all their requests", "signed_in"), ("once signed in", "working")]:
        group = together[key]
        lines.append(
            f"| *signed-in users, {name}* | {group['count']} | {group['failures']} | "
            f"| {group['p50']:.0f} | {group['p95']:.0f} | |"
        )
    lines += [
        "",
        f"Comments confirmed to users: {confirmed}; found in the database: {stored} "
        f"(rows by load users: {rows}); lost: {confirmed - stored}.",
        f"Exports: {exports}.",
    ]
    return "\n".join(lines)


def main() -> None:
    env = production_environment()
    plan, result = WORK / "plan.json", WORK / "result.json"
    fresh_database(env)
    run(env, str(BIN / "python"), "-m", "loadtest.seed", str(plan), str(USERS), str(READERS))
    with ExitStack() as stack:
        upstream = stack.enter_context(web_server(env))
        host = stack.enter_context(tls_proxy(upstream))
        stack.enter_context(process(
            env, "worker", str(BIN / "celery"), "-A", "safermk", "worker", "--queues",
            "default,pdf", "--concurrency", "1", "--loglevel", "WARNING",
        ))  # fmt: skip
        wait_until_serving(host + "/")
        load_before = load_average()
        started, before = time.monotonic(), children_cpu()
        locust_env = {**env, "LOAD_PLAN": str(plan), "LOAD_RESULT": str(result)}
        subprocess.run(
            [str(BIN / "locust"), "-f", "loadtest/locustfile.py", "--headless",
             "--users", str(USERS + READERS), "--spawn-rate", "10", "--run-time", DURATION,
             "--host", host, "--csv", str(WORK / "locust"), "--only-summary",
             "--stop-timeout", "30", "--exit-code-on-error", "0"],
            cwd=ROOT, env=locust_env, check=True, timeout=3600,
        )  # fmt: skip
        load_after = load_average()
        # Whether the load generator itself needed a whole core (then it is what is measured).
        locust_share = (children_cpu() - before) / (time.monotonic() - started)
        outcome = json.loads(result.read_text())
        confirmed = outcome["comments"]
        stored, rows = stored_comments(env, confirmed)
        wait_for_exports()
        exports = exports_summary()
    server_errors = (WORK / "web.log").read_text().count("Internal Server Error")
    stats = WORK / "locust_stats.csv"
    text = report(stats, outcome, len(confirmed), stored, rows, exports)
    text += f"\nServer errors (500) logged by the web processes: {server_errors}.\n"
    text += f"Load average (1, 5, 15 min) as the users started: {load_before}; "
    text += f"as they stopped: {load_after}. Locust used {locust_share:.0%} of a core.\n\n"
    text += proxy_timings(json.loads(plan.read_text())["public_pages"])
    (WORK / "report.md").write_text(text)
    sys.stdout.write(text)
    if stored != len(confirmed):
        sys.exit("Some comments users were told were posted are not in the database")


if __name__ == "__main__":
    main()
