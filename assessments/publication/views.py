"""The assessment as people read it on the site, and publication's own pages.

The home page, an assessment's page and its chapters show each reader what their role and the
assessment's status allow (a page the user may not see answers 404 to a signed-in user, so that
a restricted object's existence is not revealed, and sends a signed-out user to sign in); then
the board's cover paper, a chapter compared with last year's and with its approved version, the
board meeting and the accessibility statement."""

from __future__ import annotations

from functools import cache as cache_per_call

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from assessments.appendices.permissions import appendices_visible_to
from assessments.consultation.page_context import (
    assessment_consultation_context,
    chapter_consultation_context,
)
from assessments.consultation.selectors import answers_by_recommendation, feedback_counts
from assessments.consultation.services import reading
from assessments.core.cache_version import version_of
from assessments.core.models import Assessment
from assessments.core.permissions import (
    can_check_headlines,
    can_view_assessment,
    can_view_working_papers,
)
from assessments.core.selectors import (
    assessment_by_url,
    assessments_for_home,
    chapter_figure_by_url,
    chapter_last_year,
    chapters_for_contents,
)
from assessments.core.views import assessment_context, refuse, visible_assessment
from assessments.data_returns.permissions import can_manage_data_requests, data_requests_for
from assessments.indicators.chapter_charts import chapter_figures_and_charts
from assessments.indicators.headlines import cover_headlines, stale_headlines
from assessments.indicators.selectors import (
    chapter_for_page,
    chapter_for_reading,
    partnership_area,
    with_selections,
)
from assessments.priorities.permissions import ranking_hidden_from
from assessments.priorities.selectors import scoring_progress
from assessments.publication.edition_views import (
    edition_assessment_page,
    edition_chapter_page,
    public_answer,
)
from assessments.publication.forms import BoardMeetingForm
from assessments.publication.page_context import (
    assessment_publication_context,
    chapter_publication_context,
)
from assessments.publication.permissions import can_record_board_decision
from assessments.publication.public_pages import cached_for_the_public
from assessments.publication.selectors import board_decision_of, chapter_as_approved
from assessments.publication.services import board
from assessments.publication.services.compare import indicators_side_by_side, narrative_diff
from assessments.publication.services.cover_paper import cover_paper, paper_of_edition
from assessments.reporting.editions import edition_document, printed_edition
from assessments.reporting.models import ReportExport
from assessments.reporting.permissions import (
    can_request_public_export,
    can_request_restricted_export,
)
from assessments.reporting.report_data import front_matter_data


def home(request: HttpRequest) -> HttpResponse:
    assessments = assessments_for_home(request.user)
    context = {"assessments": assessments, "nav": "home"}
    context["data_requests"] = data_requests_for(request.user).exists()
    return render(request, "assessments/home.html", context)


