"""Comments on a chapter, a paragraph or a recommendation: who may post, reply, change and
resolve, through real requests; quoted text kept; quick responses; query counts."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.consultation.models import Comment, RecommendationResponse
from assessments.consultation.services import comments as comment_service
from assessments.core.markdown import render_markdown

from ..factories import (
    AssessmentFactory,
    ChapterFactory,
    CommentFactory,
    MembershipFactory,
    OrganisationFactory,
    RecommendationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def chapter(assessment):
    return ChapterFactory(assessment=assessment, slug="violence")


@pytest.fixture
def recommendation(chapter):
    return RecommendationFactory(chapter=chapter, text="Fund a night-time economy officer.")


def post_url(chapter):
    a = chapter.assessment
    return reverse("chapter_comments", args=[a.partnership.slug, a.year, chapter.slug])


def first_paragraph(chapter):
    return render_markdown(chapter.narrative).paragraphs[0]


def test_partner_comments_on_a_paragraph_and_sees_it(police_client, chapter):
    anchor, text = first_paragraph(chapter)
    response = police_client.post(post_url(chapter), {"on": anchor, "body": "Add 2016 figures."})
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"#comment-{comment.pk}")
    assert (comment.paragraph_anchor, comment.quoted_text) == (anchor, text)
    page = police_client.get(chapter.get_absolute_url()).content.decode()
    assert "Add 2016 figures." in page
    assert f'On <a class="govuk-link" href="#{anchor}">paragraph 1</a>' in page


def test_partner_comments_on_a_recommendation(police_client, chapter, recommendation):
    police_client.post(post_url(chapter), {"on": f"r-{recommendation.pk}", "body": "Who pays?"})
    comment = Comment.objects.get()
    assert comment.recommendation == recommendation
    assert comment.quoted_text == "Fund a night-time economy officer."


def test_a_reply_joins_the_thread(police_client, fire_partner, chapter):
    root = CommentFactory(chapter=chapter, author=fire_partner)
    reply_to_root = CommentFactory(chapter=chapter, author=fire_partner, parent=root)
    police_client.post(post_url(chapter), {"parent": reply_to_root.pk, "body": "Agreed."})
    reply = Comment.objects.get(body="Agreed.")
    assert reply.parent == root


def test_htmx_posting_answers_with_the_comments_section(police_client, chapter):
    response = police_client.post(
        post_url(chapter), {"on": "", "body": "In place."}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="comments"')
    assert "Your comment has been posted" in html
    assert "In place." in html


def test_an_empty_comment_is_refused_with_a_message(police_client, chapter):
    response = police_client.post(post_url(chapter), {"on": "", "body": "  "})
    assert response.status_code == 200
    assert "Enter your comment" in response.content.decode()
    assert not Comment.objects.exists()


def test_an_unknown_paragraph_is_refused(police_client, chapter):
    response = police_client.post(post_url(chapter), {"on": "p-deadbeef", "body": "Hm"})
    assert "Choose a part of this chapter to comment on" in response.content.decode()
    assert not Comment.objects.exists()


@pytest.mark.parametrize("status", ["draft", "approved", "published"])
def test_comments_are_refused_outside_consultation(police_client, partnership, status):
    chapter = ChapterFactory(assessment=AssessmentFactory(partnership=partnership, status=status))
    response = police_client.post(post_url(chapter), {"on": "", "body": "Too late"})
    assert response.status_code == 404
    assert not Comment.objects.exists()


def test_comments_are_refused_once_consultation_has_closed(police_client, chapter):
    assessment = chapter.assessment
    assessment.consultation_closes_on = timezone.localdate() - dt.timedelta(days=1)
    assessment.save()
    response = police_client.post(post_url(chapter), {"on": "", "body": "Too late"})
    assert response.status_code == 404
    page = police_client.get(chapter.get_absolute_url()).content.decode()
    assert "The consultation has closed" in page
    assert "Post comment" not in page
    assert not Comment.objects.exists()


def test_another_partnerships_member_gets_404(client, outsider, chapter, police_partner):
    CommentFactory(chapter=chapter, author=police_partner, body="Internal discussion")
    client.force_login(outsider)
    assert client.post(post_url(chapter), {"on": "", "body": "Hi"}).status_code == 404
    assert Comment.objects.count() == 1


def test_anonymous_posting_goes_to_sign_in(client, chapter):
    response = client.post(post_url(chapter), {"on": "", "body": "Hi"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not Comment.objects.exists()


def test_comments_are_not_public_once_published(client, partnership, police_partner):
    chapter = ChapterFactory(
        assessment=AssessmentFactory(partnership=partnership, status="published")
    )
    CommentFactory(chapter=chapter, author=police_partner, body="Internal discussion")
    page = client.get(chapter.get_absolute_url()).content.decode()
    assert "Internal discussion" not in page


def test_partners_see_each_others_comments(fire_client, police_partner, chapter):
    CommentFactory(chapter=chapter, author=police_partner, body="Police view")
    page = fire_client.get(chapter.get_absolute_url()).content.decode()
    assert "Police view" in page


# Edit window ---------------------------------------------------------------------------------


def test_the_author_edits_within_15_minutes(police_client, police_partner, chapter):
    comment = CommentFactory(chapter=chapter, author=police_partner, body="Typo")
    url = reverse("comment_edit", args=[comment.pk])
    response = police_client.post(url, {"body": "Fixed"})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.body == "Fixed"
    assert comment.edited_at is not None


def test_after_15_minutes_the_comment_is_fixed(police_client, police_partner, chapter):
    comment = CommentFactory(
        chapter=chapter,
        author=police_partner,
        body="Final",
        created_at=timezone.now() - dt.timedelta(minutes=16),
    )
    assert (
        police_client.post(reverse("comment_edit", args=[comment.pk]), {"body": "X"}).status_code
        == 404
    )
    assert police_client.post(reverse("comment_delete", args=[comment.pk])).status_code == 404
    comment.refresh_from_db()
    assert comment.body == "Final"
    page = police_client.get(chapter.get_absolute_url()).content.decode()
    assert reverse("comment_edit", args=[comment.pk]) not in page


def test_nobody_edits_anothers_comment(fire_client, police_partner, chapter):
    comment = CommentFactory(chapter=chapter, author=police_partner, body="Mine")
    assert (
        fire_client.post(reverse("comment_edit", args=[comment.pk]), {"body": "X"}).status_code
        == 404
    )
    assert fire_client.post(reverse("comment_delete", args=[comment.pk])).status_code == 404
    assert Comment.objects.get().body == "Mine"


def test_the_author_deletes_within_15_minutes(police_client, police_partner, chapter):
    comment = CommentFactory(chapter=chapter, author=police_partner)
    response = police_client.post(reverse("comment_delete", args=[comment.pk]))
    assert response.status_code == 302
    assert not Comment.objects.exists()


def test_a_comment_with_replies_cannot_be_deleted(
    police_client, police_partner, fire_partner, chapter
):
    comment = CommentFactory(chapter=chapter, author=police_partner)
    CommentFactory(chapter=chapter, author=fire_partner, parent=comment)
    response = police_client.post(reverse("comment_delete", args=[comment.pk]))
    assert "Others have replied to this comment" in response.content.decode()
    assert Comment.objects.count() == 2


# Resolving ------------------------------------------------------------------------------------


def test_the_analyst_resolves_and_reopens(analyst_client, police_partner, chapter):
    comment = CommentFactory(chapter=chapter, author=police_partner)
    url = reverse("comment_resolve", args=[comment.pk])
    analyst_client.post(url, {"note": "Done in the new draft."})
    comment.refresh_from_db()
    assert comment.resolved_at is not None
    assert comment.resolution_note == "Done in the new draft."
    page = analyst_client.get(chapter.get_absolute_url()).content.decode()
    assert "Resolved" in page and "Done in the new draft." in page
    analyst_client.post(url, {"reopen": "1"})
    comment.refresh_from_db()
    assert comment.resolved_at is None


@pytest.mark.parametrize("who", ["police_partner", "fire_partner", "chair"])
def test_only_the_analyst_resolves(client, request, police_partner, chapter, who):
    comment = CommentFactory(chapter=chapter, author=police_partner)
    client.force_login(request.getfixturevalue(who))
    assert client.post(reverse("comment_resolve", args=[comment.pk])).status_code == 404
    comment.refresh_from_db()
    assert comment.resolved_at is None


# Quoted text ----------------------------------------------------------------------------------


def test_a_comment_survives_its_paragraph_being_rewritten(police_client, police_partner, chapter):
    anchor, text = first_paragraph(chapter)
    comment_service.comment_create(
        author=police_partner, chapter=chapter, body="Too vague", on=anchor
    )
    chapter.narrative = "An entirely new first paragraph.\n\nA second paragraph about disorder."
    chapter.save()
    page = police_client.get(chapter.get_absolute_url()).content.decode()
    assert "Too vague" in page
    assert text in page
    assert "On a paragraph that has since been changed" in page


# Quick responses -----------------------------------------------------------------------------


def test_one_quick_response_per_organisation(
    police_client, police_partner, chapter, recommendation
):
    url = _response_url(recommendation)
    police_client.post(url, {"answer": "support"})
    police_client.post(url, {"answer": "changes", "reason": "Name the estates"})
    response = RecommendationResponse.objects.get()
    assert (response.organisation, response.answer) == (police_partner.organisation, "changes")
    page = police_client.get(chapter.get_absolute_url()).content.decode()
    assert 'value="changes" checked' in page


def test_a_member_answers_only_for_one_of_the_partnerships_organisations(
    client, partnership, chapter, recommendation
):
    """A partner whose organisation is not one of the partnership's (a person added with the
    wrong organisation, or a member of another partnership's body) was offered the response
    form and recorded an answer in the name of an organisation the partnership never asked."""
    stranger_org = OrganisationFactory(name="Another County Council")
    stranger = UserFactory(organisation=stranger_org)
    MembershipFactory(user=stranger, partnership=partnership, role="partner")
    client.force_login(stranger)
    page = client.get(chapter.get_absolute_url()).content.decode()
    assert 'name="answer"' not in page
    assert client.post(_response_url(recommendation), {"answer": "support"}).status_code == 404
    assert not RecommendationResponse.objects.exists()


def test_quick_responses_close_with_the_consultation(police_client, partnership):
    chapter = ChapterFactory(
        assessment=AssessmentFactory(partnership=partnership, status="approved")
    )
    recommendation = RecommendationFactory(chapter=chapter)
    url = _response_url(recommendation)
    assert police_client.post(url, {"answer": "support"}).status_code == 404
    assert not RecommendationResponse.objects.exists()


# Query counts ---------------------------------------------------------------------------------


def _comments(chapter, authors, recommendation, count):
    anchor, _ = first_paragraph(chapter)
    for i in range(count):
        root = CommentFactory(
            chapter=chapter,
            author=authors[i % len(authors)],
            paragraph_anchor=anchor if i % 3 == 1 else "",
            recommendation=recommendation if i % 3 == 2 else None,
        )
        CommentFactory(chapter=chapter, author=authors[(i + 1) % len(authors)], parent=root)


def _queries_for_chapter_page(client, chapter) -> int:
    cache.clear()  # counted cold, the worst case: what a change of the comments costs
    with CaptureQueriesContext(connection) as queries:
        assert client.get(chapter.get_absolute_url()).status_code == 200
    return len(queries)


def test_chapter_page_queries_do_not_grow_with_comments(
    police_client,
    police_partner,
    fire_partner,
    analyst,
    chapter,
    recommendation,
    django_assert_num_queries,
):
    authors = [police_partner, fire_partner, analyst]
    _comments(chapter, authors, recommendation, 2)
    police_client.get(chapter.get_absolute_url())  # the first read creates the read record
    few = _queries_for_chapter_page(police_client, chapter)
    _comments(chapter, authors, recommendation, 30)
    cache.clear()
    with django_assert_num_queries(few):
        page = police_client.get(chapter.get_absolute_url())
    # The ten latest discussions of 32, each a comment and its reply; the rest a link away.
    assert page.content.decode().count('class="app-comment"') == 20


@pytest.mark.parametrize("who", ["analyst", "chair"])
def test_the_analyst_and_chair_do_not_answer_for_an_organisation(
    client, request, chapter, recommendation, who
):
    client.force_login(request.getfixturevalue(who))
    url = _response_url(recommendation)
    assert client.post(url, {"answer": "support"}).status_code == 404
    assert not RecommendationResponse.objects.exists()
    assert "Save response" not in client.get(chapter.get_absolute_url()).content.decode()


def test_htmx_quick_response_answers_with_its_own_block(police_client, chapter, recommendation):
    url = _response_url(recommendation)
    response = police_client.post(
        url, {"answer": "oppose", "reason": "Not our remit"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert html.lstrip().startswith(
        f'<div class="app-recommendation-response" id="response-{recommendation.pk}"'
    )
    assert "Your organisation’s response has been saved" in html
    assert 'value="oppose" checked' in html


def test_each_paragraph_links_to_commenting_on_it(police_client, police_partner, chapter):
    anchor, _ = first_paragraph(chapter)
    CommentFactory(chapter=chapter, author=police_partner, paragraph_anchor=anchor)
    page = police_client.get(chapter.get_absolute_url()).content.decode()
    assert f'href="?on={anchor}#new-comment"' in page
    assert f'href="#{anchor}-comments">1 discussion' in page
    with_link = police_client.get(chapter.get_absolute_url(), {"on": anchor}).content.decode()
    assert f'<option value="{anchor}" selected>' in with_link


@pytest.mark.slow(reason="loads the demo again")
def test_load_demo_restores_the_demo_discussions(demo):
    from assessments.core.models import User
    from assessments.demo.load import demo_load

    crime = demo.chapters.get(slug="crime")
    police = User.objects.get(username="police")
    CommentFactory(chapter=crime, author=police, body="Added while trying the demo")
    demo_load()
    assert Comment.objects.filter(chapter__assessment=demo).count() == 3
    assert not Comment.objects.filter(body="Added while trying the demo").exists()
    assert demo.workflow_events.get().action == "open"


def _response_url(recommendation) -> str:
    chapter = recommendation.chapter
    a = chapter.assessment
    args = [a.partnership.slug, a.year, chapter.slug, recommendation.pk]
    return reverse("recommendation_response", args=args)
