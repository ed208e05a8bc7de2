"""`make bench-web`: requests per second against gunicorn as in Procfile (3 workers, DJANGO_DEBUG
=False, PostgreSQL, Redis as broker and cache, configured as behind a TLS proxy: ab sends the
proxy's X-Forwarded-Proto itself, so that the figures are gunicorn's, without nginx), measured
with ApacheBench (`ab`, Debian's apache2-utils) for the same time each, one after another:

- a static file served by the same processes (WhiteNoise): the ceiling;
- the published chapter page for an anonymous reader (from the cache);
- the same page asked again with its ETag (a 304 with no body);
- the chapter page for a signed-in partner (built for them).

Targets (issue 18): the anonymous page at least 10 times the signed-in one, and within 2 times
of the static file. Prints Markdown for docs/benchmarks.md. Environment as `make load`
(loadtest/stack.py), plus WEB_BENCH_SECONDS (10) and WEB_BENCH_CONCURRENCY (10).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import urllib.error
import urllib.request

from loadtest.stack import (
    WEB_WORKERS,
    fresh_database,
    production_environment,
    wait_until_serving,
    web_server,
)

SECONDS = os.getenv("WEB_BENCH_SECONDS", "10")
CONCURRENCY = os.getenv("WEB_BENCH_CONCURRENCY", "10")
PROXY = {"X-Forwarded-Proto": "https"}
STATIC = "/static/assessments/session.js"


def prepare(env: dict) -> tuple[str, str]:
    """The demo assessment published, in the database the server reads: the URL of its
    Violence chapter, and a session cookie for the police partner."""
    os.environ.update(env)
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    from assessments.core.models import User
    from assessments.demo.editions import demo_publish
    from assessments.demo.load import demo_load

    assessment = demo_publish(demo_load())
    client = Client()
    client.force_login(User.objects.get(username="police"))
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    return assessment.get_absolute_url() + "violence/", f"{settings.SESSION_COOKIE_NAME}={session}"


def ab(url: str, *headers: str) -> tuple[float, int]:
    """Requests per second and the number of answers that were not 200."""
    command = [
        "ab", "-q", "-t", SECONDS, "-n", "10000000", "-c", CONCURRENCY,
        *(arg for header in headers for arg in ("-H", header)), url,
    ]  # fmt: skip
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests per second:\s+([\d.]+)", out).group(1))
    other = re.search(r"Non-2xx responses:\s+(\d+)", out)
    return rate, int(other.group(1)) if other else 0


def etag_of(url: str) -> str:
    request = urllib.request.Request(url, headers=PROXY)
    with urllib.request.urlopen(request) as response:
        return response.headers["ETag"]


def status_with(url: str, etag: str) -> int:
    request = urllib.request.Request(url, headers=PROXY | {"If-None-Match": etag})
    try:
        with urllib.request.urlopen(request) as response:
            return response.status
    except urllib.error.HTTPError as answer:  # urllib raises on 304
        return answer.code


def main() -> None:
    env = production_environment()
    fresh_database(env)
    chapter, cookie = prepare(env)
    proxy = "X-Forwarded-Proto: https"
    with web_server(env, "web-bench") as port:
        host = f"http://127.0.0.1:{port}"
        wait_until_serving(urllib.request.Request(host + STATIC, headers=PROXY))
        etag = etag_of(host + chapter)
        rows = [
            ("static file (WhiteNoise)", *ab(host + STATIC, proxy)),
            ("published chapter, anonymous", *ab(host + chapter, proxy)),
            ("published chapter, anonymous, If-None-Match", *ab(host + chapter, proxy,
                                                                f"If-None-Match: {etag}")),
            ("chapter, signed-in partner", *ab(host + chapter, proxy, f"Cookie: {cookie}")),
        ]  # fmt: skip
        conditional = status_with(host + chapter, etag)
    static, anonymous, _, signed_in = (rate for _, rate, _ in rows)
    lines = [
        f"gunicorn, {WEB_WORKERS} workers; ab, {CONCURRENCY} concurrent, {SECONDS} s each; "
        f"load average after: {' '.join(f'{n:.2f}' for n in os.getloadavg())}",
        "",
        "| request | requests/s | answers not 200 |",
        "|---|---:|---:|",
        *(f"| {name} | {rate:.0f} | {other} |" for name, rate, other in rows),
        "",
        f"Anonymous ÷ signed-in: {anonymous / signed_in:.1f}× (target ≥ 10×); static ÷ "
        f"anonymous: {static / anonymous:.1f}× (target ≤ 2×); a conditional request answered "
        f"{conditional}.",
    ]
    sys.stdout.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
