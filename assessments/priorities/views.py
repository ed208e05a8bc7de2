"""The priority-setting pages: partners' scoring, and the results (ranking, matrix chart, and
for the analyst and chair every organisation's scores, the spread and who has not scored)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from assessments.consultation.models import ChaseReminder
from assessments.consultation.permissions import can_chase_organisations
from assessments.consultation.services.chasing import silent_organisations_chase
from assessments.core.views import assessment_context, refuse, visible_assessment
from assessments.priorities.forms import OverrideForm, ScoringForm
from assessments.priorities.matrix_chart import matrix_chart, matrix_csv
from assessments.priorities.permissions import (
    can_override_scores,
    can_review_scores,
    can_score_for_organisation,
    can_see_scoring,
    can_view_ranking,
)
from assessments.priorities.selectors import own_scores, priority_matrix, silent_scorers
from assessments.priorities.services.scores import organisation_scores_save, score_override_set


def _results_url(assessment) -> str:
    return reverse("priorities", args=[assessment.partnership.slug, assessment.year])


def priorities(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """The ranking and the matrix chart; the analyst and chair see the scores behind them."""
    assessment = visible_assessment(request, slug, year)
    if assessment is None or not can_view_ranking(request.user, assessment):
        return refuse(request)
    matrix = priority_matrix(assessment)
    reviews = can_review_scores(request.user, assessment)
    context = assessment_context(request, assessment) | {
        "matrix": matrix,
        "chart": matrix_chart(matrix),
        "reviews": reviews,
        "can_score": can_see_scoring(request.user, assessment),
        "can_chase": reviews and can_chase_organisations(request.user, assessment),
        "override_form": (
            OverrideForm(assessment=assessment)
            if can_override_scores(request.user, assessment)
            else None
        ),
    }
    return render(request, "assessments/priorities.html", context)


def priorities_matrix_csv(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    assessment = visible_assessment(request, slug, year)
    if assessment is None or not can_view_ranking(request.user, assessment):
        return refuse(request)
    chart = matrix_chart(priority_matrix(assessment))
    if chart is None:
        return refuse(request)
    response = HttpResponse(matrix_csv(chart), content_type="text/csv; charset=utf-8")
    name = f"priority-matrix-{assessment.partnership.slug}-{assessment.year}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def priorities_score(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """A partner's scores for their own organisation, while the consultation is open."""
    assessment = visible_assessment(request, slug, year)
    if assessment is None or not can_see_scoring(request.user, assessment):
        return refuse(request)
    is_open = can_score_for_organisation(request.user, assessment)
    posted = request.method == "POST"
    form = ScoringForm(
        request.POST if posted and is_open else None,
        chapters=list(assessment.chapters.themes().order_by("order")),
        criteria=list(assessment.priority_criteria.all()),
        existing=own_scores(assessment, request.user.organisation_id),
    )
    if posted and is_open and form.is_valid():
        count = organisation_scores_save(assessment=assessment, by=request.user, given=form.given())
        organisation = request.user.organisation.name
        messages.success(request, f"Scores saved: {organisation} has given {count} scores")
        return redirect(reverse("priorities_score", args=[slug, year]))
    context = assessment_context(request, assessment) | {
        "is_open": is_open,
        "form": form if is_open else None,
        "themes": form.themes(),
    }
    # Scores sent after the consultation closed are refused, with the page saying why.
    status = 403 if posted and not is_open else 200
    return render(request, "assessments/priorities_score.html", context, status=status)


@require_POST
def priorities_override(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    assessment = visible_assessment(request, slug, year)
    if assessment is None or not can_override_scores(request.user, assessment):
        return refuse(request)
    form = OverrideForm(request.POST, assessment=assessment)
    try:
        if not form.is_valid():
            raise ValidationError("Choose a theme and a criterion.")
        score_override_set(**form.cleaned_data, by=request.user)
    except ValidationError as error:
        messages.error(request, "The override was not saved. " + " ".join(error.messages))
    else:
        messages.success(request, "Override saved")
    return redirect(_results_url(assessment) + "#override")


@require_POST
def priorities_chase(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """Remind the organisations that have not scored, as the consultation's chasing does."""
    assessment = visible_assessment(request, slug, year)
    if assessment is None or not can_chase_organisations(request.user, assessment):
        return refuse(request)
    reminded, skipped = silent_organisations_chase(
        assessment=assessment,
        by=request.user,
        silent=silent_scorers,
        about=ChaseReminder.About.SCORES,
    )
    if reminded:
        names = ", ".join(org.name for org in reminded)
        messages.success(request, f"A reminder is on its way to: {names}")
    if skipped:
        messages.info(request, f"{len(skipped)} already reminded today: no second email sent")
    if not reminded and not skipped:
        messages.info(request, "Every organisation has scored: nobody to remind")
    return redirect(_results_url(assessment) + "#not-scored")
