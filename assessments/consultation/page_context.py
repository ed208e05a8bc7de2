"""What the chapter and assessment pages show of the consultation, as template context.

Publication's views call the two hooks at the bottom; consultation's views reuse
`comments_context` to answer htmx requests with the refreshed comments section.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse

from assessments.accounts.permissions import can_manage_people
from assessments.consultation.discussions import (
    all_comments_url,
    discussions_link,
    finished_for,
    for_chapter_page,
    horizon_scan_discussions,
    rendered,
)
from assessments.consultation.forms import CommentForm
from assessments.consultation.models import Comment, RecommendationResponse
from assessments.consultation.permissions import (
    can_comment_on_assessment,
    can_resolve_comments,
    can_respond_to_recommendations,
    can_review_feedback,
    can_view_comments_of,
    consultation_is_open,
    sees_own_progress,
)
from assessments.consultation.selectors import (
    Threads,
    changed_since_read,
    comment_page_number,
    horizon_scan_counts,
    last_reads,
    on_chapter_page,
    organisation_answers,
    organisation_progress,
    workflow_history,
)
from assessments.consultation.services import workflow
from assessments.core.chapter_figures import kept_narrative, with_paragraph_links
from assessments.core.markdown import Rendered
from assessments.core.models import Chapter
from assessments.core.permissions import can_view_working_papers

Answer = RecommendationResponse.Answer


def on_choices(narrative: Rendered, recommendations) -> list[tuple[str, str]]:
    choices = [("", "The whole chapter")]
    for number, (anchor, text) in enumerate(narrative.paragraphs, start=1):
        choices.append((anchor, f"Paragraph {number}: {_shorten(text)}"))
    for number, recommendation in enumerate(recommendations, start=1):
        choices.append(
            (f"r-{recommendation.pk}", f"Recommendation {number}: {_shorten(recommendation.text)}")
        )
    return choices


def _shorten(text: str, length: int = 60) -> str:
    return text if len(text) <= length else text[:length].rsplit(" ", 1)[0] + "…"


def horizon_comments_url(assessment) -> str:
    return reverse("horizon_comments", args=[assessment.partnership.slug, assessment.year])


def horizon_on_choices(assessment) -> list[tuple[str, str]]:
    """The rows of the horizon scan a comment may be about."""
    return [
        (f"h-{item.pk}", f"{item.get_factor_display()}: {_shorten(item.issue)}")
        for item in assessment.horizon_scan.all()
    ]


def comments_home(comment: Comment) -> str:
    """The page of the discussions the comment was among: its chapter's, or the horizon scan's."""
    if comment.is_on_horizon_scan:
        return horizon_comments_url(comment.assessment)
    return f"{comment.chapter.get_absolute_url()}#comments"


def comment_location(comment: Comment, *, whole: bool = False) -> str:
    """Where the comment shows now: on the chapter page if it is among what that shows, else (or
    when the `whole` discussion is wanted) on the chapter's comments page that lists it; a
    comment on the horizon scan on its page, which shows every discussion whole."""
    if comment.is_on_horizon_scan:
        return f"{horizon_comments_url(comment.assessment)}#comment-{comment.pk}"
    chapter = comment.chapter
    if not whole and on_chapter_page(comment):
        return f"{chapter.get_absolute_url()}#comment-{comment.pk}"
    page = comment_page_number(comment)
    query = f"?page={page}" if page > 1 else ""
    return f"{all_comments_url(chapter)}{query}#comment-{comment.pk}"


def subject_label(about: str, narrative: Rendered, recommendations) -> str:
    """What the comments pages' `about` filter names, as their heading says it."""
    if not about:
        return ""
    labels = dict(on_choices(narrative, recommendations))
    return labels.get("" if about == "chapter" else about, "A paragraph that has since changed")


