"""Comments on chapters, paragraphs and recommendations, and on the horizon scan's rows, and
organisations' quick responses.

Every write checks the permissions first and changes nothing when refused. Notifications are
enqueued on commit, so an email never announces a comment that was rolled back.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from assessments.consultation.models import Comment, RecommendationResponse
from assessments.consultation.permissions import (
    can_change_comment,
    can_comment_on_assessment,
    can_resolve_comments,
    can_respond_to_recommendations,
)
from assessments.core.jobs import enqueue
from assessments.core.markdown import render_markdown
from assessments.core.models import Assessment, Chapter, Recommendation, User

MAX_BODY = 5000


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": "Enter your comment"})
    if len(body) > MAX_BODY:
        raise ValidationError({"body": f"Comments must be {MAX_BODY:,} characters or fewer"})
    return body


def comment_target(chapter: Chapter, on: str) -> dict:
    """What a new comment is attached to, from the form's "on" value, with the text it quotes.

    "" is the whole chapter, "p-…" a paragraph anchor, "r-<id>" one of the chapter's
    recommendations.
    """
    if not on:
        return {}
    if on.startswith("r-") and on[2:].isdigit():
        recommendation = chapter.recommendations.filter(pk=int(on[2:])).first()
        if recommendation is not None:
            return {"recommendation": recommendation, "quoted_text": recommendation.text}
    paragraphs = dict(render_markdown(chapter.narrative).paragraphs)
    if on in paragraphs:
        return {"paragraph_anchor": on, "quoted_text": paragraphs[on]}
    raise ValidationError({"on": "Choose a part of this chapter to comment on"})


def horizon_comment_target(assessment: Assessment, on: str) -> dict:
    """The horizon scan's row a new comment is on, from the form's "h-<id>", with its issue
    quoted: one of this assessment's rows."""
    item = None
    if on.startswith("h-") and on[2:].isdigit():
        item = assessment.horizon_scan.filter(pk=int(on[2:])).first()
    if item is None:
        raise ValidationError({"on": "Choose a row of the horizon scan to comment on"})
    return {"horizon_item": item, "quoted_text": item.issue}


def _check_may_comment(user: User, assessment: Assessment) -> None:
    if not can_comment_on_assessment(user, assessment):
        raise PermissionDenied("Comments are closed for this assessment")


@transaction.atomic
def comment_create(
    *,
    author: User,
    body: str,
    chapter: Chapter | None = None,
    assessment: Assessment | None = None,
    on: str = "",
    parent: Comment | None = None,
) -> Comment:
    """Post a comment on the chapter (or a part of it), or with `assessment` instead on a row
    of its horizon scan, or a reply in a thread there."""
    assessment = chapter.assessment if chapter is not None else assessment
    _check_may_comment(author, assessment)
    body = _clean_body(body)
    if parent is not None:
        if parent.chapter_id != getattr(chapter, "pk", None) or (
            parent.assessment_id != assessment.pk
        ):
            raise ValidationError({"parent": "That discussion is about something else"})
        target = {"horizon_item_id": parent.horizon_item_id}
    elif chapter is not None:
        target = comment_target(chapter, on)
    else:
        target = horizon_comment_target(assessment, on)
    comment = Comment(
        author=author,
        assessment=assessment,
        chapter=chapter,
        body=body,
        # Threads are one level deep: a reply to a reply joins the same thread.
        parent_id=(parent.parent_id or parent.pk) if parent else None,
        **target,
    )
    comment.save()

    enqueue("comment_posted_notify_task", comment.pk)
    return comment


def _check_may_change(user: User, comment: Comment) -> None:
    if not can_change_comment(user, comment):
        raise PermissionDenied("Comments can be changed by their author for 15 minutes")


@transaction.atomic
def comment_edit(*, comment: Comment, by: User, body: str) -> Comment:
    """The author rewrites their comment, within the edit window."""
    _check_may_change(by, comment)
    comment.body = _clean_body(body)
    comment.edited_at = timezone.now()
    comment.save(update_fields=["body", "edited_at"])
    return comment


@transaction.atomic
def comment_delete(*, comment: Comment, by: User) -> None:
    """The author deletes their comment, within the edit window, unless others have replied."""
    _check_may_change(by, comment)
    if comment.replies.exists():
        raise ValidationError("Others have replied to this comment: edit it instead")
    comment.delete()


def _thread_root(comment: Comment, by: User) -> Comment:
    if not can_resolve_comments(by, comment.assessment):
        raise PermissionDenied("Only the analyst resolves comments")
    if comment.parent_id:
        raise ValidationError("Resolve the discussion from its first comment")
    return comment


@transaction.atomic
def comment_resolve(*, comment: Comment, by: User, note: str = "") -> Comment:
    """The analyst marks a thread resolved, with an optional response to the partners."""
    comment = _thread_root(comment, by)
    comment.resolved_at = timezone.now()
    comment.resolved_by = by
    comment.resolution_note = (note or "").strip()[:MAX_BODY]
    comment.save(update_fields=["resolved_at", "resolved_by", "resolution_note"])

    enqueue("comment_resolved_notify_task", comment.pk)
    return comment


@transaction.atomic
def comment_reopen(*, comment: Comment, by: User) -> Comment:
    """The analyst opens a resolved thread again; the earlier response is kept for the record."""
    comment = _thread_root(comment, by)
    comment.resolved_at = None
    comment.resolved_by = None
    comment.save(update_fields=["resolved_at", "resolved_by"])
    return comment


# Answers that are not plain support say what the organisation would change, or why not.
ANSWERS_WITH_REASON = {
    RecommendationResponse.Answer.SUPPORT_WITH_CHANGES,
    RecommendationResponse.Answer.DO_NOT_SUPPORT,
}
REASON_MISSING = "Say which changes your organisation would want, or why it does not support it"


@transaction.atomic
def recommendation_respond(
    *, recommendation: Recommendation, by: User, answer: str, reason: str = ""
) -> RecommendationResponse:
    """Record (or change) the user's organisation's answer to a recommendation, with the
    reason that "Support with changes" and "Do not support" need."""
    if not can_respond_to_recommendations(by, recommendation.chapter.assessment):
        raise PermissionDenied("Only partners respond, while consultation is open")
    if answer not in RecommendationResponse.Answer.values:
        raise ValidationError({"answer": "Choose whether your organisation supports it"})
    reason = reason.strip() if answer in ANSWERS_WITH_REASON else ""
    if answer in ANSWERS_WITH_REASON and not reason:
        raise ValidationError({"reason": REASON_MISSING})
    response, _ = RecommendationResponse.objects.update_or_create(
        recommendation=recommendation,
        organisation_id=by.organisation_id,
        defaults={"answer": answer, "reason": reason, "by": by, "updated_at": timezone.now()},
    )
    return response