@cached_for_the_public
def assessment_detail(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    assessment = assessment_by_url(slug, year)
    # The public read the published edition, never the working copy.
    answer = assessment and public_answer(
        request, assessment, lambda edition: edition_assessment_page(request, assessment, edition)
    )
    if answer:
        return answer
    if assessment is None or not can_view_assessment(request.user, assessment):
        return refuse(request)
    context = assessment_context(request, assessment)
    chapters = list(chapters_for_contents(assessment))
    appendices = appendices_visible_to(request.user, assessment)
    context |= {
        "chapters": chapters,
        "appendices": appendices,
        "purposes": assessment.purposes.all(),  # a queryset: read when the fragment misses
        "cover_headlines": SimpleLazyObject(lambda: cover_headlines(assessment)),
        # Read only when its cached fragment misses; without the chapters' missing figures,
        # which the dashboard and the readiness checks list.
        "front_matter": SimpleLazyObject(lambda: front_matter_data(assessment, [])),
        "can_request_public_pdf": can_request_public_export(request.user, assessment),
        "can_request_restricted_pdf": can_request_restricted_export(
            request.user, assessment, appendices
        ),
        "data_requests": data_requests_for(request.user).filter(assessment=assessment).exists(),
        "can_track_returns": can_manage_data_requests(request.user, assessment),
    }
    context |= assessment_consultation_context(request, assessment, chapters)
    context |= assessment_publication_context(request, assessment)
    # The key of the cached contents list and of the other fragments that change only with the
    # data: the content's version, and what this reader has not read since it changed.
    context |= {
        "data_version": version_of(assessment.partnership),
        "changed_since_read": ",".join(str(c.pk) for c in chapters if c.changed_since_read),
    }
    return render(request, "assessments/assessment.html", context)


@cached_for_the_public
def chapter_detail(request: HttpRequest, slug: str, year: int, chapter_slug: str) -> HttpResponse:
    assessment = assessment_by_url(slug, year)
    answer = assessment and public_answer(
        request,
        assessment,
        lambda edition: edition_chapter_page(request, assessment, edition, chapter_slug),
    )
    if answer:
        return answer
    if assessment is not None and not can_view_assessment(request.user, assessment):
        assessment = None
    chapter = assessment and chapter_for_reading(assessment, chapter_slug)
    if not chapter:
        return refuse(request)
    context = assessment_context(request, assessment)
    if request.GET.get("as") == "partner" and context["can_edit"]:
        # The analyst's "view as partner": the page without the analyst's controls.
        context |= {"role": "partner", "can_edit": False, "viewing_as_partner": True}
    # Read only when the template's cached fragment of them (keyed by the data version) misses.
    figures_and_charts = cache_per_call(
        lambda: chapter_figures_and_charts(
            with_selections(chapter), partnership_area(assessment.partnership_id)
        )
    )
    context |= {
        "chapter": chapter,
        "figures": SimpleLazyObject(lambda: figures_and_charts()[0]),
        "charts": SimpleLazyObject(lambda: figures_and_charts()[1]),
        "data_version": version_of(assessment.partnership),
        "recommendations": chapter.recommendations.all(),
        "stale_headlines": stale_headlines(assessment, chapter.pk)
        if can_check_headlines(request.user, assessment) and not context.get("viewing_as_partner")
        else [],
    }
    context |= chapter_consultation_context(request, chapter)
    context |= chapter_publication_context(request, chapter)
    reading.chapter_mark_read(
        user=request.user, chapter=chapter, last_read_at=context["last_read_at"]
    )
    return render(request, "assessments/chapter.html", context)


def _working_papers_of(request: HttpRequest, slug: str, year: int) -> Assessment | None:
    """The assessment in the URL, if the user may read its working papers (the board's)."""
    assessment = visible_assessment(request, slug, year)
    if assessment is None or not can_view_working_papers(request.user, assessment):
        return None
    return assessment


def cover_paper_page(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    assessment = _working_papers_of(request, slug, year)
    if assessment is None:
        return refuse(request)
    # Once approved, the paper the board read: the edition's.
    kind = ReportExport.Kind.COVER_PAPER
    edition = printed_edition(assessment, ReportExport.Variant.PUBLIC, kind)
    context = assessment_context(request, assessment) | {
        "paper": paper_of_edition(edition_document(edition))
        if edition
        else cover_paper(assessment),
        "edition": edition,
        # A partner still scoring reads the paper without the ranking, as on the results page.
        "ranking_progress": scoring_progress(assessment, request.user.organisation_id)
        if ranking_hidden_from(request.user, assessment)
        else None,
        "cover_kind": ReportExport.Kind.COVER_PAPER,
        "cover_variant": ReportExport.Variant.PUBLIC,
    }
    return render(request, "assessments/cover_paper.html", context)


def chapter_compare(request: HttpRequest, slug: str, year: int, chapter_slug: str) -> HttpResponse:
    assessment = visible_assessment(request, slug, year)
    chapter = assessment and chapter_for_page(assessment, chapter_slug)
    if not chapter or not can_view_working_papers(request.user, assessment):
        return refuse(request)
    last_year = chapter_last_year(chapter)
    approved = chapter_as_approved(chapter)
    context = assessment_context(request, assessment) | {
        "chapter": chapter,
        "last_year": last_year,
        "last_year_diff": narrative_diff(last_year.narrative, chapter.narrative)
        if last_year
        else None,
        "approved": approved,
        "approved_diff": narrative_diff(approved.narrative, chapter.narrative)
        if approved
        else None,
        "side_by_side": indicators_side_by_side(chapter, last_year),
    }
    return render(request, "assessments/chapter_compare.html", context)


def accessibility_statement(request: HttpRequest) -> HttpResponse:
    return render(request, "accessibility.html")


def board_meeting(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """Everything the board reads before its meeting, on one page; and, for the chair until the
    assessment is approved, the form that records what the board decided."""
    assessment = _working_papers_of(request, slug, year)
    if assessment is None:
        return refuse(request)
    decision = board_decision_of(assessment)
    form = None
    if can_record_board_decision(request.user, assessment):
        form = BoardMeetingForm(
            request.POST or None, assessment=assessment, instance=decision or None
        )
    elif request.method == "POST":
        return refuse(request)
    if request.method == "POST" and form.is_valid():
        board.board_decision_record(
            assessment=assessment,
            by=request.user,
            **{name: form.cleaned_data[name] for name in form.Meta.fields},
            outcomes=form.outcomes(),
        )
        messages.success(
            request,
            "The board's decision is recorded. Approving the assessment makes it part of "
            "the approved edition.",
        )
        return redirect(reverse("board_meeting", args=[slug, year]) + "#board-decision")
    context = assessment_context(request, assessment) | {
        "feedback": feedback_counts(assessment),
        "answers": answers_by_recommendation(assessment),
        "can_request_restricted_pdf": can_request_restricted_export(request.user, assessment),
        "can_request_public_pdf": can_request_public_export(request.user, assessment),
        "board_decision": decision,
        "form": form,
    }
    return render(request, "assessments/board_meeting.html", context)


def chapter_figure(
    request: HttpRequest, slug: str, year: int, chapter_slug: str, number: int
) -> HttpResponse:
    """A figure's image, for whoever may read the chapter (media has no public URL)."""
    assessment = visible_assessment(request, slug, year)
    figure = assessment and chapter_figure_by_url(assessment, chapter_slug, number)
    if not figure:
        return refuse(request)
    return FileResponse(figure.image.open("rb"))
