"""What the assessment and chapter pages show of publication and the yearly cycle, as template
context: the public PDF, the "last updated" note, previous and next chapters, links to the cover
paper and the comparisons. views.py calls the two functions below."""

from __future__ import annotations

from functools import cache as cache_per_call

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from assessments.core.models import Assessment, Chapter
from assessments.core.permissions import can_view_working_papers
from assessments.core.selectors import neighbouring_chapters
from assessments.priorities.permissions import can_score_for_organisation
from assessments.priorities.selectors import ScoringProgress, scoring_progress
from assessments.publication.selectors import (
    board_decision_of,
    last_year_priorities,
    statutory_checklist,
)
from assessments.reporting.selectors import published_report


def _correction(assessment: Assessment):
    """The published edition, when it corrects an earlier one: its date and change note are the
    "last updated" note."""
    edition = assessment.public_edition
    return edition if edition is not None and edition.change_note else None


def _scoring(request: HttpRequest, assessment: Assessment) -> ScoringProgress | None:
    """The organisation's scoring, for the partner's progress box (consultation's), while they
    can score and there is something to score."""
    if not can_score_for_organisation(request.user, assessment):
        return None
    progress = scoring_progress(assessment, request.user.organisation_id)
    return progress if progress.asked else None


def assessment_publication_context(request: HttpRequest, assessment: Assessment) -> dict:
    """The board's decision, last year's priorities and the checklist are read only when the
    page's cached fragment of them (keyed by the data version) misses."""
    working_papers = can_view_working_papers(request.user, assessment)
    return {
        "correction": _correction(assessment),
        "public_pdf": published_report(assessment),
        "can_view_working_papers": working_papers,
        "scoring": _scoring(request, assessment),
        "board_decision": SimpleLazyObject(lambda: board_decision_of(assessment)),
        "last_year_priorities": SimpleLazyObject(lambda: last_year_priorities(assessment)),
        "statutory_checklist": SimpleLazyObject(lambda: statutory_checklist(assessment))
        if working_papers
        else [],
    }


def chapter_publication_context(request: HttpRequest, chapter: Chapter) -> dict:
    """The previous and next chapters are read only when the page's cached fragment of them
    (keyed by the data version) misses."""
    assessment = chapter.assessment
    neighbours = cache_per_call(lambda: neighbouring_chapters(assessment, chapter))
    return {
        "previous_chapter": SimpleLazyObject(lambda: neighbours()[0]),
        "next_chapter": SimpleLazyObject(lambda: neighbours()[1]),
        "correction": _correction(assessment),
        "can_view_working_papers": can_view_working_papers(request.user, assessment),
    }
