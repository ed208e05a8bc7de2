"""What the assessment and chapter pages show of publication and the yearly cycle, as template
context: the public PDF, the "last updated" note, previous and next chapters, links to the cover
paper and the comparisons. views.py calls the two functions below."""

from __future__ import annotations

from django.http import HttpRequest

from . import permissions, querysets
from .models import Assessment, Chapter, ReportExport
from .services import reports


def _public_pdf(assessment: Assessment) -> ReportExport | None:
    identity = reports.report_identity(
        assessment=assessment, variant=ReportExport.Variant.PUBLIC, appendices=[]
    )
    return querysets.latest_public_report(assessment, identity.content_hash)


def assessment_publication_context(request: HttpRequest, assessment: Assessment) -> dict:
    published = permissions.is_public(assessment)
    working_papers = permissions.can_view_working_papers(request.user, assessment)
    return {
        "correction": querysets.publication_correction(assessment) if published else None,
        "public_pdf": _public_pdf(assessment) if published else None,
        "can_view_working_papers": working_papers,
        "board_decision": querysets.board_decision_of(assessment),
        "statutory_checklist": querysets.statutory_checklist(assessment) if working_papers else [],
    }


def chapter_publication_context(request: HttpRequest, chapter: Chapter) -> dict:
    assessment = chapter.assessment
    previous, following = querysets.neighbouring_chapters(assessment, chapter)
    published = permissions.is_public(assessment)
    return {
        "previous_chapter": previous,
        "next_chapter": following,
        "correction": querysets.publication_correction(assessment) if published else None,
        "can_view_working_papers": permissions.can_view_working_papers(request.user, assessment),
    }
