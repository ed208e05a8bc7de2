"""A form that creates something, sent twice (a double click, or again after an error page),
stores once and answers as the first time did; and a saved write is never answered with an
error because of work done after its commit (core/idempotency.py)."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from celery.app.task import Task
from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection, transaction
from django.http import HttpResponseRedirect
from django.test import Client
from django.urls import reverse

from assessments.accounts.models import Invitation
from assessments.consultation.models import Comment, RecommendationResponse
from assessments.core.idempotency import FIELD, idempotent
from assessments.core.models import FormSubmission, OutboxJob

from ..consultation.conftest import signed_in
from ..factories import ChapterFactory, CommentFactory, RecommendationFactory

pytestmark = pytest.mark.django_db

KEY = re.compile(rf'name="{FIELD}" value="([0-9a-f]{{32}})"')


@pytest.fixture
def chapter(assessment):
    return ChapterFactory(assessment=assessment, slug="violence")


def comments_url(chapter) -> str:
    return reverse("chapter_comments", args=chapter.url_args)


def form_keys(page: str, form_start: str) -> list[str]:
    """The idempotency keys of the forms whose opening tag contains `form_start`."""
    keys = []
    for form in re.findall(r"<form\b[^>]*>.*?</form>", page, flags=re.S):
        if form_start in form.split(">", 1)[0]:
            keys += KEY.findall(form)
    return keys


def new_comment_key(client, chapter) -> str:
    page = client.get(chapter.get_absolute_url()).content.decode()
    (key,) = form_keys(page, 'id="new-comment"')
    return key


def test_a_comment_sent_twice_with_its_forms_key_is_stored_once(police_client, chapter):
    key = new_comment_key(police_client, chapter)
    data = {"on": "", "body": "Add the 2016 figures.", FIELD: key}
    first = police_client.post(comments_url(chapter), data)
    again = police_client.post(comments_url(chapter), data)
    comment = Comment.objects.get()
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"]
    assert first["Location"].endswith(f"#comment-{comment.pk}")
    assert OutboxJob.objects.filter(task="comment_posted_notify_task").count() == 1
    shown = police_client.get(again["Location"]).content.decode()
    assert "This had already been saved: it has not been saved twice." in shown


def test_each_drawing_of_the_form_has_its_own_key(police_client, chapter):
    first, second = (new_comment_key(police_client, chapter) for _ in range(2))
    assert first != second
    for key in (first, second):
        police_client.post(comments_url(chapter), {"body": "Same words.", FIELD: key})
    assert Comment.objects.count() == 2  # the same text twice, on purpose


def test_a_form_sent_back_with_errors_keeps_its_key_free(police_client, chapter):
    key = new_comment_key(police_client, chapter)
    refused = police_client.post(comments_url(chapter), {"body": "", FIELD: key})
    assert refused.status_code == 200 and "Enter your comment" in refused.content.decode()
    stored = police_client.post(comments_url(chapter), {"body": "Now with words.", FIELD: key})
    assert stored.status_code == 302
    assert Comment.objects.get().body == "Now with words."


def test_a_key_is_the_senders_own(police_partner, fire_partner, chapter):
    police, fire = signed_in(police_partner), signed_in(fire_partner)
    key = new_comment_key(police, chapter)
    police.post(comments_url(chapter), {"body": "Police view.", FIELD: key})
    fire.post(comments_url(chapter), {"body": "Fire view.", FIELD: key})
    assert sorted(Comment.objects.values_list("body", flat=True)) == ["Fire view.", "Police view."]


def test_with_htmx_the_repeat_takes_the_browser_to_the_comment(police_client, chapter):
    key = new_comment_key(police_client, chapter)
    data = {"body": "Posted with htmx.", FIELD: key}
    first = police_client.post(comments_url(chapter), data, headers={"HX-Request": "true"})
    again = police_client.post(comments_url(chapter), data, headers={"HX-Request": "true"})
    comment = Comment.objects.get()
    assert first.status_code == 200 and "Posted with htmx." in first.content.decode()
    assert again["HX-Redirect"].endswith(f"#comment-{comment.pk}")


def test_each_reply_form_in_the_kept_discussions_has_its_own_key(
    chapter, police_partner, fire_partner
):
    police, fire = signed_in(police_partner), signed_in(fire_partner)
    threads = [CommentFactory(chapter=chapter, author=police_partner) for _ in range(2)]
    page = police.get(chapter.get_absolute_url()).content.decode()
    keys = form_keys(page, f'action="{comments_url(chapter)}"')
    assert len(set(keys)) == len(keys) == 3  # the new comment and a reply to each thread
    # The kept HTML is shared between readers; the keys are not.
    other = form_keys(fire.get(chapter.get_absolute_url()).content.decode(), "action=")
    assert len(other) == 3 and not set(keys) & set(other)
    reply = {"parent": threads[0].pk, "body": "Agreed.", FIELD: keys[1]}
    for _ in range(2):
        police.post(comments_url(chapter), reply)
    assert threads[0].replies.count() == 1


def test_a_recommendation_response_sent_twice_answers_the_same(police_client, chapter):
    recommendation = RecommendationFactory(chapter=chapter)
    url = reverse("recommendation_response", args=[*chapter.url_args, recommendation.pk])
    page = police_client.get(chapter.get_absolute_url()).content.decode()
    (key,) = form_keys(page, f'action="{url}"')
    data = {"answer": "support", FIELD: key}
    answers = [police_client.post(url, data) for _ in range(2)]
    assert [a.status_code for a in answers] == [302, 302]
    assert answers[0]["Location"] == answers[1]["Location"]
    assert RecommendationResponse.objects.count() == 1


def test_a_refused_response_sent_twice_is_refused_twice_then_taken(police_client, chapter):
    recommendation = RecommendationFactory(chapter=chapter)
    url = reverse("recommendation_response", args=[*chapter.url_args, recommendation.pk])
    page = police_client.get(chapter.get_absolute_url()).content.decode()
    (key,) = form_keys(page, f'action="{url}"')
    for _ in range(2):  # "Support with changes" needs the changes
        refused = police_client.post(url, {"answer": "changes", FIELD: key}, follow=True)
        assert "Say which changes your organisation would want" in refused.content.decode()
        assert "already been saved" not in refused.content.decode()
    police_client.post(url, {"answer": "changes", "reason": "Two officers.", FIELD: key})
    assert RecommendationResponse.objects.get().reason == "Two officers."


def test_an_invitation_sent_twice_is_made_and_emailed_once(analyst_client, partnership, police_org):
    url = reverse("people", args=[partnership.slug])
    (key,) = form_keys(analyst_client.get(url).content.decode(), "novalidate")
    data = {
        "first_name": "Pat",
        "last_name": "Lee",
        "email": "pat.lee@example.org",
        "organisation": police_org.pk,
        "role": "partner",
        FIELD: key,
    }
    answers = [analyst_client.post(url, data) for _ in range(2)]
    assert [a.status_code for a in answers] == [302, 302]
    assert Invitation.objects.count() == 1
    assert OutboxJob.objects.filter(task="invitation_send_task").count() == 1


# Work after the commit -------------------------------------------------------------------------


def _failing(*args, **kwargs):
    raise RuntimeError("gone away")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("target", "name", "error"),
    [
        pytest.param(Task, "apply_async", RuntimeError, id="outbox publish"),
        pytest.param(SessionStore, "save", RuntimeError, id="session save"),
        # Django answers this with a bare "Bad Request (400)".
        pytest.param(SessionStore, "save", UpdateError, id="session ended elsewhere"),
    ],
)
def test_a_failure_after_the_commit_still_answers_the_saved_comment(
    police_partner, chapter, monkeypatch, target, name, error
):
    def failing(*args, **kwargs):
        raise error("gone away")

    client = signed_in(police_partner)
    key = new_comment_key(client, chapter)
    monkeypatch.setattr(target, name, failing)
    data = {"body": "Saved whatever follows.", FIELD: key}
    first = client.post(comments_url(chapter), data)
    comment = Comment.objects.get()
    assert first.status_code == 302
    assert first["Location"].endswith(f"#comment-{comment.pk}")
    monkeypatch.undo()
    # Sent again, as someone who saw an error page would: still one comment.
    again = client.post(comments_url(chapter), data)
    assert again.status_code == 302 and again["Location"] == first["Location"]
    assert Comment.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_double_click_stores_once(police_partner, chapter):
    """Both requests at once, in real concurrent transactions: the second waits for the first
    to commit and answers as it did."""
    client = signed_in(police_partner)
    key = new_comment_key(client, chapter)
    cookies = client.cookies

    def post(_):
        twin = Client()
        twin.cookies = cookies
        try:
            return twin.post(comments_url(chapter), {"body": "Clicked twice.", FIELD: key})
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        answers = list(pool.map(post, range(2)))
    assert [a.status_code for a in answers] == [302, 302]
    assert answers[0]["Location"] == answers[1]["Location"]
    assert Comment.objects.count() == 1


def test_a_post_without_a_key_is_taken_as_before(police_client, chapter):
    for _ in range(2):
        police_client.post(comments_url(chapter), {"body": "Old page, no key."})
    assert Comment.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_any_work_after_the_commit_that_fails_is_logged_not_answered(rf, police_partner, caplog):
    def view(request):
        FormSubmission.objects.filter(pk=0).exists()
        transaction.on_commit(_failing)  # not robust: Django would raise it from the commit
        return HttpResponseRedirect("/saved/")

    request = rf.post("/", {FIELD: "a" * 32})
    request.user = police_partner
    response = idempotent(view)(request)
    assert (response.status_code, response["Location"]) == (302, "/saved/")
    assert FormSubmission.objects.get().location == "/saved/"
    assert "Saved, but work after the commit failed" in caplog.text
