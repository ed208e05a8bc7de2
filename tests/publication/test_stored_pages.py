"""Pages stored for everyone are built from nothing personal (issue 29, finding 1).

A published page is stored once and served to every reader. A reader who is not signed in may
still carry a message meant for them (any action leaves one in the `messages` cookie; signing out
or a session that ran out keeps it) or a session cookie: such a request is answered with a page
of its own, never from the store and never stored, and the stored page is built from a request
without cookies. Other cookies (the CSRF token, anything a browser adds) do not stop a reader
getting the stored page."""

import pytest
from django.conf import settings
from django.contrib.messages import constants
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpResponse
from django.test import Client, RequestFactory

from assessments.consultation.services import workflow
from assessments.core.models import Assessment

from ..factories import AssessmentFactory, ChapterFactory, refreeze

pytestmark = pytest.mark.django_db

NOTICE = "NOTICE: this report was withdrawn, call 0800 000 000"


@pytest.fixture
def published(partnership):
    assessment = AssessmentFactory(partnership=partnership, status=Assessment.Status.PUBLISHED)
    ChapterFactory(assessment=assessment, slug="crime", title="Crime", narrative="Burglary fell.")
    return refreeze(assessment)


def _url(assessment, *parts) -> str:
    return "/".join(
        ["", "assessments", assessment.partnership.slug, str(assessment.year), *parts, ""]
    )


def _message_cookie(text: str) -> str:
    """The `messages` cookie the site leaves after an action, holding one message."""
    storage = CookieStorage(RequestFactory().get("/"))
    storage.add(constants.SUCCESS, text)
    response = HttpResponse()
    storage.update(response)
    return response.cookies[storage.cookie_name].value


def _carrying_a_message() -> Client:
    reader = Client()
    reader.cookies["messages"] = _message_cookie(NOTICE)
    reader.cookies[settings.SESSION_COOKIE_NAME] = "a-session-that-ran-out"
    return reader


@pytest.mark.parametrize("page", [(), ("crime",)], ids=["assessment", "chapter"])
def test_a_message_left_for_one_reader_never_reaches_another(published, page):
    url = _url(published, *page)
    own = _carrying_a_message().get(url)
    assert own.status_code == 200
    assert NOTICE in own.content.decode()  # the reader it was left for sees it
    assert "public" not in own.get("Cache-Control", "")

    for _ in range(2):  # built for the store, then from the store
        other = Client().get(url)
        assert other.status_code == 200
        assert NOTICE not in other.content.decode()


def test_a_reader_carrying_a_message_is_not_answered_from_the_store(published):
    url = _url(published, "crime")
    stored = Client().get(url)

    own = _carrying_a_message().get(url, headers={"if-none-match": stored["ETag"]})

    assert own.status_code == 200  # not the store's 304
    assert NOTICE in own.content.decode()


def test_the_stored_page_holds_no_token_of_the_reader_who_caused_it(published):
    reader = Client(enforce_csrf_checks=True)
    reader.cookies[settings.CSRF_COOKIE_NAME] = "a" * 32
    first = reader.get(_url(published, "crime"))

    html = Client().get(_url(published, "crime")).content.decode()

    assert first.status_code == 200
    assert "csrfmiddlewaretoken" not in html
    assert "a" * 32 not in html


def test_other_cookies_do_not_keep_a_reader_from_the_stored_page(
    published, django_assert_max_num_queries
):
    url = _url(published, "crime")
    first = Client().get(url)
    reader = Client()
    reader.cookies[settings.CSRF_COOKIE_NAME] = "b" * 32
    reader.cookies["_analytics"] = "a-browser-extension"

    with django_assert_max_num_queries(1):  # the stored page: only the assessment is looked up
        again = reader.get(url)

    assert again.content == first.content
    assert "public" in again["Cache-Control"]


# Finding 6: what the store keeps is keyed by the partnership's id, never by the slug in the URL.


@pytest.mark.redis
def test_a_take_down_reaches_the_old_address_after_the_partnership_is_renamed(
    analyst, published, django_capture_on_commit_callbacks
):
    old = _url(published, "crime")
    for _ in range(2):  # stored by the shared cache's middleware, then answered from it
        assert Client().get(old).status_code == 200
    partnership = published.partnership
    with django_capture_on_commit_callbacks(execute=True):
        partnership.slug = "renamed"
        partnership.save()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.assessment_transition(
            assessment=published, action="unpublish", by=analyst, reason="Figures corrected."
        )

    for url in (old, _url(published, "crime")):
        response = Client().get(url)
        assert response.status_code != 200, url
        assert "Burglary fell." not in response.content.decode()
