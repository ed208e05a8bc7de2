"""Rate limits where people can be annoyed or the machine loaded: password-reset emails per
address and per client, PDF requests per person. Over the limit: the site's 429 page, and no
email sent or render queued."""

import pytest
from django.urls import reverse

from assessments.reporting.models import ReportExport

from .factories import ChapterFactory

pytestmark = pytest.mark.django_db

RESET = "/accounts/password-reset/"


@pytest.fixture
def low_limits(settings):
    settings.PASSWORD_RESET_RATE_PER_ADDRESS = "3/h"
    settings.PASSWORD_RESET_RATE_PER_IP = "5/h"
    settings.PDF_EXPORT_RATE_PER_USER = "2/h"


def _reset(client, email, address="203.0.113.5"):
    return client.post(RESET, {"email": email}, REMOTE_ADDR=address)


def _refused_in_the_sites_words(response):
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many requests" in page and "Wait an hour and try again" in page
    assert 'class="govuk-template' in page  # the site's own layout, not a bare error


def test_password_resets_are_limited_per_address(client, police_partner, mailoutbox, low_limits):
    for _ in range(3):
        assert _reset(client, "police@example.org").status_code == 302
    # The same inbox, however the address is typed and from wherever.
    _refused_in_the_sites_words(_reset(client, " POLICE@example.org", address="192.0.2.9"))
    assert len(mailoutbox) == 3
    assert _reset(client, "someone.else@example.org").status_code == 302


# Finding 7 of issue 29: Django finds the person to email by a case-insensitive lookup and then
# compares addresses folded for case and compatibility (NFKC, casefold), so "ſam" (a long s)
# reaches sam. The limit counts every spelling that reaches one inbox in one allowance.
@pytest.fixture
def sam(police_partner):
    police_partner.email = "sam.okafor@example.org"
    police_partner.save()
    return police_partner


@pytest.mark.parametrize(
    "spelling",
    ["\u017fam.okafor@example.org", "\uff33AM.OKAFOR@example.org"],
    ids=["long s", "fullwidth S"],
)
def test_every_spelling_that_reaches_an_inbox_shares_its_allowance(
    client, sam, low_limits, spelling
):
    for _ in range(3):
        assert _reset(client, "sam.okafor@example.org").status_code == 302
    _refused_in_the_sites_words(_reset(client, spelling, address="192.0.2.9"))


@pytest.mark.postgres
def test_on_postgresql_a_person_gets_no_more_resets_by_other_spellings(
    client, sam, mailoutbox, low_limits
):
    for spelling in ["sam.okafor@example.org", "\u017fam.okafor@example.org"] * 3:
        _reset(client, spelling, address="192.0.2.9")
    assert len(mailoutbox) == 3


def test_password_resets_are_limited_per_client(client, low_limits):
    for number in range(5):
        assert _reset(client, f"person{number}@example.org").status_code == 302
    _refused_in_the_sites_words(_reset(client, "person9@example.org"))
    assert _reset(client, "person9@example.org", address="192.0.2.9").status_code == 302


def test_pdf_requests_are_limited_per_person(analyst_client, assessment, low_limits):
    chapter = ChapterFactory(assessment=assessment)
    url = reverse("export_request", args=[assessment.partnership.slug, assessment.year])
    preview = reverse(
        "chapter_pdf_preview",
        args=[assessment.partnership.slug, assessment.year, chapter.slug],
    )
    assert analyst_client.post(url, {"variant": "public"}).status_code == 302
    assert analyst_client.post(preview).status_code == 302
    # The report and the chapter preview share one allowance.
    _refused_in_the_sites_words(analyst_client.post(url, {"variant": "public"}))
    _refused_in_the_sites_words(analyst_client.post(preview))
    assert ReportExport.objects.count() == 2
