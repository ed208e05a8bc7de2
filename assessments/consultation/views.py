"""Pages of the partner consultation: comments, quick responses, the workflow, the analyst's
feedback overview and notification settings.

Forms are plain POSTs that work without JavaScript (post, redirect, read); with htmx the same
POST answers with the part of the page it changed, swapped in place.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods, require_POST

from assessments.consultation import readiness
from assessments.consultation.feedback_export import feedback_csv, feedback_xlsx
from assessments.consultation.forms import (
    CommentEditForm,
    CommentForm,
    FeedbackFilterForm,
    NotificationPreferenceForm,
    ResolveForm,
    ResponseForm,
    TransitionForm,
)
from assessments.consultation.models import Comment, WorkflowEvent
from assessments.consultation.page_context import (
    comment_location,
    comments_context,
    comments_home,
    horizon_comments_context,
    on_choices,
    response_draft_key,
    subject_label,
)
from assessments.consultation.permissions import (
    can_change_comment,
    can_review_feedback,
    can_view_comment,
    can_view_comments_of,
    consultation_is_open,
)
from assessments.consultation.selectors import (
    answers_by_recommendation,
    comments_page,
    consultation_responses,
    feedback_comments,
    feedback_counts,
    horizon_scan_counts,
    notification_preference_of,
    open_discussions_by_chapter,
)
from assessments.consultation.services import comments as comment_service
from assessments.consultation.services import workflow
from assessments.consultation.services.notifications import notification_preference_set
from assessments.core.chapter_figures import kept_narrative
from assessments.core.idempotency import idempotent, located, refusal
from assessments.core.models import Chapter, Recommendation, Role
from assessments.core.permissions import active_members_with_roles
from assessments.core.spreadsheet import XLSX_CONTENT_TYPE
from assessments.core.views import assessment_context, form_errors, refuse, visible_assessment
from assessments.indicators.selectors import chapter_for_page
from assessments.reporting.editions import next_edition_number, working_document


def _chapter_or_404(request, slug, year, chapter_slug) -> Chapter:
    assessment = visible_assessment(request, slug, year)
    chapter = assessment and chapter_for_page(assessment, chapter_slug)
    if not chapter:
        raise Http404("No such chapter")
    chapter.assessment = assessment
    return chapter


def _comments_response(request, chapter: Chapter | None, *, message: str, comment=None, form=None):
    """htmx: the chapter page's refreshed comments section; otherwise (and for the horizon
    scan's, `chapter` None) back to the page that shows the comment."""
    if request.htmx and chapter is not None:
        context = assessment_context(request, chapter.assessment) | {"chapter": chapter}
        context |= comments_context(request, chapter, kept_narrative(chapter), form)
        context["comment_status"] = "" if form else message
        # The comment may not be among the discussions the chapter page shows.
        context["comment_status_url"] = comment.get_absolute_url() if comment else ""
        response = render(request, "assessments/includes/comments.html", context)
        return located(response, comment_location(comment)) if comment and not form else response
    messages.success(request, message)
    return redirect(comment_location(comment))


@login_required
@require_http_methods(["GET", "POST"])
@idempotent
def chapter_comments(request, slug: str, year: int, chapter_slug: str) -> HttpResponse:
    """GET: every discussion on the chapter (or about one part of it), page by page, each in
    full; POST: a new comment or reply."""
    chapter = _chapter_or_404(request, slug, year, chapter_slug)
    if request.method == "POST":
        return _comment_post(request, chapter)
    if not can_view_comments_of(request.user, chapter.assessment):
        raise Http404("No such chapter")
    about = request.GET.get("about", "")
    narrative = kept_narrative(chapter)
    threads, page = comments_page(chapter, page=request.GET.get("page"), about=about)
    context = assessment_context(request, chapter.assessment) | {
        "chapter": chapter,
        "chapter_url": chapter.get_absolute_url(),
        "about": about,
        "about_label": subject_label(about, narrative, chapter.recommendations.all()),
        "page": page,
        "page_numbers": page.paginator.get_elided_page_range(page.number, on_each_side=1),
        "page_query": f"{urlencode({'about': about})}&" if about else "",
    }
    context |= comments_context(request, chapter, narrative, threads=threads, about=about)
    return render(request, "assessments/chapter_comments.html", context)


