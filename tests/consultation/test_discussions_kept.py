"""The chapter page keeps its discussions rendered until something they show changes (issue 18:
a chapter with hundreds of comments within five times the floor). Every change shows at once on a
warm page, and what differs by reader is each reader's own: the author's edit links for fifteen
minutes, the analyst's resolve forms, and the CSRF token in every form."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assessments.consultation.services import comments

from ..factories import (
    ChapterFactory,
    CommentFactory,
    OrganisationFactory,
    PartnershipFactory,
    UserFactory,
)
from .conftest import signed_in

pytestmark = pytest.mark.django_db

CSRF_IN_REPLY_FORM = re.compile(
    r'name="csrfmiddlewaretoken" value="([^"]+)">\s*<input type="hidden" name="parent"'
)


@pytest.fixture
def chapter(commented_chapter):
    return commented_chapter


@pytest.fixture
def discussion(chapter, fire_partner):
    return CommentFactory(chapter=chapter, author=fire_partner, body="Where is the ASB data?")


def _page(client: Client, chapter) -> str:
    response = client.get(chapter.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_a_warm_chapter_page_reads_no_comments(chapter, discussion, police_partner):
    client = signed_in(police_partner)
    _page(client, chapter)
    with CaptureQueriesContext(connection) as queries:
        assert "Where is the ASB data?" in _page(client, chapter)
    assert [q["sql"] for q in queries if "assessments_comment" in q["sql"]] == []


def _reply(discussion, author):
    CommentFactory(chapter=discussion.chapter, author=author, parent=discussion, body="Reply X")


def _edit(discussion, author):
    discussion.body = "Edited X"
    discussion.save(update_fields=["body"])


def _resolve(discussion, author):
    discussion.resolved_at = timezone.now()
    discussion.resolution_note = "Resolved X"
    discussion.save(update_fields=["resolved_at", "resolution_note"])


def _delete(discussion, author):
    CommentFactory(chapter=discussion.chapter, author=author, body="Another X")
    discussion.delete()


def _rename_author(discussion, author):
    discussion.author.first_name, discussion.author.last_name = "Renamed", "X"
    discussion.author.save()


def _rename_organisation(discussion, author):
    organisation = discussion.author.organisation
    organisation.name = "Renamed X Service"
    organisation.save()


def _rename_an_organisation_of_another_partnership(discussion, author):
    """A member may belong to an organisation linked to another partnership only (a consultant
    analyst): renaming it moves no version of this one."""
    elsewhere = OrganisationFactory(name="Consultancy")
    elsewhere.partnerships.add(PartnershipFactory())
    discussion.author.organisation = elsewhere
    discussion.author.save()
    assert "Consultancy" in _page(signed_in(author), discussion.chapter)
    elsewhere.name = "Renamed X Consultancy"
    elsewhere.save()


def _delete_the_person_who_resolved(discussion, author):
    resolver = UserFactory(first_name="Former", last_name="Analyst")
    discussion.resolved_at, discussion.resolved_by = timezone.now(), resolver
    discussion.resolution_note = "Noted X"
    discussion.save()
    # Shown by name until the person is deleted, then as "the analyst".
    assert "Former Analyst" in _page(signed_in(author), discussion.chapter)
    resolver.delete()


@pytest.mark.parametrize(
    "change",
    [
        _reply,
        _edit,
        _resolve,
        _delete,
        _rename_author,
        _rename_organisation,
        _rename_an_organisation_of_another_partnership,
    ],
)
def test_every_change_shows_at_once_on_a_warm_page(chapter, discussion, police_partner, change):
    client = signed_in(police_partner)
    assert " X" not in _page(client, chapter)
    change(discussion, police_partner)
    assert " X" in _page(client, chapter)


def test_a_deleted_discussion_goes_at_once(chapter, discussion, police_partner):
    client = signed_in(police_partner)
    assert "Where is the ASB data?" in _page(client, chapter)
    discussion.delete()
    assert "Where is the ASB data?" not in _page(client, chapter)


def test_a_comment_posted_through_the_page_shows_at_once(chapter, discussion, police_partner):
    client = signed_in(police_partner)
    _page(client, chapter)
    comments.comment_create(author=police_partner, chapter=chapter, body="We hold it.")
    assert "We hold it." in _page(client, chapter)


def test_edit_links_are_the_authors_own(chapter, police_partner, fire_partner):
    mine = comments.comment_create(author=police_partner, chapter=chapter, body="Mine.")
    edit_url = f"/comments/{mine.pk}/edit/"
    assert edit_url not in _page(signed_in(fire_partner), chapter)  # fills the cache
    assert edit_url in _page(signed_in(police_partner), chapter)
    assert edit_url not in _page(signed_in(fire_partner), chapter)


def test_edit_links_go_when_the_fifteen_minutes_pass(chapter, police_partner, monkeypatch):
    client = signed_in(police_partner)
    mine = comments.comment_create(author=police_partner, chapter=chapter, body="Mine.")
    assert f"/comments/{mine.pk}/edit/" in _page(client, chapter)
    # Time passing changes no row, so nothing tells the kept discussions.
    later = timezone.now() + dt.timedelta(minutes=16)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert f"/comments/{mine.pk}/edit/" not in _page(client, chapter)


def test_resolve_forms_only_for_those_who_resolve(chapter, discussion, analyst, police_partner):
    assert "Resolve discussion" in _page(signed_in(analyst), chapter)
    assert "Resolve discussion" not in _page(signed_in(police_partner), chapter)
    assert "Resolve discussion" in _page(signed_in(analyst), chapter)


def test_a_reply_form_carries_the_readers_own_token(chapter, discussion, police_partner):
    _page(signed_in(police_partner, enforce_csrf_checks=True), chapter)  # another session's
    client = signed_in(police_partner, enforce_csrf_checks=True)
    token = CSRF_IN_REPLY_FORM.search(_page(client, chapter))[1]
    url = f"{chapter.get_absolute_url()}comments/"
    response = client.post(url, {"body": "Replying.", "parent": discussion.pk, "on": ""})
    assert response.status_code == 403  # the check is on
    payload = {"body": "Replying.", "parent": discussion.pk, "csrfmiddlewaretoken": token}
    assert client.post(url, payload).status_code in (200, 302)
    assert discussion.replies.filter(body="Replying.").exists()


def test_htmx_answers_show_the_change_they_made(chapter, discussion, police_partner, analyst):
    """The request that changes a discussion answers with the comments section at once, from
    the chapter it read before the change."""
    police = signed_in(police_partner)
    _page(police, chapter)
    url = f"{chapter.get_absolute_url()}comments/"
    reply = {"body": "Replying in place.", "parent": discussion.pk}
    assert "Replying in place." in police.post(url, reply, HTTP_HX_REQUEST="true").content.decode()

    the_analyst = signed_in(analyst)
    _page(the_analyst, chapter)
    resolve = f"/comments/{discussion.pk}/resolve/"
    response = the_analyst.post(resolve, {"note": "Done in place."}, HTTP_HX_REQUEST="true")
    assert "Done in place." in response.content.decode()


def test_a_resolver_deleted_is_no_longer_named(chapter, discussion, police_partner):
    _delete_the_person_who_resolved(discussion, police_partner)
    page = _page(signed_in(police_partner), chapter)
    assert "Former Analyst" not in page
    assert "by the analyst" in page


def test_a_comment_stays_on_its_chapter_in_the_admin(chapter, discussion, analyst):
    """Moved, the chapter it left would keep showing it (and the comment could be moved to a
    chapter of another partnership the analyst also administers)."""
    client = signed_in(analyst)
    other = ChapterFactory(assessment=chapter.assessment, slug="other")
    url = f"/admin/assessments/comment/{discussion.pk}/change/"
    form = client.get(url).content.decode()
    assert 'name="chapter"' not in form and 'name="parent"' not in form
    client.post(url, {"chapter": other.pk, "author": discussion.author_id, "body": "Moved?"})
    discussion.refresh_from_db()
    assert discussion.chapter == chapter
