"""The public's pages: a published edition, read from its frozen document alone.

Anyone who is not a member of the partnership (the public, another partnership's people) reads
the assessment as the board approved it: the published edition, at the assessment's address,
and each edition ever published at its own address, marked once a later one replaces it. After a
take-down the addresses say so. Nothing here reads a working table: the pages are built from
`edition.content` and the editions' dates and notes (tests/publication/test_editions.py renders
them with every other query refused).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from assessments.core.models import Assessment
from assessments.core.permissions import role_in
from assessments.core.selectors import assessment_by_url
from assessments.publication.public_pages import cached_for_the_public
from assessments.reporting.editions import (
    edition_document,
    edition_public_pdf,
    readable_edition,
    readable_editions,
    withdrawn_edition,
)
from assessments.reporting.exports import report_export_request
from assessments.reporting.models import Edition, ReportExport


def reads_edition(request: HttpRequest, assessment: Assessment) -> bool:
    """Does this reader get the published edition rather than the working copy? Everyone who
    is not one of the partnership's members: the members read and discuss the working copy."""
    return role_in(request.user, assessment.partnership_id) is None


def public_answer(
    request: HttpRequest, assessment: Assessment, page: Callable[[Edition], HttpResponse]
) -> HttpResponse | None:
    """What a reader who is not a member gets at an address of the assessment: `page` of the
    published edition, or the taken-down page; None for a member (who reads the working copy)
    and where there is nothing public to show."""
    if not reads_edition(request, assessment):
        return None
    if assessment.public_edition is not None:
        return page(assessment.public_edition)
    if withdrawn_edition(assessment) is not None:
        return taken_down_page(request, assessment)
    return None


def _edition_url(assessment: Assessment, edition: Edition, latest: bool) -> str:
    if latest:
        return assessment.get_absolute_url()
    return reverse("edition", args=[assessment.partnership.slug, assessment.year, edition.number])


def _context(assessment: Assessment, edition: Edition) -> dict:
    document = edition_document(edition)
    editions = readable_editions(assessment)
    latest = assessment.public_edition
    is_latest = latest is not None and latest.pk == edition.pk
    base = _edition_url(assessment, edition, is_latest)
    return {
        "assessment": assessment,
        "partnership": assessment.partnership,
        "document": document,
        "edition": edition,
        "is_latest": is_latest,
        "latest": latest,
        "editions": editions,
        "edition_base": base,
        "chapters": [section["chapter"] for section in document["chapters"]],
    }


def edition_assessment_page(request: HttpRequest, assessment: Assessment, edition) -> HttpResponse:
    return render(request, "editions/assessment.html", _context(assessment, edition))


def edition_chapter_page(
    request: HttpRequest, assessment: Assessment, edition: Edition, chapter_slug: str
) -> HttpResponse:
    context = _context(assessment, edition)
    sections = context["document"]["chapters"]
    slugs = [section["chapter"]["slug"] for section in sections]
    if chapter_slug not in slugs:
        raise Http404("No such chapter in this edition")
    index = slugs.index(chapter_slug)
    # Each chapter's address in this edition, for the pagination the working pages share.
    chapters = [
        section["chapter"] | {"get_absolute_url": f"{context['edition_base']}{slug}/"}
        for section, slug in zip(sections, slugs, strict=True)
    ]
    context |= {
        "section": _with_board_outcomes(sections[index], context["document"]),
        "previous_chapter": chapters[index - 1] if index > 0 else None,
        "next_chapter": chapters[index + 1] if index + 1 < len(chapters) else None,
    }
    return render(request, "editions/chapter.html", context)


def _with_board_outcomes(section: dict, document: dict) -> dict:
    """Each recommendation with the board's outcome for it, from the decision the edition holds."""
    decision = document.get("board_decision") or {"outcomes": []}
    outcomes = {o["recommendation_pk"]: o["outcome"] for o in decision["outcomes"]}
    recommendations = [
        r | {"board_outcome": outcomes.get(r["pk"])} for r in section["recommendations"]
    ]
    return section | {"recommendations": recommendations}


def taken_down_page(request: HttpRequest, assessment: Assessment) -> HttpResponse:
    """The site's own answer at a withdrawn report's addresses: when, and that a corrected
    edition will follow; nothing else (no reason, no names)."""
    context = {
        "assessment": assessment,
        "partnership": assessment.partnership,
        "withdrawn": withdrawn_edition(assessment),
    }
    return render(request, "editions/taken_down.html", context, status=410)


def _numbered(slug: str, year: int, number: int) -> tuple[Assessment, Edition]:
    assessment = assessment_by_url(slug, year)
    edition = assessment and readable_edition(assessment, number)
    if not edition:
        raise Http404("No such edition")
    return assessment, edition


@cached_for_the_public
def edition_detail(request: HttpRequest, slug: str, year: int, number: int) -> HttpResponse:
    assessment, edition = _numbered(slug, year, number)
    return edition_assessment_page(request, assessment, edition)


@cached_for_the_public
def edition_chapter(
    request: HttpRequest, slug: str, year: int, number: int, chapter_slug: str
) -> HttpResponse:
    assessment, edition = _numbered(slug, year, number)
    return edition_chapter_page(request, assessment, edition, chapter_slug)


def edition_pdf(request: HttpRequest, slug: str, year: int, number: int) -> HttpResponse:
    """The edition's public PDF at an address that lasts: the file rendered at its publication,
    or, while a worker is still rendering it, a page saying to try again shortly (the pages
    that link here never change when the file is ready, so they stay cached)."""
    assessment, edition = _numbered(slug, year, number)
    export = edition_public_pdf(edition)
    if export is not None:
        return redirect(export.get_download_url())
    # Rendered at publication; asked for again here if that request was lost (or the edition
    # was frozen by the upgrade that brought editions). One render per edition, whoever asks.
    report_export_request(
        assessment=assessment, user=None, variant=ReportExport.Variant.PUBLIC, edition=edition
    )
    context = {"assessment": assessment, "partnership": assessment.partnership, "edition": edition}
    response = render(request, "editions/pdf_preparing.html", context, status=503)
    response["Retry-After"] = "30"
    return response


def edition_chart_csv(
    request: HttpRequest, slug: str, year: int, number: int, chapter_slug: str, chart: int
) -> HttpResponse:
    """A chart's figures as the edition printed them."""
    assessment, edition = _numbered(slug, year, number)
    sections = edition_document(edition)["chapters"]
    section = next((s for s in sections if s["chapter"]["slug"] == chapter_slug), None)
    if section is None or not 1 <= chart <= len(section["charts"]):
        raise Http404("No such chart")
    csv_text = section["charts"][chart - 1]["chart"]["csv"]
    response = HttpResponse(csv_text, content_type="text/csv; charset=utf-8")
    name = f"{assessment.partnership.slug}-{year}-edition-{number}-{chapter_slug}-chart-{chart}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
