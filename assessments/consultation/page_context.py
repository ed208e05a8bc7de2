"""What the chapter and assessment pages show of the consultation, as template context.

Publication's views call the two hooks at the bottom; consultation's views reuse
`comments_context` to answer htmx requests with the refreshed comments section.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode

from assessments.accounts.permissions import can_manage_people
from assessments.consultation.forms import CommentForm
from assessments.consultation.models import Comment, RecommendationResponse
from assessments.consultation.permissions import (
    can_change_comment,
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
    comment_threads,
    last_reads,
    on_chapter_page,
    organisation_answers,
    organisation_progress,
    workflow_history,
)
from assessments.consultation.services import workflow
from assessments.core.chapter_figures import site_narrative_kept
from assessments.core.markdown import AfterParagraph, Rendered
from assessments.core.models import Chapter

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


def all_comments_url(chapter: Chapter, about: str = "") -> str:
    """The chapter's comments pages: every discussion, or those about one subject (subject_of)."""
    url = reverse("chapter_comments", args=chapter.url_args)
    return f"{url}?{urlencode({'about': about})}" if about else url


def comment_location(comment: Comment, *, whole: bool = False) -> str:
    """Where the comment shows now: on the chapter page if it is among what that shows, else (or
    when the `whole` discussion is wanted) on the chapter's comments page that lists it."""
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


def _discussions_link(chapter: Chapter, threads: Threads, subject: str, here: str) -> str:
    """Where a subject's discussions are: `here` on this page when it shows them all, else the
    comments pages."""
    return here if threads.all_shown_on(subject) else all_comments_url(chapter, subject)


def _more(chapter: Chapter, threads: Threads, subject: str) -> dict | None:
    """A link to a subject's other discussions, when this page shows only some of them."""
    if threads.all_shown_on(subject):
        return None
    return {"url": all_comments_url(chapter, subject), "count": threads.discussions_on[subject]}


def _paragraph_groups(chapter: Chapter, narrative: Rendered, threads: Threads) -> list[dict]:
    """Paragraph discussions in reading order; those on a paragraph since rewritten come last."""
    groups = []
    numbers = {anchor: n for n, (anchor, _) in enumerate(narrative.paragraphs, start=1)}
    for anchor, roots in threads.by_paragraph.items():
        number, more = numbers.get(anchor), _more(chapter, threads, anchor)
        groups.append({"anchor": anchor, "number": number, "threads": roots, "more": more})
    return sorted(groups, key=lambda g: (g["number"] is None, g["number"] or 0))


def _recommendation_groups(chapter: Chapter, recommendations, threads: Threads) -> list[dict]:
    return [
        {
            "recommendation": r,
            "number": n,
            "threads": threads.by_recommendation[r.pk],
            "more": _more(chapter, threads, f"r-{r.pk}"),
        }
        for n, r in enumerate(recommendations, start=1)
        if threads.by_recommendation.get(r.pk)
    ]


def comments_context(
    request: HttpRequest,
    chapter: Chapter,
    narrative: Rendered,
    form=None,
    *,
    threads=None,
    listing: bool = False,
):
    """What the comments includes need: threads, forms and the user's permissions as booleans.
    `threads`: the chapter's comment threads, when the caller has read them already;
    `listing`: for the chapter's comments pages rather than the chapter page."""
    user, assessment = request.user, chapter.assessment
    if not can_view_comments_of(user, assessment):
        return {"show_comments": False}
    recommendations = list(chapter.recommendations.all())
    if threads is None:
        threads = comment_threads(chapter)
    for root in threads.shown:
        for comment in [root, *root.thread_replies]:
            # Worked out once here: the templates name each author several times.
            author = comment.author
            comment.author_name = author.get_full_name() or author.username
            comment.organisation_name = author.organisation.name if author.organisation else ""
            comment.can_change = can_change_comment(user, comment)
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
        recommendation.thread_count = threads.discussions_on.get(subject, 0)
        recommendation.discussions_url = _discussions_link(
            chapter, threads, subject, f"#recommendation-{recommendation.pk}-comments"
        )
    on = request.GET.get("on", "")
    return {
        "show_comments": True,
        "threads": threads,
        "listing": listing,
        "chapter_url": chapter.get_absolute_url() if listing else "",
        "on_chapter_more": _more(chapter, threads, "chapter"),
        "paragraph_groups": _paragraph_groups(chapter, narrative, threads),
        "recommendation_groups": _recommendation_groups(chapter, recommendations, threads),
        "on_choices": on_choices(narrative, recommendations),
        "comment_form": form or CommentForm(initial={"on": on}),
        "selected_on": form["on"].value() if form else on,
        "can_comment": can_comment_on_assessment(user, assessment),
        "can_resolve": can_resolve_comments(user, assessment),
        "can_respond": can_respond_to_recommendations(user, assessment),
        "consultation_open": consultation_is_open(assessment),
        "answer_choices": RecommendationResponse.Answer.choices,
        "comments_url": reverse("chapter_comments", args=chapter.url_args),
        "all_comments_url": all_comments_url(chapter),
    }


def chapter_consultation_context(request: HttpRequest, chapter: Chapter) -> dict:
    """The chapter page's narrative, with each paragraph's comment links where comments show,
    and its comments, quick responses and "changed since you last read"."""
    user, assessment = request.user, chapter.assessment
    read_at = last_reads(user, [chapter.pk]).get(chapter.pk)
    threads, links = None, None
    if can_view_comments_of(user, assessment):
        # The threads are read before rendering, so that the renderer puts the links in as it
        # anchors the paragraphs: one render of the narrative.
        threads = comment_threads(chapter)
        can_comment = can_comment_on_assessment(user, assessment)
        links = _paragraph_links(chapter, threads, can_comment=can_comment)
    narrative = site_narrative_kept(chapter, after_paragraph=links)
    return comments_context(request, chapter, narrative, threads=threads) | {
        "narrative": narrative,
        "last_read_at": read_at,
        "changed_since_read": changed_since_read(chapter, read_at),
    }


def _paragraph_links(chapter: Chapter, threads: Threads, *, can_comment: bool) -> AfterParagraph:
    """The links to go under a paragraph: to comment on it and to its comments. Commenting on a
    paragraph starts where the reader is."""

    def links(anchor: str, number: int) -> str:
        context = {
            "anchor": anchor,
            "number": number,
            "count": threads.discussions_on.get(anchor, 0),
            "href": _discussions_link(chapter, threads, anchor, f"#{anchor}-comments"),
            "can_comment": can_comment,
        }
        return render_to_string(
            "assessments/includes/comments_paragraph_links.html", context
        ).strip()

    return links


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
        "workflow_history": workflow_history(assessment),
        "consultation_open": consultation_is_open(assessment),
        "can_comment": can_comment_on_assessment(user, assessment),
        "progress": organisation_progress(assessment, user, chapters_read=len(reads))
        if sees_own_progress(user, assessment)
        else None,
        "can_review_feedback": can_review_feedback(user, assessment),
        "can_manage_people": can_manage_people(user, assessment.partnership),
    }
