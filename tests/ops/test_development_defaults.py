"""With no environment set, the demo runs as users see it: debug off, yet no production
hardening that would break http://127.0.0.1; one variable (DJANGO_ENV=production) turns that on."""

import json
import os
import subprocess
import sys
from pathlib import Path
from subprocess import PIPE

import pytest

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json, django
from django.conf import settings
django.setup()
from django.test import Client
client = Client(raise_request_exception=False)
missing = client.get("/no-such-page/")
static = client.get("/static/dist/site.css")
print(json.dumps({
    "debug": settings.DEBUG,
    "ssl_redirect": getattr(settings, "SECURE_SSL_REDIRECT", False),
    "secure_cookies": getattr(settings, "SESSION_COOKIE_SECURE", False),
    "two_factor": settings.TWO_FACTOR_REQUIRED,
    "not_found_status": missing.status_code,
    "not_found_is_ours": b"Page not found" in missing.content
        and b"URLconf" not in missing.content,
    "static_status": static.status_code,
}))
"""


PRODUCTION = {
    "DJANGO_ENV": "production",
    "DJANGO_SECRET_KEY": "a-production-secret-that-is-long-and-random-0123456789-abcdefghij",
}
# The environments the tests ask about, by name.
ENVIRONMENTS = {"none": {}, "debug": {"DJANGO_DEBUG": "True"}, "production": PRODUCTION}


def _started(env: dict, var: str) -> subprocess.Popen:
    # Nothing of the caller's configuration: what a newcomer's shell gives.
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "TWO_FACTOR", "CELERY_", "CACHE_", "DATABASE_"))
    }
    clean.update(DJANGO_SETTINGS_MODULE="safermk.settings", SAFERMK_VAR_DIR=var, **env)
    command = [sys.executable, "-c", PROBE]
    return subprocess.Popen(command, cwd=ROOT, env=clean, stdout=PIPE, stderr=PIPE, text=True)


@pytest.fixture(scope="module")
def seen(tmp_path_factory) -> dict[str, dict]:
    """What a process started in each environment sees: one process per environment, started
    side by side (each takes a second or two), for all the tests to read."""
    started = {
        name: _started(env, str(tmp_path_factory.mktemp(f"var-{name}")))
        for name, env in ENVIRONMENTS.items()
    }
    printed = {}
    for name, process in started.items():
        stdout, stderr = process.communicate(timeout=120)
        assert process.returncode == 0, stderr
        printed[name] = json.loads(stdout.strip().splitlines()[-1])
    return printed


def test_with_no_environment_debug_is_off_and_nothing_needs_https(seen):
    seen = seen["none"]
    assert seen["debug"] is False
    assert seen["ssl_redirect"] is False and seen["secure_cookies"] is False
    assert seen["two_factor"] is False


def test_with_no_environment_a_missing_page_is_the_sites_own_404(seen):
    seen = seen["none"]
    assert seen["not_found_status"] == 404 and seen["not_found_is_ours"]


def test_with_no_environment_static_files_are_served_without_collectstatic(seen):
    assert seen["none"]["static_status"] == 200


def test_django_debug_true_gives_djangos_debug_pages(seen):
    seen = seen["debug"]
    assert seen["debug"] is True and not seen["not_found_is_ours"]


def test_django_env_production_switches_the_hardening_on(seen):
    seen = seen["production"]
    assert seen["debug"] is False
    assert seen["ssl_redirect"] is True and seen["secure_cookies"] is True
    assert seen["two_factor"] is True
