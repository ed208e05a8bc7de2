"""The production settings pass Django's deployment checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DJANGO_ENV": "production",
    "DJANGO_SECRET_KEY": "a-production-secret-that-is-long-and-random-0123456789-abcdefghij",
    "DJANGO_ALLOWED_HOSTS": "safety.example.org",
}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # The browser tests' async escape hatch is a test-only setting; production never has it.
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**inherited, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.slow(reason="Django's deployment checks in a fresh process with production settings")
def test_check_deploy_is_clean_with_the_documented_production_environment():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.slow(reason="collects and hashes every static file, the admin's included: 5-9 s")
def test_collectstatic_works_with_the_production_settings(tmp_path):
    """The manifest storage refuses a stylesheet that names a missing file."""
    result = manage("collectstatic", "--noinput", **PRODUCTION_ENV, SAFERMK_VAR_DIR=str(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    manifest = (tmp_path / "staticfiles" / "staticfiles.json").read_text()
    assert "dist/site.css" in manifest


def test_production_refuses_to_start_with_the_development_secret():
    env = {**PRODUCTION_ENV}
    del env["DJANGO_SECRET_KEY"]
    result = manage("check", **env, DJANGO_SECRET_KEY="django-insecure-safermk-development-only")
    assert result.returncode != 0
    assert "Set DJANGO_SECRET_KEY" in result.stderr


def test_a_server_error_shows_the_sites_own_page_without_a_stack_trace(client, settings):
    from django.test import Client
    from django.urls import include, path

    def broken(request):
        raise RuntimeError("secret internals")

    urls = type(
        "urls", (), {"urlpatterns": [path("boom/", broken), path("", include("safermk.urls"))]}
    )
    settings.ROOT_URLCONF = urls
    settings.DEBUG = False
    response = Client(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "Sorry, there is a problem with the service" in body
    assert "secret internals" not in body and "Traceback" not in body


def test_the_privacy_notice_is_public(client, db):
    response = client.get("/privacy/")
    assert response.status_code == 200
    assert "Privacy notice" in response.content.decode()


# Issue 29, finding 9: behind a proxy, every client reaches Django from the proxy's address; the
# sign-in lockout must be told to read the client's own, or one locked-out person locks out all.

EXAMPLE = ROOT / "docs" / "production.env.example"


def _example_environment() -> dict:
    pairs = (line.split("=", 1) for line in EXAMPLE.read_text().splitlines() if "=" in line)
    env = {name: value for name, value in pairs if not name.startswith("#")}
    return env | {"DJANGO_SECRET_KEY": PRODUCTION_ENV["DJANGO_SECRET_KEY"]}


@pytest.mark.slow(reason="Django's deployment checks in a fresh process with production settings")
def test_the_production_example_behind_its_proxy_passes_the_deployment_checks():
    env = _example_environment()
    assert env["DJANGO_BEHIND_TLS_PROXY"] == "True" and env["AXES_PROXY_COUNT"] == "1"
    result = manage("check", "--deploy", "--fail-level", "WARNING", **env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_behind_a_proxy_refuses_to_start_without_the_proxy_count():
    env = _example_environment() | {"AXES_PROXY_COUNT": "0"}
    result = manage("check", **env)
    assert result.returncode != 0
    assert "AXES_PROXY_COUNT" in result.stderr