def _comment_post(request, chapter: Chapter) -> HttpResponse:
    form = CommentForm(request.POST)
    comment = _create_comment(request, form, chapter=chapter) if form.is_valid() else None
    if comment is None:
        return _comment_form_errors(request, chapter, form)
    return _comments_response(request, chapter, message=_posted(comment), comment=comment)


def _posted(comment: Comment) -> str:
    return "Your reply has been posted" if comment.parent_id else "Your comment has been posted"


@login_required
@require_http_methods(["GET", "POST"])
@idempotent
def horizon_comments(request, slug: str, year: int) -> HttpResponse:
    """GET: every discussion on the horizon scan, under the row it is about; POST: a new
    comment or reply. The partnership's members only, as a chapter's comments."""
    assessment = visible_assessment(request, slug, year)
    if assessment is None or not can_view_comments_of(request.user, assessment):
        raise Http404("No such assessment")
    form = None
    if request.method == "POST":
        form = CommentForm(request.POST)
        comment = _create_comment(request, form, assessment=assessment) if form.is_valid() else None
        if comment is not None:
            return _comments_response(request, None, message=_posted(comment), comment=comment)
    context = assessment_context(request, assessment)
    context |= horizon_comments_context(request, assessment, form)
    return render(request, "assessments/horizon_comments.html", context)


@login_required
def comment_link(request, pk: int) -> HttpResponse:
    """A comment's lasting link (emails carry it): to wherever it shows now; `?whole=1`: to
    its discussion in full."""
    comment = _visible_comment(request, pk)
    return redirect(comment_location(comment, whole=request.GET.get("whole") == "1"))


def _create_comment(
    request, form: CommentForm, *, chapter: Chapter | None = None, assessment=None
) -> Comment | None:
    """The new comment on the chapter, or on the assessment's horizon scan, or None with the
    service's objections put on the form."""
    parent_id = form.cleaned_data["parent"]
    # A reply stays among the discussions it was posted from: a chapter's, or the scan's.
    among = chapter.comments if chapter else assessment.comments.filter(chapter__isnull=True)
    parent = among.filter(pk=parent_id).first() if parent_id else None
    if parent_id and parent is None:
        raise Http404("No such comment")
    try:
        return comment_service.comment_create(
            author=request.user,
            chapter=chapter,
            assessment=assessment,
            body=form.cleaned_data["body"],
            on=form.cleaned_data["on"],
            parent=parent,
        )
    except PermissionDenied as refused:
        raise Http404("Comments are closed") from refused
    except ValidationError as error:
        form_errors(error, form)
        return None


def _comment_form_errors(request, chapter: Chapter, form) -> HttpResponse:
    if request.htmx:
        return _comments_response(request, chapter, message="", form=form)
    context = assessment_context(request, chapter.assessment) | {
        "chapter": chapter,
        "comment_form": form,
        "selected_on": form["on"].value(),
        "on_choices": on_choices(kept_narrative(chapter), chapter.recommendations.all()),
        "comments_url": reverse("chapter_comments", args=chapter.url_args),
    }
    return render(request, "assessments/comment_form.html", context)


def _visible_comment(request, pk: int) -> Comment:
    comment = get_object_or_404(
        Comment.objects.select_related(
            "assessment__partnership", "chapter__assessment__partnership", "author"
        ),
        pk=pk,
    )
    if not can_view_comment(request.user, comment):
        raise Http404("No such comment")
    return comment


def _comment_page(request, comment: Comment, template: str, **extra) -> HttpResponse:
    context = assessment_context(request, comment.assessment) | {
        "chapter": comment.chapter,
        "comment": comment,
        "subject_title": comment.subject_title.capitalize()
        if comment.is_on_horizon_scan
        else comment.subject_title,
        "back_url": comments_home(comment),
        **extra,
    }
    return render(request, template, context)


def _changeable_comment(request, pk: int) -> Comment:
    comment = _visible_comment(request, pk)
    if not can_change_comment(request.user, comment):
        raise Http404("This comment can no longer be changed")
    return comment


def _back_to_thread(comment: Comment) -> HttpResponse:
    return redirect(comment_location(comment))


