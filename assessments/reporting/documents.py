"""The documents of the PDF exports: their HTML, the registry of kinds, and their identity.

An export is identified by what it contains: a hash of every input of the document (rows, import
batches, design files, renderer version) and its audience, the ids of the restricted appendices
in it, so that an identical request for unchanged content reuses the stored file (exports.py).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from assessments.appendices.models import Appendix
from assessments.appendices.permissions import appendices_visible_to
from assessments.core.context_processors import SERVICE_NAME
from assessments.core.glossary import STANDARD_TERMS
from assessments.core.models import (
    Assessment,
    Chapter,
    ChapterFigure,
    GlossaryTerm,
    Organisation,
    Recommendation,
    User,
)
from assessments.core.personal_copy import RESTRICTED_MARKING, PersonalCopy
from assessments.indicators.models import (
    ChapterMap,
    Geography,
    ImportBatch,
    Indicator,
    IndicatorSelection,
    LsoaBoundarySet,
)
from assessments.reporting.models import ReportExport
from assessments.reporting.report_data import (
    REPORT_PARTS,
    appendix_document,
    data_uri,
    report_document,
)
from assessments.reporting.static_files import static_text

Variant = ReportExport.Variant
Status = ReportExport.Status

STYLESHEET = "assessments/pdf.css"
RENDERER = f"WeasyPrint {version('weasyprint')}"
# Until a first render tells us, assume this much HTML fills a page (demo assessment: ~2.6 kB).
HTML_BYTES_PER_PAGE = 2600


# The document ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportIdentity:
    """What makes two exports the same document."""

    content_hash: str
    audience: list[int]


def report_appendices(*, user: User, assessment: Assessment, variant: str) -> list[Appendix]:
    """The public variant has no appendices; the restricted one exactly those the user may view."""
    if variant == Variant.PUBLIC:
        return []
    return appendices_visible_to(user, assessment)


def is_draft(assessment: Assessment) -> bool:
    """Not yet approved by the board: every page of every document says DRAFT."""
    return assessment.status in (Assessment.Status.DRAFT, Assessment.Status.CONSULTATION)


def pdf_head(partnership_name: str, *, title: str, description: str, draft: bool) -> dict:
    return {
        "document_title": f"{partnership_name}: {title}",
        "description": description,
        "is_draft": draft,
        "service_name": SERVICE_NAME,
        "stylesheet": static_text(STYLESHEET),
        # Templates shared with the site print one drawing of a chart, not the phone's too.
        "is_print": True,
    }


def page_head(assessment: Assessment, *, title: str, description: str) -> dict:
    """The context of templates/pdf/includes/head.html that every PDF document shares: its
    metadata (title, author, description, generator), the stylesheet inlined and the draft
    marking, so that the report and the cover paper cannot drift apart."""
    partnership = assessment.partnership
    return {
        "assessment": assessment,
        "partnership": partnership,
        **pdf_head(
            partnership.name, title=title, description=description, draft=is_draft(assessment)
        ),
    }


def css_string(text: str) -> SafeString:
    """`text` as a quoted CSS string for an @page margin box: every character that is not a
    letter, digit, space or plain punctuation is escaped, so a name cannot end the string or the
    <style> element."""
    safe = "".join(
        # A CSS escape ends at one following space, which the escape itself supplies here.
        char if char.isalnum() or char in " ,.-" else f"\\{ord(char):06x} "
        for char in text
    )
    return mark_safe(f'"{safe}"')  # noqa: S308 (every other character is escaped above)


@dataclass(frozen=True)
class Printing:
    """What a print of a report document says beyond the document itself: its status on the
    cover, whether it is a draft, and the edition it is (None for the working copy)."""

    status_line: str
    is_draft: bool
    edition: dict | None = None


def printing_of(assessment: Assessment) -> Printing:
    """The working copy's print: its status as it stands."""
    return Printing(status_line=assessment.status_line, is_draft=is_draft(assessment))