def comments_context(
    request: HttpRequest,
    chapter: Chapter,
    narrative: Rendered,
    form=None,
    *,
    threads: Threads | None = None,
    about: str = "",
):
    """What the comments includes need: the discussions rendered for this reader, forms and
    the user's permissions as booleans. `threads`: one of the chapter's comments pages (about
    one subject, if `about`), rendered afresh; by default the chapter page's, kept."""
    user, assessment = request.user, chapter.assessment
    if not can_view_comments_of(user, assessment):
        return {"show_comments": False}
    recommendations = list(chapter.recommendations.all())
    flags = {
        "can_comment": can_comment_on_assessment(user, assessment),
        "can_resolve": can_resolve_comments(user, assessment),
    }
    if threads is None:
        discussions = for_chapter_page(chapter, narrative, recommendations, **flags)
    else:
        discussions = rendered(chapter, narrative, recommendations, threads, about=about, **flags)
    overview = discussions.overview
    answers = organisation_answers(chapter, user.organisation_id)
    for number, recommendation in enumerate(recommendations, start=1):
        recommendation.number = number
        # What the person typed last, if it was refused (the form without htmx redirects).
        draft = request.session.pop(response_draft_key(recommendation.pk), None)
        our_answer, our_reason = draft or answers.get(recommendation.pk, ("", ""))
        recommendation.our_answer, recommendation.our_reason = our_answer, our_reason
        recommendation.our_answer_label = (
            Answer(recommendation.our_answer).label if recommendation.our_answer else ""
        )
        subject = f"r-{recommendation.pk}"
        recommendation.thread_count = overview.discussions_on.get(subject, 0)
        recommendation.discussions_url = discussions_link(
            chapter, overview, subject, f"#recommendation-{recommendation.pk}-comments"
        )
    on = request.GET.get("on", "")
    return {
        "show_comments": True,
        "discussions": discussions,
        "overview": overview,
        "discussions_html": finished_for(request, assessment, discussions),
        "on_choices": on_choices(narrative, recommendations),
        "comment_form": form or CommentForm(initial={"on": on}),
        "selected_on": form["on"].value() if form else on,
        "can_comment": flags["can_comment"],
        "can_respond": can_respond_to_recommendations(user, assessment),
        "consultation_open": consultation_is_open(assessment),
        "answer_choices": RecommendationResponse.Answer.choices,
        "comments_url": reverse("chapter_comments", args=chapter.url_args),
        "all_comments_url": all_comments_url(chapter),
    }


def horizon_comments_context(request: HttpRequest, assessment, form=None) -> dict:
    """The horizon scan's comments page: its discussions for this reader, the form to start
    one on a row of the scan and the reader's permissions, as a chapter's comments have them.
    The view has checked that the reader may see comments."""
    user = request.user
    url = horizon_comments_url(assessment)
    flags = {
        "can_comment": can_comment_on_assessment(user, assessment),
        "can_resolve": can_resolve_comments(user, assessment),
    }
    discussions = horizon_scan_discussions(assessment, url, **flags)
    on = request.GET.get("on", "")
    return flags | {
        "counts": horizon_scan_counts(assessment),
        "discussions_html": finished_for(request, assessment, discussions),
        "on_choices": horizon_on_choices(assessment),
        "comment_form": form or CommentForm(initial={"on": on}),
        "selected_on": form["on"].value() if form else on,
        "consultation_open": consultation_is_open(assessment),
        "comments_url": url,
    }


def chapter_consultation_context(request: HttpRequest, chapter: Chapter) -> dict:
    """The chapter page's narrative, with each paragraph's comment links where comments show,
    and its comments, quick responses and "changed since you last read"."""
    read_at = last_reads(request.user, [chapter.pk]).get(chapter.pk)
    kept = kept_narrative(chapter)
    context = comments_context(request, chapter, kept)
    # The discussions give the paragraphs' links (to comment, to their discussions).
    links = context["discussions"].paragraph_links if context["show_comments"] else {}
    return context | {
        "narrative": with_paragraph_links(kept, lambda anchor, number: links.get(anchor)),
        "last_read_at": read_at,
        "changed_since_read": changed_since_read(chapter, read_at),
    }


def response_draft_key(recommendation_id: int) -> str:
    return f"response-draft-{recommendation_id}"


def assessment_consultation_context(request: HttpRequest, assessment, chapters) -> dict:
    """The hook publication's assessment page calls: workflow steps, history, progress, reads."""
    user = request.user
    reads = last_reads(user, [chapter.pk for chapter in chapters])
    for chapter in chapters:
        chapter.changed_since_read = changed_since_read(chapter, reads.get(chapter.pk))
    return {
        "workflow_actions": workflow.available_actions(user, assessment),
        # Working papers (why it went back, overrides, who did what): members only, never the
        # public report's readers (issue 29, finding 5).
        "workflow_history": workflow_history(assessment)
        if can_view_working_papers(user, assessment)
        else [],
        "consultation_open": consultation_is_open(assessment),
        "can_comment": can_comment_on_assessment(user, assessment),
        "progress": organisation_progress(assessment, user, chapters_read=len(reads))
        if sees_own_progress(user, assessment)
        else None,
        "can_review_feedback": can_review_feedback(user, assessment),
        "can_manage_people": can_manage_people(user, assessment.partnership),
        # The horizon scan's discussions, under the scan, for those who may read comments.
        "horizon_comments": {
            "url": horizon_comments_url(assessment),
            "counts": horizon_scan_counts(assessment),
        }
        if can_view_comments_of(user, assessment)
        else None,
    }
