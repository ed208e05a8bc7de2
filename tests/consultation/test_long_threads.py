"""A chapter with hundreds of comments: the chapter page shows the latest discussions, open ones
first, and links to every comment, page by page; a link to any comment, however old, finds it;
and neither page's queries grow with the comments."""

import re
from urllib.parse import urljoin

import pytest
from django.core.cache import cache
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.consultation.models import Comment
from assessments.demo.scale import demo_long_discussion

from ..factories import CommentFactory
from .conftest import signed_in

pytestmark = pytest.mark.django_db

COMMENT_ID = re.compile(r'id="comment-(\d+)"')
NEXT_PAGE = re.compile(r'<a class="govuk-link govuk-pagination__link" href="([^"]+)" rel="next">')


@pytest.fixture
def chapter(commented_chapter):
    return commented_chapter


@pytest.fixture
def long_chapter(chapter):
    demo_long_discussion(chapter, 300)
    return chapter


def _shown(html: str) -> set[int]:
    return {int(pk) for pk in COMMENT_ID.findall(html)}


def _all_comments_url(chapter) -> str:
    a = chapter.assessment
    return reverse("chapter_comments", args=[a.partnership.slug, a.year, chapter.slug])


def _every_page(client, url: str) -> tuple[set[int], int]:
    """The comments shown on the page and the pages after it, following "Next", and how many
    pages there were."""
    shown, pages = set(), 0
    while url:
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        shown |= _shown(html)
        pages += 1
        following = NEXT_PAGE.search(html)
        url = following and urljoin(url, following.group(1).replace("&amp;", "&"))
    return shown, pages


def test_the_chapter_page_shows_a_bounded_number_of_comments(police_client, long_chapter):
    html = police_client.get(long_chapter.get_absolute_url()).content.decode()
    assert html.count('class="app-comment-thread') == 10
    assert len(_shown(html)) <= 40
    assert "300 comments; 66 discussions open." in html
    # The open discussions first: the resolved ones wait behind a count.
    assert "app-comment-thread--resolved" not in html
    assert "and 34 resolved discussions" in html
    assert f'href="{_all_comments_url(long_chapter)}">Show all 300 comments' in html


@pytest.mark.parametrize("who", ["police_partner", "fire_partner", "analyst", "chair"])
def test_show_all_lists_every_comment_for_everyone_who_reads_them(request, long_chapter, who):
    client = signed_in(request.getfixturevalue(who))
    shown, pages = _every_page(client, _all_comments_url(long_chapter))
    assert shown == set(Comment.objects.values_list("pk", flat=True))
    assert pages > 1


def test_the_comments_pages_are_closed_to_others(client, outsider, long_chapter):
    url = _all_comments_url(long_chapter)
    assert client.get(url).status_code == 302  # to sign in
    assert signed_in(outsider).get(url).status_code == 404


def test_a_link_to_an_old_comment_lands_on_a_page_showing_it(fire_client, long_chapter):
    oldest_reply = Comment.objects.exclude(parent=None).order_by("created_at", "pk").first()
    response = fire_client.get(oldest_reply.get_absolute_url())
    assert response.status_code == 302
    location = response["Location"]
    assert location.endswith(f"#comment-{oldest_reply.pk}")
    assert oldest_reply.pk in _shown(fire_client.get(location).content.decode())


def test_a_reply_to_an_old_discussion_goes_back_to_a_page_showing_it(police_client, long_chapter):
    oldest = Comment.objects.filter(parent=None).order_by("created_at", "pk").first()
    assert oldest.resolved_at is not None  # resolved, so not on the chapter page
    response = police_client.post(
        _all_comments_url(long_chapter), {"parent": oldest.pk, "body": "Still an issue."}
    )
    reply = Comment.objects.get(body="Still an issue.")
    assert response.status_code == 302
    assert response["Location"].endswith(f"#comment-{reply.pk}")
    assert reply.pk in _shown(police_client.get(response["Location"]).content.decode())


def test_a_new_comment_goes_back_to_the_chapter_page(police_client, long_chapter):
    response = police_client.post(_all_comments_url(long_chapter), {"on": "", "body": "New."})
    comment = Comment.objects.get(body="New.")
    assert response["Location"] == f"{long_chapter.get_absolute_url()}#comment-{comment.pk}"
    assert comment.pk in _shown(police_client.get(response["Location"]).content.decode())


def test_a_long_discussion_shows_its_latest_replies(police_client, police_partner, chapter):
    root = CommentFactory(chapter=chapter, author=police_partner, body="Where are the figures?")
    replies = [
        CommentFactory(chapter=chapter, author=police_partner, parent=root, body=f"Reply {n}")
        for n in range(50)
    ]
    html = police_client.get(chapter.get_absolute_url()).content.decode()
    assert _shown(html) == {root.pk, *(reply.pk for reply in replies[-3:])}
    assert "47 earlier replies" in html
    # The link to them leads to the whole discussion, on the chapter's comments page.
    link = re.search(r'href="([^"]+)">Show all 50 replies', html).group(1).replace("&amp;", "&")
    response = police_client.get(link)
    assert response["Location"] == f"{_all_comments_url(chapter)}#comment-{root.pk}"
    assert {reply.pk for reply in replies} <= _shown(
        police_client.get(response["Location"]).content.decode()
    )


# Each subject's discussions, and the hidden text that ends its links.
SUBJECTS = {
    "paragraph": (~Q(paragraph_anchor=""), "(?:this )?paragraph"),
    "recommendation": (Q(recommendation__isnull=False), "(?:this )?recommendation"),
    "whole chapter": (Q(paragraph_anchor="", recommendation__isnull=True), "the whole chapter"),
}


@pytest.mark.parametrize("subject", SUBJECTS)
def test_a_subjects_discussions_link_finds_them_all(police_client, long_chapter, subject):
    # One discussion on the whole chapter open again, so the page shows that group (the rest,
    # resolved, only on the comments pages).
    Comment.objects.filter(
        pk=Comment.objects.filter(SUBJECTS["whole chapter"][0], parent=None).last().pk
    ).update(resolved_at=None)
    html = police_client.get(long_chapter.get_absolute_url()).content.decode()
    which, named = SUBJECTS[subject]
    discussions = Comment.objects.filter(which, parent=None)
    others = Comment.objects.filter(parent=None).exclude(pk__in=discussions)
    # Under the paragraph and the recommendation, and under each group of the comments.
    count = discussions.count()
    links = re.findall(
        rf'href="([^"]+)">(?:All )?{count} discussions<span class="govuk-visually-hidden"> on '
        rf"{named}",
        html,
    )
    assert links
    for link in links:
        shown, _ = _every_page(police_client, urljoin("/", link.replace("&amp;", "&")))
        assert set(discussions.values_list("pk", flat=True)) <= shown
        assert not shown & set(others.values_list("pk", flat=True))


def _queries(client, url: str) -> int:
    cache.clear()  # counted cold, the worst case: what a change of the comments costs
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("who", ["police_partner", "analyst"])
def test_queries_are_the_same_at_10_and_300_comments(request, chapter, who):
    client = signed_in(request.getfixturevalue(who))
    pages = [chapter.get_absolute_url(), _all_comments_url(chapter), _all_comments_url(chapter)]
    demo_long_discussion(chapter, 12)
    client.get(pages[0])  # the first read creates the read record
    few = [_queries(client, url) for url in pages[:2]]
    demo_long_discussion(chapter, 300)
    many = [_queries(client, url) for url in pages[:2]]
    assert many == few
    assert _queries(client, pages[2] + "?page=3") == few[1]