def _with_images(sections: list[dict]) -> list[dict]:
    """Each chart's SVG as a data: URI for the PDF's <img>, so that WeasyPrint tags it as a
    Figure whose /Alt is the chart's description; and its number in its chapter ("3.2"), which
    its table at the back shares."""
    return [
        section
        | {
            "charts": [
                printed
                | _printed_drawing(printed["chart"])
                | {"number": f"{section['chapter']['order']}.{position}"}
                for position, printed in enumerate(section["charts"], start=1)
            ]
        }
        for section in sections
    ]


_VIEW_BOX = re.compile(r'viewBox="0 0 (\d+) (\d+)"')


def _printed_drawing(chart: dict) -> dict:
    """Two charts abreast where their phone drawing (320 units wide) is no taller than wide: at
    half the text width its 12-unit lettering prints at 8.6pt, larger than the full drawing
    at three quarters. A taller one (a bar for each of many places) prints its full drawing
    alone. Editions frozen before phone drawings existed print as they did."""
    if chart.get("kind") == "map":  # its key beside it: at the text's width, within half a page
        return {"image": data_uri(chart["svg"].encode(), "map.svg"), "half": False, "map": True}
    narrow = chart.get("narrow_svg")
    size = _VIEW_BOX.search(narrow or "")
    half = size is not None and int(size[2]) <= int(size[1])
    svg = narrow if half else chart["svg"]
    return {"image": data_uri(svg.encode(), "chart.svg"), "half": half}


_APPENDIX_LETTER = re.compile(r"^Appendix ([A-Z0-9]{1,3})\b")


def _appendices_with_images(appendices: list[dict]) -> list[dict]:
    """The maps of an appendix "Hotspots by neighbourhood" as images, like a chapter's charts,
    numbered in the appendix ("C.1" for "Appendix C: …", else its place in the copy); their
    tables print beside them, in the appendix, never with the public charts' tables at the back."""
    printed = []
    for position, appendix in enumerate(appendices, start=1):
        hotspots = appendix.get("hotspots")
        if not hotspots:
            printed.append(appendix)
            continue
        letter = _APPENDIX_LETTER.match(appendix["appendix"]["title"])
        prefix = letter[1] if letter else str(position)
        count, sections = 0, []
        for section in hotspots["sections"]:
            maps = []
            for chart in section["maps"]:
                count += 1
                anchor = f"{appendix['anchor']}-{chart['slug']}"
                number = f"{prefix}.{count}"
                maps.append(
                    {"anchor": anchor, "chart": chart, "number": number} | _printed_drawing(chart)
                )
            sections.append(section | {"printed_maps": maps})
        printed.append(appendix | {"hotspots": hotspots | {"sections": sections}})
    return printed


def cover_subtitle(title: str, year: int) -> str:
    """The line under the cover's title: what the document is, unless the title says it
    already ("Strategic Assessment 2017" needs no "Strategic assessment for 2017")."""
    if "strategic assessment" in title.lower() and str(year) in title:
        return "The evidence behind the partnership's priorities: crime, disorder and safety"
    return f"Strategic assessment for {year}"


def document_html(
    document: dict,
    *,
    printing: Printing,
    variant: str,
    appendices: list[dict],
    copy: PersonalCopy | None = None,
    is_chapter_preview: bool = False,
) -> str:
    """The complete, self-contained HTML of a report document (report_data.py), stylesheet and
    images inline. Reads no table: everything comes from `document` and the arguments. A
    restricted report is `copy`, its recipient's own: named on every page, its copy id in the
    metadata, with the appendix documents it may hold."""
    is_restricted = variant == Variant.RESTRICTED
    variant_label = "Restricted" if is_restricted else "Public"
    assessment = document["assessment"]
    partnership = document["partnership"]
    description = f"{assessment['title']} of {partnership['name']}: {variant_label} version."
    chapters = _with_images(document["chapters"])
    marking = copy.restricted_marking if copy else RESTRICTED_MARKING
    context = {
        **document,
        **pdf_head(
            partnership["name"],
            title=assessment["title"],
            description=description,
            draft=printing.is_draft,
        ),
        "status_line": printing.status_line,
        "edition": printing.edition,
        "is_chapter_preview": is_chapter_preview,
        "variant_label": variant_label,
        "is_restricted": is_restricted,
        "copy": copy if is_restricted else None,
        "copy_marking_css": css_string(copy.marking) if copy and is_restricted else "",
        # The partnership's protective marking, at the head of every page of a restricted copy.
        "restricted_marking": marking,
        "restricted_marking_css": css_string(marking),
        "chapters": chapters,
        "chart_count": sum(len(section["charts"]) for section in chapters),
        "cover_subtitle": cover_subtitle(assessment["title"], assessment["year"]),
        "appendices": _appendices_with_images(appendices) if is_restricted else [],
    }
    return render_to_string("pdf/report.html", context)


