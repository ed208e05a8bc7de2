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

# The terms the report uses without explaining them, as a reader outside community safety needs.
GLOSSARY = (
    ("ASB", "Anti-social behaviour: conduct that has caused, or is likely to cause, harassment, "
     "alarm or distress to any person (Anti-social Behaviour, Crime and Policing Act 2014)."),
    ("Baseline year", "The first year for which a figure is reported; later years are compared "
     "with it. A baseline has no change to report."),
    ("CSEW", "Crime Survey for England and Wales: a national survey of people's experience of "
     "crime, including crime not reported to the police."),
    ("CSP", "Community Safety Partnership: the statutory partners of an area working together "
     "under the Crime and Disorder Act 1998."),
    ("Estate", "A neighbourhood of Milton Keynes, made of whole LSOAs by the analyst's best-fit "
     "lookup."),
    ("LSOA", "Lower layer Super Output Area: a small statistical area of about 1,500 residents "
     "(Office for National Statistics)."),
    ("Per 1,000 residents", "A count divided by the resident population and multiplied by 1,000, "
     "so that places of different sizes can be compared."),
    ("Percentage points", "The difference between two percentages: from 40% to 45% is 5 points, "
     "a relative increase of 12.5%."),
    ("Recorded crime", "Crime recorded by the police under the Home Office Counting Rules; it "
     "changes with reporting and recording practice as well as with offending."),
    ("Small-number suppression", "Counts from 1 to 4 are shown as “fewer than 5”, and others "
     "withheld where a total would reveal them, so that no one can be identified."),
)  # fmt: skip


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
