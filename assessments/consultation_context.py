"""What the chapter and assessment pages show of the consultation, as template context.

views.py calls the two hooks at the bottom; views_consultation.py reuses `comments_context` to
answer htmx requests with the refreshed comments section.
"""

from __future__ import annotations

import re

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe

from . import permissions, querysets
from .forms_consultation import CommentForm
from .markdown import Rendered
from .models import Chapter, RecommendationResponse
from .services import reading, workflow

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


def _paragraph_groups(narrative: Rendered, threads: querysets.Threads) -> list[dict]:
    """Paragraph discussions in reading order; those on a paragraph since rewritten come last."""
    groups = []
    numbers = {anchor: n for n, (anchor, _) in enumerate(narrative.paragraphs, start=1)}
    for anchor, roots in threads.by_paragraph.items():
        groups.append({"anchor": anchor, "number": numbers.get(anchor), "threads": roots})
    return sorted(groups, key=lambda g: (g["number"] is None, g["number"] or 0))


def _recommendation_groups(recommendations, threads: querysets.Threads) -> list[dict]:
    return [
        {"recommendation": r, "number": n, "threads": threads.by_recommendation[r.pk]}
        for n, r in enumerate(recommendations, start=1)
        if threads.by_recommendation.get(r.pk)
    ]


def comments_context(request: HttpRequest, chapter: Chapter, narrative: Rendered, form=None):
    """What the comments includes need: threads, forms and the user's permissions as booleans."""
    user, assessment = request.user, chapter.assessment
    if not permissions.can_view_comments_of(user, assessment):
        return {"show_comments": False}
    recommendations = list(chapter.recommendations.all())
    threads = querysets.comment_threads(chapter)
    for roots in [
        threads.on_chapter,
        *threads.by_paragraph.values(),
        *threads.by_recommendation.values(),
    ]:
        for root in roots:
            for comment in [root, *root.thread_replies]:
                comment.can_change = permissions.can_change_comment(user, comment)
    answers = querysets.organisation_answers(chapter, user.organisation_id)
    for number, recommendation in enumerate(recommendations, start=1):
        recommendation.number = number
        recommendation.our_answer = answers.get(recommendation.pk, "")
        recommendation.our_answer_label = (
            Answer(recommendation.our_answer).label if recommendation.our_answer else ""
        )
        recommendation.thread_count = len(threads.by_recommendation.get(recommendation.pk, []))
    on = request.GET.get("on", "")
    return {
        "show_comments": True,
        "threads": threads,
        "paragraph_groups": _paragraph_groups(narrative, threads),
        "recommendation_groups": _recommendation_groups(recommendations, threads),
        "on_choices": on_choices(narrative, recommendations),
        "comment_form": form or CommentForm(initial={"on": on}),
        "selected_on": form["on"].value() if form else on,
        "can_resolve": permissions.can_resolve_comments(user, assessment),
        "can_respond": permissions.can_respond_to_recommendations(user, assessment),
        "consultation_open": permissions.consultation_is_open(assessment),
        "answer_choices": RecommendationResponse.Answer.choices,
        "comments_url": reverse("comment_post", args=chapter_args(chapter)),
    }


def chapter_consultation_context(request: HttpRequest, chapter: Chapter, narrative) -> dict:
    """Comments, quick responses and "changed since you last read" for the chapter page."""
    read_at = querysets.last_reads(request.user, [chapter.pk]).get(chapter.pk)
    reading.chapter_mark_read(user=request.user, chapter=chapter)
    context = comments_context(request, chapter, narrative)
    if context["show_comments"]:
        context["narrative"] = _with_paragraph_links(
            narrative, context["threads"], can_comment=_can_comment(request, chapter)
        )
    return context | {
        "last_read_at": read_at,
        "changed_since_read": querysets.changed_since_read(chapter, read_at),
    }


def _can_comment(request: HttpRequest, chapter: Chapter) -> bool:
    return permissions.can_comment_on_assessment(request.user, chapter.assessment)


_PARAGRAPH = re.compile(r'(<p id="(p-[0-9a-f]+(?:-\d+)?)">.*?</p>)', re.S)


def _with_paragraph_links(narrative: Rendered, threads, *, can_comment: bool) -> Rendered:
    """The narrative with, under each paragraph, a link to comment on it and to its comments:
    commenting on a paragraph starts where the reader is."""
    numbers = {anchor: n for n, (anchor, _) in enumerate(narrative.paragraphs, start=1)}

    def add_links(match: re.Match) -> str:
        anchor = match.group(2)
        links = render_to_string(
            "assessments/includes/comments_paragraph_links.html",
            {
                "anchor": anchor,
                "number": numbers.get(anchor),
                "count": len(threads.by_paragraph.get(anchor, [])),
                "can_comment": can_comment,
            },
        )
        return match.group(1) + links.strip()

    html = _PARAGRAPH.sub(add_links, str(narrative.html))
    return Rendered(html=mark_safe(html), paragraphs=narrative.paragraphs)  # noqa: S308


def chapter_args(chapter: Chapter) -> list:
    assessment = chapter.assessment
    return [assessment.partnership.slug, assessment.year, chapter.slug]


def assessment_consultation_context(request: HttpRequest, assessment, chapters) -> dict:
    """The hook views.assessment_detail calls: workflow steps, history, progress, reads."""
    user = request.user
    reads = querysets.last_reads(user, [chapter.pk for chapter in chapters])
    for chapter in chapters:
        chapter.changed_since_read = querysets.changed_since_read(chapter, reads.get(chapter.pk))
    return {
        "workflow_actions": workflow.available_actions(user, assessment),
        "workflow_history": querysets.workflow_history(assessment),
        "consultation_open": permissions.consultation_is_open(assessment),
        "progress": querysets.organisation_progress(assessment, user)
        if permissions.can_view_comments_of(user, assessment)
        else None,
        "can_review_feedback": permissions.can_review_feedback(user, assessment),
        "can_manage_people": permissions.can_manage_people(user, assessment.partnership),
    }
