"""The report as data: everything the PDF shows, as plain JSON values.

The PDF's templates read only this document, never a model: `report_document()` builds it from
the working copy's tables, an edition freezes it (publication/services/editions.py), and the same
templates print either. The restricted appendices are documents of their own
(`appendix_document()`), kept apart so that a copy holds only the ones its reader may see.

Numbers stay exact: a Decimal is written as {"decimal": "4.8"} and read back as Decimal("4.8"),
so that a figure prints the same from the tables and from an edition. `canonical()` is the one
serialisation an edition's sha256 is taken over.
"""

from __future__ import annotations

import base64
import json
import mimetypes
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from assessments.appendices.hotspots import hotspots_content
from assessments.appendices.models import Appendix
from assessments.appendices.services import AppendixContent, AppendixRow, appendix_content
from assessments.core.chapter_figures import figure_html
from assessments.core.glossary import glossary_terms
from assessments.core.markdown import render_markdown
from assessments.core.models import Assessment, Chapter, ChapterFigure, Recommendation
from assessments.indicators.chapter_charts import chapter_charts
from assessments.indicators.charts import Chart, drawing_data
from assessments.indicators.headlines import HeadlineFigure, approved_headlines, figure_for
from assessments.indicators.models import Geography, Indicator
from assessments.indicators.selectors import area_profile, chapters_for_report, partnership_area
from assessments.reporting.report_matter import numbered_recommendations, production

# The JSON document ---------------------------------------------------------------------------


def _encode(value):
    if isinstance(value, Decimal):
        return {"decimal": str(value)}
    raise TypeError(f"{type(value).__name__} is not part of a report document")


def _decode(mapping: dict):
    if mapping.keys() == {"decimal"}:
        return Decimal(mapping["decimal"])
    return mapping


def canonical(document) -> str:
    """The one serialisation of a document: sorted keys, no spaces, exact decimals."""
    return json.dumps(
        document, default=_encode, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )


def parse(text: str):
    """A document read back from its canonical text: dicts, lists, strings and numbers only."""
    return json.loads(text, object_hook=_decode)


def as_data(document):
    """The document as its templates will read it: what an edition stores, read back."""
    return parse(canonical(document))


def data_uri(content: bytes, file_name: str) -> str:
    media_type = mimetypes.guess_type(file_name)[0] or "application/octet-stream"
    return f"data:{media_type};base64,{base64.b64encode(content).decode('ascii')}"


# A process renders the same narratives again and again; the key is the Markdown text itself.
_render_markdown = lru_cache(maxsize=512)(render_markdown)


# Parts of the report owned by higher layers (publication's statutory checklist, the priorities'
# ranking), registered by the app's documents.py: each returns its part of the document as data.
@dataclass(frozen=True)
class ReportPart:
    data: Callable[[Assessment], dict]
    templates: tuple[str, ...] = ()
    # False for a part an edition keeps but the PDF does not print (the cover paper's own
    # words): a draft print's identity need not cover it.
    printed: bool = True


REPORT_PARTS: dict[str, ReportPart] = {}


def report_part_register(name: str, part: ReportPart) -> None:
    REPORT_PARTS[name] = part


# The chapters ------------------------------------------------------------------------------


def figure_data_uri(figure: ChapterFigure) -> str:
    with figure.image.open("rb") as stream:
        return data_uri(stream.read(), figure.image.name)


def _narrative_html(chapter: Chapter, anchor: str) -> str:
    """The chapter's narrative with its figures inlined as data: URIs (a document fetches
    nothing from storage), its ids under the chapter's anchor: one document holds them all."""
    figures = list(chapter.images.all())
    scope = f"{anchor}-text"
    if not figures:
        return str(_render_markdown(chapter.narrative, id_scope=scope).html)
    return str(
        render_markdown(
            chapter.narrative,
            figures={f.number: figure_html(f, figure_data_uri(f), scope) for f in figures},
            id_scope=scope,
        ).html
    )


def _period(period) -> dict | None:
    return {"label": period.label} if period is not None else None


