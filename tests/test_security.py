"""Login throttling and the security headers of site, admin, health and download responses."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from assessments.reporting.models import ReportExport

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def attempt(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password})


def test_five_failed_sign_ins_lock_the_account_with_a_clear_message(client, police_partner):
    for _ in range(5):
        response = attempt(client, "police", "wrong password")
    response = attempt(client, "police", "safermk-demo")  # right password, still locked
    assert response.status_code == 429
    body = response.content.decode()
    assert "Sign-in locked for 30 minutes" in body
    assert "ask your partnership's analyst to unlock" in body
    assert "_auth_user_id" not in client.session


def test_fewer_failures_do_not_lock(client, police_partner):
    for _ in range(4):
        attempt(client, "police", "wrong password")
    response = attempt(client, "police", "safermk-demo")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(police_partner.pk)


def test_the_analyst_unlocks_a_locked_partner(client, analyst, police_partner):
    from django.test import Client

    for _ in range(5):
        attempt(client, "police", "wrong password")
    assert attempt(client, "police", "safermk-demo").status_code == 429

    admin = Client()
    admin.force_login(analyst)
    response = admin.post(
        reverse("admin:assessments_user_changelist"),
        {"action": "unlock_sign_in", "_selected_action": [police_partner.pk]},
        follow=True,
    )
    assert "Sign-in unlocked for 1 people" in response.content.decode()
    assert attempt(client, "police", "safermk-demo").status_code == 302


@pytest.fixture
def production_headers(settings):
    settings.SECURE_HSTS_SECONDS = 31_536_000  # as in production, where requests are HTTPS


@pytest.mark.parametrize("url", ["/", "/admin/login/", "/healthz", LOGIN])
def test_security_headers_on_every_kind_of_response(client, url, production_headers):
    assert_security_headers(client.get(url, secure=True))


def test_security_headers_on_a_pdf_download(analyst_client, assessment, production_headers):
    export = ReportExport.objects.create(
        assessment=assessment, status=ReportExport.Status.DONE, content_hash="x"
    )
    export.file.save("report.pdf", ContentFile(b"%PDF-1.7 the report"))
    url = export.get_download_url()
    response = analyst_client.get(url, secure=True)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.7 the report"
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert_security_headers(response)


def assert_security_headers(response) -> None:
    csp = response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp  # plus the request's nonce where a page uses one
    assert "unsafe-inline" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


def test_pages_have_no_inline_scripts_so_a_cached_page_needs_no_nonce(client, analyst_client):
    # A public page served from the cache would carry an old request's nonce, which the
    # browser would refuse: every script is a file of our own origin instead.
    for response in (client.get("/"), analyst_client.get("/")):
        html = response.content.decode()
        assert html.count("<script") == html.count("<script src=") + html.count(
            '<script type="module" src='
        )
        assert "nonce" not in html
        assert "'nonce-" not in response["Content-Security-Policy"]
