"""What the assessment and chapter pages show of publication and the yearly cycle, as template
context: the public PDF, the "last updated" note, previous and next chapters, links to the cover
paper and the comparisons. views.py calls the two functions below."""

from __future__ import annotations

from django.http import HttpRequest

from assessments.core.models import Assessment, Chapter
from assessments.core.permissions import can_view_working_papers, is_public
from assessments.core.selectors import neighbouring_chapters
from assessments.publication.selectors import (
    board_decision_of,
    last_year_priorities,
    publication_correction,
    statutory_checklist,
)
from assessments.reporting.selectors import published_report


def assessment_publication_context(request: HttpRequest, assessment: Assessment) -> dict:
    published = is_public(assessment)
    working_papers = can_view_working_papers(request.user, assessment)
    return {
        "correction": publication_correction(assessment) if published else None,
        "public_pdf": published_report(assessment),
        "can_view_working_papers": working_papers,
        "board_decision": board_decision_of(assessment),
        "last_year_priorities": last_year_priorities(assessment),
        "statutory_checklist": statutory_checklist(assessment) if working_papers else [],
    }


def chapter_publication_context(request: HttpRequest, chapter: Chapter) -> dict:
    assessment = chapter.assessment
    previous, following = neighbouring_chapters(assessment, chapter)
    published = is_public(assessment)
    return {
        "previous_chapter": previous,
        "next_chapter": following,
        "correction": publication_correction(assessment) if published else None,
        "can_view_working_papers": can_view_working_papers(request.user, assessment),
    }