def figure_data(figure: HeadlineFigure) -> dict:
    """A key figure as the figures table prints it."""
    selection = figure.selection
    return {
        "indicator": {"name": figure.indicator.name, "source": figure.indicator.source},
        "selection": {
            "caveat": selection.caveat,
            "current_period": _period(selection.current_period),
            "comparison_period": _period(selection.comparison_period),
        },
        "current": figure.current,
        "comparison": figure.comparison,
        "per_thousand": figure.per_thousand,
        "is_rate": figure.is_rate,
        "change": figure.change,
        "direction": figure.direction,
        "change_in_words": figure.change_in_words,
        "gaps": figure.gaps,
        "places": [{"in_words": place.in_words} for place in figure.places],
    }


def chart_data(chart: Chart) -> dict:
    """A chapter's chart or map as the page and the PDF show it: its SVG, words and table, and
    its kind ("map" prints at the text's width, documents._printed_drawing)."""
    return drawing_data(chart) | {"kind": chart.kind}


def _chapter_data(chapter: Chapter, area: Geography | None, charts: list[Chart]) -> dict:
    anchor = f"chapter-{chapter.slug}"
    return {
        "anchor": anchor,
        "chapter": {
            "pk": chapter.pk,
            "slug": chapter.slug,
            "order": chapter.order,
            "title": chapter.title,
            "summary": chapter.summary,
            "lead_organisation": _lead(chapter),
        },
        "narrative": {"html": _narrative_html(chapter, anchor)},
        "figures": [figure_data(figure_for(s, area)) for s in chapter.selections.all()],
        "charts": [
            {"anchor": f"{anchor}-{chart.slug}", "chart": chart_data(chart)} for chart in charts
        ],
        "recommendations": [recommendation_data(r) for r in chapter.recommendations.all()],
    }


def recommendation_data(recommendation: Recommendation) -> dict:
    """A recommendation as every part of the report prints it: its lead (its own, or else the
    chapter's), its timescale and how its success is measured."""
    lead = recommendation.lead
    return {
        "pk": recommendation.pk,
        "text": recommendation.text,
        "status": recommendation.get_status_display(),
        "lead_organisation": {"name": lead.name} if lead else None,
        "due_by": recommendation.due_by_text,
        "success_measure": recommendation.success_measure,
    }


# The document ------------------------------------------------------------------------------


def _logo(assessment: Assessment) -> str | None:
    logo = assessment.partnership.logo
    if not logo:
        return None
    with logo.open("rb") as stream:
        return data_uri(stream.read(), logo.name)


def report_document(assessment: Assessment, *, chapter: Chapter | None = None) -> dict:
    """Everything the report shows but its restricted appendices, as data; with `chapter`, the
    document of the analyst's preview of that chapter alone."""
    area = partnership_area(assessment.partnership_id)
    chapters = chapters_for_report(assessment).prefetch_related("images")
    if chapter is not None:
        chapters = chapters.filter(pk=chapter.pk)
    chapters = list(chapters)
    # Every chart the chapter page shows, from the same function (indicators/chapter_charts).
    charts = {c.pk: chapter_charts(c, area) for c in chapters}
    sections = [_chapter_data(chapter, area, charts[chapter.pk]) for chapter in chapters]
    made = production(assessment, chapters, [chart for own in charts.values() for chart in own])
    partnership = assessment.partnership
    document = {
        "assessment": {
            "title": assessment.title,
            "year": assessment.year,
            "author_name": assessment.author_name,
            "author_role": assessment.author_role,
            "author_telephone": assessment.author_telephone,
        },
        "partnership": {"name": partnership.name, "slug": partnership.slug},
        "logo": _logo(assessment),
        "introduction": {
            "html": str(
                _render_markdown(assessment.introduction, id_scope="introduction-text").html
            )
        },
        "production": {
            "periods": made.periods,
            "sources": [{"name": s.name, "licence": s.licence} for s in made.sources],
            "partners": made.partners,
            "caveats": [list(caveat) for caveat in made.caveats],
        },
        "purposes": [
            {
                "code": purpose.kind,
                "kind": purpose.get_kind_display(),
                "label": purpose.label,
                "detail": purpose.detail,
                "addressed": purpose.addressed,
            }
            for purpose in assessment.purposes.all()
        ],
        "headlines": approved_headlines(assessment),
        "chapters": sections,
        "recommendations": [
            {
                "number": item.number,
                "chapter": {
                    "title": item.chapter.title,
                    "lead_organisation": _lead(item.chapter),
                },
                "recommendation": recommendation_data(item.recommendation),
            }
            for item in numbered_recommendations(chapters)
        ],
        "glossary": [list(entry) for entry in glossary_terms(assessment.partnership_id)],
    }
    document |= front_matter_data(assessment, sections)
    for part in REPORT_PARTS.values():
        document |= part.data(assessment)
    return as_data(document)