@login_required
def comment_edit(request, pk: int) -> HttpResponse:
    comment = _changeable_comment(request, pk)
    form = CommentEditForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST" and form.is_valid():
        try:
            comment_service.comment_edit(
                comment=comment, by=request.user, body=form.cleaned_data["body"]
            )
        except ValidationError as error:
            form_errors(error, form)
        else:
            messages.success(request, "Your comment has been changed")
            return _back_to_thread(comment)
    return _comment_page(request, comment, "assessments/comment_edit.html", form=form)


@login_required
def comment_delete(request, pk: int) -> HttpResponse:
    comment = _changeable_comment(request, pk)
    error = ""
    if request.method == "POST":
        try:
            comment_service.comment_delete(comment=comment, by=request.user)
        except ValidationError as refused:
            error = refused.messages[0]
        else:
            messages.success(request, "Your comment has been deleted")
            return redirect(comments_home(comment))
    return _comment_page(request, comment, "assessments/comment_delete.html", error=error)


@login_required
@require_POST
def comment_resolve(request, pk: int) -> HttpResponse:
    comment = _visible_comment(request, pk)
    form = ResolveForm(request.POST)
    reopen = request.POST.get("reopen") == "1"
    try:
        if reopen:
            comment_service.comment_reopen(comment=comment, by=request.user)
        else:
            note = form.cleaned_data["note"] if form.is_valid() else ""
            comment_service.comment_resolve(comment=comment, by=request.user, note=note)
    except (PermissionDenied, ValidationError) as error:
        raise Http404("This discussion cannot be resolved here") from error
    message = "The discussion has been reopened" if reopen else "The discussion has been resolved"
    return _comments_response(request, comment.chapter, message=message, comment=comment)


@login_required
@require_POST
@idempotent
def recommendation_response(
    request, slug: str, year: int, chapter_slug: str, pk: int
) -> HttpResponse:
    chapter = _chapter_or_404(request, slug, year, chapter_slug)
    recommendation = get_object_or_404(Recommendation, pk=pk, chapter=chapter)
    recommendation.chapter = chapter
    form = ResponseForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            comment_service.recommendation_respond(
                recommendation=recommendation,
                by=request.user,
                answer=form.cleaned_data["answer"],
                reason=form.cleaned_data["reason"],
            )
        except PermissionDenied as refused:
            raise Http404("Responses are closed") from refused
        except ValidationError as refused:
            error = refused.messages[0]
    else:
        error = "Choose whether your organisation supports it"
    message = "" if error else "Your organisation’s response has been saved"
    location = f"{chapter.get_absolute_url()}#recommendation-{recommendation.pk}"
    if error:
        # Bad input loses nothing: the form comes back with what was chosen and typed.
        typed = (request.POST.get("answer", ""), request.POST.get("reason", ""))
        request.session[response_draft_key(recommendation.pk)] = typed
    if request.htmx:
        context = assessment_context(request, chapter.assessment) | {"chapter": chapter}
        context |= comments_context(request, chapter, kept_narrative(chapter))
        recommendation = next(r for r in chapter.recommendations.all() if r.pk == recommendation.pk)
        context |= {
            "recommendation": recommendation,
            "response_status": message,
            "response_error": error,
        }
        response = render(request, "assessments/includes/comments_recommendation.html", context)
        return response if error else located(response, location)
    if error:
        messages.error(request, error)
        return refusal(redirect(location))
    messages.success(request, message)
    return redirect(location)


# Which form field a workflow refusal belongs to (None: the whole form).
TRANSITION_ERROR_FIELDS = {
    "reason": "reason",
    "closes_on": "closes_on",
    "past": "closes_on",
    "readiness": "override_reason",
}


