"""The TLS-terminating proxy of the load tests, as in production (docs/operations.md): nginx with
the throw-away certificate, keeping clients' connections alive and passing each request over
plain HTTP to gunicorn with X-Forwarded-Proto and X-Forwarded-For (the app runs with
DJANGO_BEHIND_TLS_PROXY=True and AXES_PROXY_COUNT=1).

nginx runs as a child process of the load test with its own configuration, pid, logs and
buffers under var/load: no system service, root or not. It does not cache: the app answers every
request, so the figures are the app's. Its access log records, for each request, the time nginx
took in all and the time gunicorn took (`$request_time`, `$upstream_response_time`), which tell
the queue in front of the app from the app's own work.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
from contextlib import contextmanager
from pathlib import Path

from loadtest.stack import WORK, free_port, process

# One worker: with connections kept alive, TLS costs a handshake per client, not per request,
# and a second worker would only take a core from the app on this 2-core machine.
CONFIG = """\
daemon off;
worker_processes 1;
{user}pid {work}/nginx.pid;
error_log {work}/nginx-error.log warn;
events {{ worker_connections 4096; }}
http {{
    log_format timed '$msec "$request" $status $body_bytes_sent '
                     '$request_time $upstream_response_time $connection $connection_requests';
    access_log {work}/nginx-access.log timed buffer=64k;
    client_body_temp_path {work}/nginx-temp/body;
    proxy_temp_path {work}/nginx-temp/proxy;
    fastcgi_temp_path {work}/nginx-temp/fastcgi;
    uwsgi_temp_path {work}/nginx-temp/uwsgi;
    scgi_temp_path {work}/nginx-temp/scgi;
    keepalive_timeout 75s;
    keepalive_requests 100000;
    server {{
        listen 127.0.0.1:{port} ssl;
        ssl_certificate {cert};
        ssl_certificate_key {key};
        ssl_session_cache shared:TLS:1m;
        location / {{
            proxy_pass http://127.0.0.1:{upstream};
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        }}
    }}
}}
"""


def self_signed_certificate() -> tuple[Path, Path]:
    key, cert = WORK / "key.pem", WORK / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    return key, cert


def nginx_binary() -> str:
    # Debian installs it in /usr/sbin, which is not on an unprivileged user's PATH.
    found = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin")
    if not found:
        raise RuntimeError("nginx is not installed (Debian: apt-get install nginx)")
    return found


@contextmanager
def tls_proxy(upstream: int):
    """nginx on a free port of 127.0.0.1 in front of gunicorn on `upstream`; yields the
    https:// address clients use."""
    key, cert = self_signed_certificate()
    port = free_port()
    (WORK / "nginx-temp").mkdir(exist_ok=True)
    # As root, nginx would hand its workers to `nobody`, who cannot write under var/load.
    user = f"user {pwd.getpwuid(0).pw_name};\n" if os.geteuid() == 0 else ""
    config = WORK / "nginx.conf"
    config.write_text(CONFIG.format(
        user=user, work=WORK, port=port, upstream=upstream, key=key, cert=cert,
    ))  # fmt: skip
    (WORK / "nginx-access.log").unlink(missing_ok=True)
    command = [nginx_binary(), "-p", str(WORK), "-c", str(config),
               "-e", str(WORK / "nginx-error.log")]  # fmt: skip
    with process(os.environ, "nginx", *command):
        yield f"https://127.0.0.1:{port}"


def proxy_timings(public_pages: list[str]) -> str:
    """Markdown: for the public pages and for the rest, the p50 and p95 of the time nginx took
    in all and of the time gunicorn took, from nginx's access log."""
    public = set(public_pages)
    times: dict[str, tuple[list[float], list[float]]] = {}
    for line in (WORK / "nginx-access.log").read_text().splitlines():
        _, request, rest = line.split('"')
        path = request.split()[1].split("?")[0]
        total, upstream = rest.split()[2:4]
        group = times.setdefault("public pages" if path in public else "signed-in users", ([], []))
        group[0].append(float(total) * 1000)
        group[1].append(float(upstream.split(",")[-1]) * 1000 if upstream != "-" else 0.0)
    lines = [
        "| at nginx, ms | requests | p50 | p95 | p50 in gunicorn | p95 in gunicorn |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, (total, upstream) in sorted(times.items()):
        lines.append(
            f"| {name} | {len(total)} | {_percentile(total, 50):.0f} "
            f"| {_percentile(total, 95):.0f} | {_percentile(upstream, 50):.0f} "
            f"| {_percentile(upstream, 95):.0f} |"
        )
    return "\n".join(lines) + "\n"


def _percentile(values: list[float], percent: int) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, len(ordered) * percent // 100)] if ordered else 0.0
