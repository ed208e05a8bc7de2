"""Production email is configured from the environment: the SMTP relay's address, port,
credentials and TLS, and the senders, reach Django's settings."""

import subprocess
import sys

import pytest

from .test_production import ROOT

SMTP_ENV = {
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "EMAIL_HOST": "smtp.relay.example.org",
    "EMAIL_PORT": "587",
    "EMAIL_HOST_USER": "safermk",
    "EMAIL_HOST_PASSWORD": "relay-secret",
    "EMAIL_USE_TLS": "True",
    "DEFAULT_FROM_EMAIL": "assessment@safermk.example.org",
    "SERVER_EMAIL": "errors@safermk.example.org",
}

PRINT_SETTINGS = (
    "import django; django.setup(); from django.conf import settings; "
    "from django.core.mail import get_connection; c = get_connection(); "
    "print(repr((type(c).__name__, c.host, c.port, c.username, c.password, c.use_tls, "
    "settings.DEFAULT_FROM_EMAIL, settings.SERVER_EMAIL)))"
)


@pytest.mark.slow(reason="reads the settings in a fresh Django process")
def test_smtp_settings_from_the_environment_reach_django(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS],
        cwd=ROOT,
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "safermk.settings",
            "SAFERMK_VAR_DIR": str(tmp_path),
            **SMTP_ENV,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == repr(
        (
            "EmailBackend",
            "smtp.relay.example.org",
            587,
            "safermk",
            "relay-secret",
            True,
            "assessment@safermk.example.org",
            "errors@safermk.example.org",
        )
    )
