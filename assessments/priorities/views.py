"""The priority-setting pages: partners' scoring, and the results (ranking, matrix chart, and
for the analyst and chair every organisation's scores, the spread and who has not scored)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

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
    ranking_hidden_from,
)
from assessments.priorities.selectors import (
    own_scores,
    priority_matrix,
    scoring_progress,
    silent_scorers,
    theme_proposals,
)
from assessments.priorities.services.scores import organisation_scores_save, score_override_set


def _results_url(assessment) -> str:
    return reverse("priorities", args=[assessment.partnership.slug, assessment.year])


def priorities(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """The ranking and the matrix chart; the analyst and chair see the scores behind them. A
    partner whose organisation is still scoring sees why the ranking is not shown yet."""
    assessment = visible_assessment(request, slug, year)
    if assessment is None or not can_view_ranking(request.user, assessment):
        return refuse(request)
    can_score = can_see_scoring(request.user, assessment)
    context = assessment_context(request, assessment) | {"can_score": can_score}
    if ranking_hidden_from(request.user, assessment):
        context |= {
            "criteria": list(assessment.priority_criteria.all()),
            "progress": scoring_progress(assessment, request.user.organisation_id),
        }
        return render(request, "assessments/priorities.html", context)
    matrix = priority_matrix(assessment)
    reviews = can_review_scores(request.user, assessment)
    context |= {
        "matrix": matrix,
        "criteria": matrix.criteria,
        "chart": matrix_chart(matrix),
        "reviews": reviews,
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
    if (
        assessment is None
        or not can_view_ranking(request.user, assessment)
        or ranking_hidden_from(request.user, assessment)
    ):
        return refuse(request)
    chart = matrix_chart(priority_matrix(assessment))
    if chart is None:
        return refuse(request)
    response = HttpResponse(matrix_csv(chart), content_type="text/csv; charset=utf-8")
    name = f"priority-matrix-{assessment.partnership.slug}-{assessment.year}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_safe
def priorities_score(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """A partner's progress through the themes, each with its state, and the way in to the
    next theme to score; once scoring has closed, the scores their organisation gave."""
    assessment = visible_assessment(request, slug, year)
    if assessment is None or not can_see_scoring(request.user, assessment):
        return refuse(request)
    organisation_id = request.user.organisation_id
    is_open = can_score_for_organisation(request.user, assessment)
    progress = scoring_progress(assessment, organisation_id)
    context = assessment_context(request, assessment) | {
        "is_open": is_open,
        "progress": progress,
        "given": None if is_open else _given(assessment, organisation_id, progress),
    }
    return render(request, "assessments/priorities_score.html", context)


def _given(assessment, organisation_id, progress) -> list[tuple]:
    """Each theme with the organisation's score (or None) for each criterion, once closed."""
    criteria = list(assessment.priority_criteria.all())
    own = own_scores(assessment, organisation_id)
    return [
        (state.chapter, [(c, own.get((state.chapter.pk, c.pk))) for c in criteria])
        for state in progress.themes
    ]


def priorities_score_theme(
    request: HttpRequest, slug: str, year: int, chapter_slug: str
) -> HttpResponse:
    """One theme's scores for the partner's own organisation, saved as they are sent, with
    "Save and next" on to the following theme."""
    assessment = visible_assessment(request, slug, year)
    if assessment is None or not can_see_scoring(request.user, assessment):
        return refuse(request)
    chapter = assessment.chapters.themes().filter(slug=chapter_slug).first()
    if chapter is None:
        return refuse(request)
    is_open = can_score_for_organisation(request.user, assessment)
    posted = request.method == "POST"
    criteria = list(assessment.priority_criteria.all())
    form = ScoringForm(
        request.POST if posted and is_open else None,
        chapter=chapter,
        criteria=criteria,
        existing=own_scores(assessment, request.user.organisation_id),
    )
    if posted and is_open and form.is_valid():
        organisation_scores_save(assessment=assessment, by=request.user, given=form.given())
        return _after_saving(request, assessment, chapter)
    progress = scoring_progress(assessment, request.user.organisation_id)
    context = assessment_context(request, assessment) | {
        "is_open": is_open,
        "chapter": chapter,
        "form": form,
        "questions": _questions(form, theme_proposals(assessment, chapter, criteria)),
        "progress": progress,
        "position": [s.chapter.pk for s in progress.themes].index(chapter.pk) + 1,
    }
    # Scores sent after the consultation closed are refused, with the page saying why.
    status = 403 if posted and not is_open else 200
    return render(request, "assessments/priorities_score_theme.html", context, status=status)


def _questions(form: ScoringForm, proposals: dict) -> list[tuple]:
    """Each criterion's fields with its hint: the question and, for a criterion the data
    answers (volume, trend), the score the data proposes and the figure it is read from."""
    questions = []
    for criterion, score, comment in form.by_criterion():
        hint = [criterion.question]
        proposal = proposals.get(criterion.pk)
        if proposal is not None and proposal.score is None:
            hint.append(f"The data proposes no score: {proposal.figure}.")
        elif proposal is not None:
            hint.append(
                f"The data proposes {proposal.score} from {proposal.figure}; it counts where no "
                "organisation gives a score."
            )
        questions.append((criterion, score, comment, hint))
    return questions


def _after_saving(request: HttpRequest, assessment, chapter) -> HttpResponse:
    """Say what is saved and how far the organisation has got; go on to the next theme, or to
    the list after the last."""
    progress = scoring_progress(assessment, request.user.organisation_id)
    done = f"{progress.scored} of {progress.total} themes scored"
    messages.success(request, f"{chapter.title} saved: {done}")
    following = progress.after(chapter)
    if following is None:
        return redirect(_score_url(assessment))
    return redirect(_score_url(assessment, following))


def _score_url(assessment, chapter=None) -> str:
    args = [assessment.partnership.slug, assessment.year]
    if chapter is None:
        return reverse("priorities_score", args=args)
    return reverse("priorities_score_theme", args=[*args, chapter.slug])


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
