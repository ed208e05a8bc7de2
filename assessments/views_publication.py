"""Pages of publication and the yearly cycle: the board's cover paper, a chapter compared with
last year's and with its approved version, and the accessibility statement."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from . import permissions, querysets
from .models import ReportExport
from .services.compare import indicators_side_by_side, narrative_diff
from .services.cover_paper import cover_paper
from .views import _assessment_context, refuse, visible_assessment


def cover_paper_page(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    assessment = visible_assessment(request, slug, year)
    if assessment is None or not permissions.can_view_working_papers(request.user, assessment):
        return refuse(request)
    context = _assessment_context(request, assessment) | {
        "paper": cover_paper(assessment),
        "cover_kind": ReportExport.Kind.COVER_PAPER,
        "cover_variant": ReportExport.Variant.PUBLIC,
    }
    return render(request, "assessments/cover_paper.html", context)


def chapter_compare(request: HttpRequest, slug: str, year: int, chapter_slug: str) -> HttpResponse:
    assessment = visible_assessment(request, slug, year)
    chapter = assessment and querysets.chapter_for_page(assessment, chapter_slug)
    if not chapter or not permissions.can_view_working_papers(request.user, assessment):
        return refuse(request)
    last_year = querysets.chapter_last_year(chapter)
    approved = querysets.chapter_as_approved(chapter)
    context = _assessment_context(request, assessment) | {
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
    """Everything the board reads before its meeting, on one page."""
    assessment = visible_assessment(request, slug, year)
    if assessment is None or not permissions.can_view_working_papers(request.user, assessment):
        return refuse(request)
    context = _assessment_context(request, assessment) | {
        "feedback": querysets.feedback_counts(assessment),
        "answers": querysets.answers_by_recommendation(assessment),
        "can_request_restricted_pdf": permissions.can_request_restricted_export(
            request.user, assessment
        ),
        "can_request_public_pdf": permissions.can_request_public_export(request.user, assessment),
        "board_decision": querysets.board_decision_of(assessment),
    }
    return render(request, "assessments/board_meeting.html", context)
