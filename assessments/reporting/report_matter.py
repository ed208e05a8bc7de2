"""The report's front and back matter beyond the chapters: how the assessment was produced, its
data sources and licences, every recommendation in one table and the glossary.

Each is built from the same rows the chapters show (the sections of documents.py), so the front
and back matter cannot say something the chapters do not.
"""

from __future__ import annotations

from dataclasses import dataclass

from assessments.core.models import Assessment, Chapter, Organisation, Recommendation
from assessments.indicators.charts import Chart
from assessments.indicators.models import IndicatorSelection


@dataclass(frozen=True)
class Source:
    name: str
    licence: str


@dataclass(frozen=True)
class Production:
    """How this assessment was produced: its periods, sources, partners and caveats."""

    periods: list[str]
    sources: list[Source]
    partners: list[str]
    caveats: list[tuple[str, str]]  # (indicator, caveat)


def _selections(chapters: list[Chapter]) -> list[IndicatorSelection]:
    return [selection for chapter in chapters for selection in chapter.selections.all()]


def _period_span(selection: IndicatorSelection) -> str:
    current = selection.current_period.label
    if selection.comparison_period is None:
        return f"{current} (baseline)"
    return f"{current} compared with {selection.comparison_period.label}"


def data_sources(chapters: list[Chapter], charts: list[Chart]) -> list[Source]:
    """Every source the figures and charts come from, with its licence, in order of first use."""
    found = [Source(s.indicator.source, s.indicator.licence) for s in _selections(chapters)]
    found += [Source(chart.source, chart.licence) for chart in charts if chart.source]
    return list(dict.fromkeys(found))


def production(assessment: Assessment, chapters: list[Chapter], charts: list[Chart]) -> Production:
    selections = _selections(chapters)
    partners = Organisation.objects.filter(partnerships=assessment.partnership_id).order_by("name")
    return Production(
        periods=list(dict.fromkeys(_period_span(s) for s in selections)),
        sources=data_sources(chapters, charts),
        partners=list(partners.values_list("name", flat=True)),
        caveats=[(s.indicator.name, s.caveat) for s in selections if s.caveat],
    )


@dataclass(frozen=True)
class NumberedRecommendation:
    number: str  # "3.2": the chapter's order, then the recommendation's place within it
    chapter: Chapter
    recommendation: Recommendation


def numbered_recommendations(chapters: list[Chapter]) -> list[NumberedRecommendation]:
    """Every recommendation, numbered as the chapters print them."""
    return [
        NumberedRecommendation(f"{chapter.order}.{number}", chapter, recommendation)
        for chapter in chapters
        for number, recommendation in enumerate(chapter.recommendations.all(), start=1)
    ]