@login_required
def transition(request, slug: str, year: int) -> HttpResponse:
    assessment = visible_assessment(request, slug, year)
    action = request.GET.get("action") or request.POST.get("action", "")
    if assessment is None or action not in dict(
        workflow.available_actions(request.user, assessment)
    ):
        raise Http404("No such step")
    step = workflow.STEPS[action]
    early = action == workflow.Action.APPROVE and consultation_is_open(assessment)
    form = TransitionForm(request.POST or None, confirm_before_closing=early)
    if request.method == "POST" and form.is_valid():
        try:
            workflow.assessment_transition(
                assessment=assessment,
                action=action,
                by=request.user,
                reason=form.cleaned_data["reason"],
                closes_on=form.cleaned_data["closes_on"],
                override_reason=form.cleaned_data["override_reason"],
                document_sha256=form.cleaned_data["document_sha256"],
            )
        except ValidationError as error:
            form.add_error(TRANSITION_ERROR_FIELDS.get(error.code), error.messages)
        else:
            messages.success(request, WorkflowEvent.Action(action).label)
            return redirect(assessment.get_absolute_url())
    context = assessment_context(request, assessment) | {
        "form": form,
        "action": action,
        "step": step,
        "failures": readiness.failures_for(assessment, action),
        # Listed, never blocking: figures without a comparable change, undefined abbreviations.
        "notices": readiness.readiness_notices(assessment)
        if action in readiness.OVERRIDABLE_ACTIONS + readiness.GATED_ACTIONS
        else [],
        "gated": action in readiness.GATED_ACTIONS,
        # Whom those who cannot fix a failure ask.
        "analysts": active_members_with_roles(assessment.partnership_id, {Role.ANALYST}),
    }
    if action == workflow.Action.APPROVE:
        # What the chair approves over: shown before the button, not found out afterwards; and
        # the fingerprint of the document they approve, sent back with the button.
        document_sha256 = working_document(assessment).sha256
        if form.is_bound:  # refused because it changed: the page now shows the new document
            form.data = form.data.copy()
            form.data["document_sha256"] = document_sha256
        else:
            form.initial["document_sha256"] = document_sha256
        responses = consultation_responses(assessment)
        context |= {
            "open_discussions": open_discussions_by_chapter(assessment),
            "horizon_open": horizon_scan_counts(assessment)["open"],
            "responses": responses,
            "unanswered": responses.unanswered,
            "before_closing": early,
            "document_sha256": document_sha256,
            "next_edition": next_edition_number(assessment),
        }
    return render(request, "assessments/transition.html", context)


# The analyst's feedback overview ----------------------------------------------------------


def _reviewable_assessment(request, slug: str, year: int):
    assessment = visible_assessment(request, slug, year)
    if assessment is None or not can_review_feedback(request.user, assessment):
        return None
    return assessment


def _filtered_feedback(request, assessment):
    form = FeedbackFilterForm(request.GET or None, assessment=assessment)
    filters = form.cleaned_data if form.is_valid() else {}
    return form, feedback_comments(
        assessment,
        chapter=filters.get("chapter"),
        organisation=filters.get("organisation"),
        state=filters.get("state", ""),
    )


def feedback(request, slug: str, year: int) -> HttpResponse:
    assessment = _reviewable_assessment(request, slug, year)
    if assessment is None:
        return refuse(request)
    form, threads = _filtered_feedback(request, assessment)
    context = assessment_context(request, assessment) | {
        "filter_form": form,
        "threads": threads,
        "counts": feedback_counts(assessment),
        "answers": answers_by_recommendation(assessment),
        "query": request.GET.urlencode(),
    }
    return render(request, "assessments/feedback.html", context)


def feedback_export(request, slug: str, year: int, file_format: str) -> HttpResponse:
    assessment = _reviewable_assessment(request, slug, year)
    if assessment is None:
        return refuse(request)
    if file_format not in ("csv", "xlsx"):
        raise Http404("No such format")
    _, threads = _filtered_feedback(request, assessment)
    name = f"feedback-{assessment.partnership.slug}-{assessment.year}.{file_format}"
    answers = answers_by_recommendation(assessment)
    if file_format == "xlsx":
        content_type = XLSX_CONTENT_TYPE
        response = HttpResponse(feedback_xlsx(threads, answers), content_type=content_type)
    else:
        response = HttpResponse(
            feedback_csv(threads, answers), content_type="text/csv; charset=utf-8"
        )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def notification_settings(request) -> HttpResponse:
    current = notification_preference_of(request.user)
    initial = {"new_comments": current.new_comments, "workflow_emails": current.workflow_emails}
    form = NotificationPreferenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        notification_preference_set(user=request.user, **form.cleaned_data)
        messages.success(request, "Your email settings have been saved")
        return redirect("notification_settings")
    return render(request, "assessments/notification_settings.html", {"form": form})