def report_html(
    *,
    assessment: Assessment,
    variant: str,
    appendices: list[Appendix],
    chapter: Chapter | None = None,
    copy: PersonalCopy | None = None,
) -> str:
    """The working copy's report, or one chapter alone for the analyst's preview."""
    document = report_document(assessment, chapter=chapter)
    return document_html(
        document,
        printing=printing_of(assessment),
        variant=variant,
        appendices=[appendix_document(a) for a in appendices],
        copy=copy,
        is_chapter_preview=chapter is not None,
    )


@dataclass(frozen=True)
class Document:
    """A kind of export: how its HTML is built, and what it is made of beyond the report's own
    inputs (`inputs(assessment)`: rows; `templates`: design files), for report_identity."""

    build: Callable[..., str]
    inputs: Callable[[Assessment], dict] | None = None
    templates: tuple[str, ...] = ()
    # An edition's print of this kind, from its document alone: build_edition(edition=, ...).
    # The full report's is reporting/editions.py edition_html.
    build_edition: Callable[..., str] | None = None


# The kinds of export. The same job machinery renders them all. A document made by a higher layer
# (publication's cover paper) is registered by the app's documents.py, so that reporting need
# not import it.
DOCUMENTS = {
    ReportExport.Kind.FULL_REPORT: Document(build=report_html),
    ReportExport.Kind.CHAPTER_PREVIEW: Document(build=report_html),
}


def document_register(kind: str, document: Document) -> None:
    """Let the export job render `kind`: `document.build(assessment=, variant=, appendices=)`."""
    DOCUMENTS[kind] = document


def render_report(
    *,
    assessment: Assessment,
    variant: str,
    appendices: list[Appendix],
    copy: PersonalCopy | None = None,
):
    """HTML and PDF of the report, synchronously (for scripts and benchmarks)."""
    html = report_html(assessment=assessment, variant=variant, appendices=appendices, copy=copy)
    return html, render_pdf(html)


def render_pdf(html: str, **options):
    """The PDF of a document's HTML (reporting/pdf.py's render_pdf)."""
    # The one import inside a function in the app: WeasyPrint takes about 0.8 s to import, and
    # only the processes that render a PDF should pay for it.
    from assessments.reporting import pdf  # noqa: PLC0415

    return pdf.render_pdf(html, **options)


# What the document is made of ----------------------------------------------------------------
# The content hash covers every input of report_html(): the rows it shows, the import batches
# its figures come from, the design files and the renderer's version. It is computed from the
# rows rather than the finished HTML so that a repeated request answers in a few queries (the
# HTML of a 100-page report takes a quarter of a second to build). Anything new that the PDF
# shows must be added here, or an identical request would reuse an outdated file.

DESIGN_TEMPLATES = (
    "pdf",
    "assessments/includes/figures_table.html",
    "assessments/includes/chart_table.html",
    "assessments/includes/appendix_table.html",
    "assessments/includes/hotspot_analysis.html",
    "assessments/includes/cover_paper_boxes.html",
)
SELECTION_FIELDS = (
    "pk", "chapter_id", "order", "period_type", "current_period_start",
    "comparison_period_start", "caveat", "indicator_id", "indicator__name", "indicator__source",
    "indicator__licence", "indicator__unit", "indicator__measure", "indicator__aggregation",
    "share_of_id", "share_of__name", "share_of__aggregation",
)  # fmt: skip


