"""The published report for people who are not signed in: served from the cache with validators
taken from the data and the publication, answered 304 when unchanged, public for a proxy in
front, and changed at once by an edit, a correction, taking down or republishing."""

import pytest
from django.test import Client

from assessments.consultation.services import workflow
from assessments.core.models import Assessment

from ..factories import AssessmentFactory, make_ready, refreeze

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(partnership):
    assessment = AssessmentFactory(partnership=partnership, status=Assessment.Status.PUBLISHED)
    make_ready(assessment).chapters.filter(slug="crime").update(narrative="Burglary fell.")
    refreeze(assessment)
    refreeze(assessment)
    return assessment


def _url(assessment, *parts):
    return "/".join(
        ["", "assessments", assessment.partnership.slug, str(assessment.year), *parts, ""]
    )


@pytest.mark.parametrize("chapter", [(), ("crime",)], ids=["assessment", "chapter"])
def test_a_published_page_is_public_and_served_from_the_cache(
    client, published, chapter, django_assert_max_num_queries
):
    url = _url(published, *chapter)
    first = client.get(url)
    assert first.status_code == 200
    assert "public" in first["Cache-Control"] and "max-age=" in first["Cache-Control"]
    assert "Cookie" in first["Vary"]
    assert first["ETag"] and first["Last-Modified"]

    # Finding the assessment, nothing to build the page (none at all with a shared cache).
    with django_assert_max_num_queries(1):
        again = client.get(url)
    assert again.content == first.content
    assert again["ETag"] == first["ETag"]


def test_a_conditional_request_for_an_unchanged_page_is_answered_304(client, published):
    url = _url(published, "crime")
    first = client.get(url)

    by_etag = client.get(url, headers={"if-none-match": first["ETag"]})
    by_date = client.get(url, headers={"if-modified-since": first["Last-Modified"]})

    assert by_etag.status_code == by_date.status_code == 304
    assert by_etag.content == b""


# Edits are committed as in production (the shared cache's copy of the version follows commits).


def test_an_edit_of_the_working_copy_leaves_the_published_page_as_it_was(
    client, published, django_capture_on_commit_callbacks
):
    url = _url(published, "crime")
    first = client.get(url)
    chapter = published.chapters.get(slug="crime")
    chapter.narrative = "Burglary fell by a third."
    with django_capture_on_commit_callbacks(execute=True):
        chapter.save()

    assert client.get(url, headers={"if-none-match": first["ETag"]}).status_code == 304
    again = client.get(url)
    assert "Burglary fell." in again.content.decode()
    assert "by a third" not in again.content.decode()
    assert again["ETag"] == first["ETag"]


def test_taking_down_and_publishing_a_correction_take_effect_at_once(
    client, analyst, chair, published, django_capture_on_commit_callbacks
):
    url = _url(published, "crime")
    first = client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.assessment_transition(
            assessment=published, action="unpublish", by=analyst, reason="Wrong burglary data."
        )

    for response in (client.get(url), client.get(url, headers={"if-none-match": first["ETag"]})):
        assert response.status_code == 410
        assert "a corrected edition will follow" in response.content.decode()
        assert "Wrong burglary data." not in response.content.decode()

    chapter = published.chapters.get(slug="crime")
    chapter.narrative = "Burglary fell by a third."
    chapter.save()
    with django_capture_on_commit_callbacks(execute=True):
        for action, by, reason in (
            ("correct", analyst, "Corrected burglary."),
            ("approve", chair, ""),
            ("publish", analyst, ""),
        ):
            workflow.assessment_transition(
                assessment=published, action=action, by=by, reason=reason
            )
    republished = client.get(url, headers={"if-none-match": first["ETag"]})
    assert republished.status_code == 200
    text = republished.content.decode()
    assert "Corrected burglary." in text and "Burglary fell by a third." in text


def test_a_signed_in_reader_gets_a_private_page_not_the_public_copy(police_client, published):
    url = _url(published, "crime")
    public = Client().get(url)
    response = police_client.get(url)

    assert response.status_code == 200
    assert "public" not in response.get("Cache-Control", "")
    assert "Cookie" in response["Vary"]
    assert "Sign out" in response.content.decode()
    assert "Sign out" not in public.content.decode()


def test_a_draft_is_neither_cached_nor_shown(client, partnership):
    draft = AssessmentFactory(partnership=partnership, status=Assessment.Status.DRAFT)
    response = client.get(_url(draft))
    assert response.status_code == 302
    assert "public" not in response.get("Cache-Control", "")


# Where the cache is shared (Redis), the middleware answers without the session, with one query.


@pytest.mark.redis
def test_with_a_shared_cache_a_repeat_read_needs_one_query_and_keeps_its_headers(
    client, published, django_assert_num_queries
):
    """One query each: that the stored page's edition is still the one its address shows (a
    take-down is seen at once, whatever the cache holds); none to build the page."""
    url = _url(published, "crime")
    first = client.get(url)

    with django_assert_num_queries(1):
        again = client.get(url)
    with django_assert_num_queries(1):
        unchanged = client.get(url, headers={"if-none-match": first["ETag"]})

    assert again.content == first.content
    for header in ("ETag", "Cache-Control", "Vary", "Content-Security-Policy", "X-Frame-Options"):
        assert again[header] == first[header]
    assert unchanged.status_code == 304


@pytest.mark.redis
def test_with_a_shared_cache_a_signed_in_reader_still_gets_their_own_page(police_client, published):
    url = _url(published, "crime")
    Client().get(url)
    Client().get(url)

    assert "Sign out" in police_client.get(url).content.decode()