# The front matter (issue 32) -------------------------------------------------------------------
# The executive summary, area profile, horizon scan and gaps in knowledge: the analyst's words
# with what the data adds to them. Progress against last year's priorities is publication's part
# (publication/services/progress.py), the proposed priorities' scores the priorities' part.


def _markdown_html(text: str, scope: str) -> str:
    return str(_render_markdown(text, id_scope=scope).html)


def _number(value: Decimal) -> str:
    return f"{value.normalize():,f}" if value == value.to_integral() else f"{value:,.1f}"


def _profile_data(partnership_id: int) -> list[dict]:
    return [
        {
            "name": figure.indicator.name,
            "value": _number(figure.value),
            "unit": figure.indicator.unit,
            "is_rate": figure.indicator.measure == Indicator.Measure.RATE,
            "period": figure.period.label,
            "source": figure.indicator.source,
            "is_population": figure.indicator.is_population,
        }
        for figure in area_profile(partnership_id)
    ]


def _without_figures(sections: list[dict]) -> list[dict]:
    """The indicators the chapters show without a figure for their latest period."""
    missing = {}
    for section in sections:
        for figure in section["figures"]:
            if figure["current"] is None:
                name, period = figure["indicator"]["name"], figure["selection"]["current_period"]
                missing.setdefault(name, {
                    "indicator": name,
                    "period": period["label"] if period else "",
                    "chapter": section["chapter"]["title"],
                })  # fmt: skip
    return list(missing.values())


def front_matter_data(assessment: Assessment, sections: list[dict]) -> dict:
    horizon = [
        {
            "factor": item.get_factor_display(),
            "issue": item.issue,
            "implications": item.implications,
            "main_risk": item.main_risk,
        }
        for item in assessment.horizon_scan.all()
    ]
    return {
        # Editions frozen before the front matter existed print as they were approved.
        "has_front_matter": True,
        "executive_summary": {
            "html": _markdown_html(assessment.executive_summary, "executive-summary-text"),
        },
        "area_profile": _profile_data(assessment.partnership_id),
        "horizon_scan": horizon,
        "main_risks": [item for item in horizon if item["main_risk"]],
        "gaps": {
            "html": _markdown_html(assessment.gaps_in_knowledge, "gaps-text"),
            "without_figures": _without_figures(sections),
        },
    }


def _lead(chapter: Chapter) -> dict | None:
    lead = chapter.lead_organisation
    return {"name": lead.name} if lead else None


def _row_data(row: AppendixRow) -> dict:
    return {
        "indicator": {"name": row.indicator.name},
        "geography": {"name": row.geography.name},
        "current": row.current,
        "previous": row.previous,
        "change": row.change,
        "not_comparable": row.not_comparable,
        "rate": row.rate,
    }


def _content_data(content: AppendixContent | None) -> dict | None:
    if content is None:
        return None
    return {
        "current_period": _period(content.current_period),
        "comparison_period": _period(content.comparison_period),
        "tables": [
            {
                "caption": table.caption,
                "row_heading": table.row_heading,
                "by_place": table.by_place,
                "rows": [_row_data(row) for row in table.rows],
            }
            for table in content.tables
        ],
    }


def appendix_document(appendix: Appendix) -> dict:
    """A restricted appendix as data: its words and its tables."""
    anchor = f"appendix-{appendix.slug}"
    return as_data(
        {
            "pk": appendix.pk,
            "anchor": anchor,
            "appendix": {
                "title": appendix.title,
                "summary": appendix.summary,
                "slug": appendix.slug,
            },
            "narrative": {
                "html": str(_render_markdown(appendix.narrative, id_scope=f"{anchor}-text").html)
            },
            "content": _content_data(appendix_content(appendix)),
            # "Hotspots by neighbourhood": each chapter's maps (SVG, table, CSV) and analysis.
            "hotspots": hotspots_content(appendix),
        }
    )