def recipient_inputs(recipient: User | None) -> list | None:
    """A personal copy is its recipient's own, named as they are now: another recipient, or a
    renamed one, never reuses it."""
    if recipient is None:
        return None
    organisation = recipient.organisation
    return [recipient.pk, recipient.get_full_name(), organisation.name if organisation else None]


def design_digest(extra_templates: tuple[str, ...]) -> str:
    """The templates and stylesheet of the PDF, as a hash: a new design renders again."""
    digest = hashlib.sha256(RENDERER.encode())
    templates = Path(settings.BASE_DIR) / "templates"
    for name in DESIGN_TEMPLATES + extra_templates:
        path = templates / name
        for file in sorted(path.rglob("*.html")) if path.is_dir() else [path]:
            digest.update(file.read_bytes())
    digest.update(static_text(STYLESHEET).encode())
    digest.update(repr(STANDARD_TERMS).encode())
    return digest.hexdigest()


def report_identity(
    *,
    assessment: Assessment,
    variant: str,
    appendices: list[Appendix],
    kind: str = ReportExport.Kind.FULL_REPORT,
    chapter: Chapter | None = None,
    recipient: User | None = None,
) -> ReportIdentity:
    audience = sorted(a.pk for a in appendices) if variant == Variant.RESTRICTED else []
    in_assessment = {"chapter__assessment": assessment}
    document = DOCUMENTS[kind]
    part_templates = tuple(t for part in REPORT_PARTS.values() for t in part.templates)
    inputs = {
        "design": design_digest(document.templates + part_templates),
        "document": document.inputs(assessment) if document.inputs else None,
        "kind": kind,
        "chapter": chapter.pk if chapter else None,
        "chapter_figures": list(
            ChapterFigure.objects.filter(**in_assessment)
            .order_by("pk")
            .values_list("pk", "chapter_id", "number", "image", "alt_text", "caption", "source")
        ),
        "variant": variant,
        # The cover's status line also moves with the calendar (a consultation closes).
        "status_line": assessment.status_line,
        "assessment": list(
            Assessment.objects.filter(pk=assessment.pk).values_list(
                "title",
                "year",
                "status",
                "status_changed_at",
                "author_name",
                "author_role",
                "author_telephone",
                "background",
                "introduction",
                "executive_summary",
                "gaps_in_knowledge",
                "consultation_closes_on",
                "partnership__name",
                "partnership__logo",
                "partnership__restricted_marking",
            )  # fmt: skip
        ),
        "chapters": list(
            Chapter.objects.filter(assessment=assessment)
            .order_by("pk")
            .values_list(
                "pk",
                "order",
                "slug",
                "title",
                "summary",
                "narrative",
                "lead_organisation__name",
                "theme__name",
            )
        ),
        "recommendations": list(
            Recommendation.objects.filter(**in_assessment)
            .order_by("pk")
            .values_list("pk", "chapter_id", "order", "text", "status")
        ),
        # Their own leads, timescales and measures (issue 32).
        "recommendation_plans": list(
            Recommendation.objects.filter(**in_assessment)
            .order_by("pk")
            .values_list("pk", "lead_organisation__name", "due_by", "success_measure")
        ),
        "horizon_scan": list(
            assessment.horizon_scan.order_by("pk").values_list(
                "factor", "issue", "implications", "main_risk", "order"
            )
        ),
        # The indicators of the area profile (their figures come in import batches).
        "profile": list(
            Indicator.objects.filter(partnership=assessment.partnership_id, is_profile=True)
            .order_by("pk")
            .values_list("pk", "name", "unit", "source", "measure")
        ),
        "selections": list(
            IndicatorSelection.objects.filter(**in_assessment)
            .order_by("pk")
            .values_list(*SELECTION_FIELDS)
        ),
        # Figures change only through import batches: new data is a new batch row.
        "batches": list(
            ImportBatch.objects.filter(partnership=assessment.partnership_id)
            .order_by("pk")
            .values_list("pk", "row_count", "superseded_by_id")
        ),
        "purposes": list(
            assessment.purposes.order_by("pk").values_list(
                "kind", "label", "addressed", "detail", "order"
            )
        ),
        "headlines": list(
            assessment.headlines.order_by("pk").values_list("text", "on_cover", "order")
        ),
        "partners": list(
            Organisation.objects.filter(partnerships=assessment.partnership_id)
            .order_by("pk")
            .values_list("pk", "name")
        ),
        # Places by name and population: the estate charts and the appendices' rates; the
        # districts' force and successor: the ranked districts and their boundary notes.
        "places": list(
            Geography.objects.filter(partnership=assessment.partnership_id)
            .exclude(level=Geography.Level.LSOA)
            .order_by("pk")
            .values_list("pk", "level", "name", "code", "population", "parent_id", "successor_id")
        ),
        # The places each selection is compared with: the charts and wording in context.
        "comparators": list(
            IndicatorSelection.comparators.through.objects.filter(
                indicatorselection__chapter__assessment=assessment
            )
            .order_by("pk")
            .values_list("indicatorselection_id", "geography_id")
        ),
        # The partnership's own glossary, printed beside the standard terms.
        "glossary": list(
            GlossaryTerm.objects.filter(partnership=assessment.partnership_id)
            .order_by("pk")
            .values_list("term", "definition")
        ),
        # Which indicator holds the population estimates: every rate per 1,000 residents.
        "populations": list(
            Indicator.objects.filter(partnership=assessment.partnership_id, is_population=True)
            .order_by("pk")
            .values_list("pk", "source", "licence")
        ),
        "recipient": recipient_inputs(recipient) if variant == Variant.RESTRICTED else None,
        # The parts of higher layers, as the data they add to the document.
        "parts": {
            name: part.data(assessment)
            for name, part in sorted(REPORT_PARTS.items())
            if part.printed
        },
        "area": list(
            Geography.objects.filter(
                partnership=assessment.partnership_id, level=Geography.Level.AREA
            ).values_list("pk", flat=True)
        ),
        "appendices": list(
            Appendix.objects.filter(pk__in=audience)
            .order_by("pk")
            .values_list(
                "pk",
                "order",
                "slug",
                "title",
                "summary",
                "narrative",
                "kind",
                "current_period_start",
                "comparison_period_start",
                "period_type",
            )  # fmt: skip
        ),
        # The chapters' hotspot maps, the boundaries they are drawn with and the LSOAs'
        # populations (their rates): the chapter maps, and the appendix "Hotspots by
        # neighbourhood", whose counts and grid come in the batches above.
        "chapter_maps": list(
            ChapterMap.objects.filter(chapter__assessment=assessment)
            .order_by("pk")
            .values_list("pk", "chapter_id", "crime_types", "first_month", "last_month")
        ),
        "boundary_sets": list(
            LsoaBoundarySet.objects.filter(partnership=assessment.partnership_id)
            .order_by("pk")
            .values_list("pk", "vintage", "attribution", "licence", "source", "uploaded_at")
        ),
        "lsoa_populations": list(
            Geography.objects.filter(
                partnership=assessment.partnership_id, level=Geography.Level.LSOA
            )
            .exclude(population=None)
            .order_by("pk")
            .values_list("pk", "name", "population")
        ),
        "appendix_indicators": list(
            Appendix.indicators.through.objects.filter(appendix__in=audience)
            .order_by("pk")
            .values_list("appendix_id", "indicator_id")
        ),
    }
    serialised = json.dumps(inputs, default=str, sort_keys=True)
    return ReportIdentity(
        content_hash=hashlib.sha256(serialised.encode()).hexdigest(), audience=audience
    )
