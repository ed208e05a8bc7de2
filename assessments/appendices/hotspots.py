"""The appendix "Hotspots by neighbourhood" (Appendix.Kind.HOTSPOTS): partners' detail of every
chapter of the assessment with a hotspot map (ChapterMap), in chapter order.

For each: the LSOA map with every count as it is (the chapter page shows the public, suppressed
one), the grid's squares over the same crime types and months, and the hotspot analysis as the
tables an analyst puts in a report (top areas by count and by rate, persistent, emerging and
declining hotspots, and the share of crime in the top 10% of LSOAs). Periods of two LSOA vintages
cannot be compared: the section says so in words instead.

The content is plain data (strings, lists, dicts), the same on the appendix page, in its CSV
downloads and frozen in an edition (reporting/report_data.py `appendix_document`). Only the
appendix's grantees see it: appendices/permissions.py decides, in every view that shows it.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from assessments.appendices.models import Appendix
from assessments.core.cache_version import cached
from assessments.core.models import Chapter
from assessments.core.numbers import signed
from assessments.indicators.chapter_maps import (
    chapter_map,
    crime_types_text,
    spans,
    what_is_counted,
)
from assessments.indicators.charts import drawing_data
from assessments.indicators.hotspot_analysis import (
    TOP,
    HotspotAnalysis,
    HotspotRow,
    hotspot_analysis,
)
from assessments.indicators.hotspot_maps import grid_map, months_missing_note
from assessments.indicators.hotspots import HotspotQueryError
from assessments.indicators.models import ChapterMap

# What the appendix's LSOA maps add to the chapter map's title: they are not the public one.
EVERY_COUNT = "every count shown"


def _rate(value: Decimal | None) -> str:
    return "no population" if value is None else f"{value:,}"


def _table(caption: str, analysis: HotspotAnalysis, rows: list[HotspotRow], what: str, empty: str):
    headings = [
        f"Number of {what}",
        f"Previous period ({analysis.previous.label()})",
        "Change",
        "Per 1,000 residents",
    ]
    return {
        "caption": caption,
        "headings": ["Area (LSOA)", *headings],
        # Each cell with its column's heading: the table stacks on a phone, each cell labelled.
        "rows": [
            {
                "area": f"{row.name} ({row.code})",
                "cells": [
                    list(cell)
                    for cell in zip(
                        headings,
                        [
                            f"{row.count:,}",
                            f"{row.previous:,}",
                            signed(row.change),
                            _rate(row.rate_per_1000),
                        ],
                        strict=True,
                    )
                ],
            }
            for row in rows
        ],
        "empty": empty,
    }


def _analysis_tables(analysis: HotspotAnalysis, types: str, what: str) -> list[dict]:
    now, before = analysis.current.label(), analysis.previous.label()
    decile = (
        f"the top 10% of LSOAs (the {analysis.decile_size} of {analysis.lsoas} with most {what})"
    )
    return [
        _table(
            f"{types}: the {TOP} areas with most {what}, {now}",
            analysis, analysis.top_by_count, what, f"No {what} in {now}.",
        ),
        _table(
            f"{types}: the {TOP} areas with the highest rate per 1,000 residents, {now}",
            analysis, analysis.top_by_rate, what,
            "No LSOA with crime has a population recorded: no rates are given.",
        ),
        _table(
            f"Persistent hotspots: in {decile} in {now} and in {before}",
            analysis, analysis.persistent, what, "None: no LSOA was in the top 10% in both.",
        ),
        _table(
            f"Emerging hotspots: in the top 10% in {now}, not in {before}",
            analysis, analysis.emerging, what, "None.",
        ),
        _table(
            f"Declining hotspots: in the top 10% in {before}, not in {now} (largest before first)",
            analysis, analysis.declining, what, "None.",
        ),
    ]  # fmt: skip


def _concentration(analysis: HotspotAnalysis, what: str) -> str:
    now = analysis.current.label()
    if analysis.share_in_top_decile is None:
        return f"No {what} in {now}."
    return (
        f"{analysis.share_in_top_decile}% of the {analysis.total:,} {what} in {now} were in the "
        f"top 10% of LSOAs: the {analysis.decile_size} of the area's {analysis.lsoas} "
        f"({analysis.vintage} LSOAs) with most."
    )


def _section(chapter: Chapter, setting: ChapterMap) -> dict:
    partnership_id = chapter.assessment.partnership_id
    current, previous = spans(setting)
    types, what = crime_types_text(setting.crime_types), what_is_counted(setting.crime_types)
    maps = []
    lsoas = chapter_map(chapter, f"{chapter.slug}-lsoa", public=False)
    if lsoas is not None:
        maps.append(dataclasses.replace(lsoas, title=f"{lsoas.title}, {EVERY_COUNT}"))
    grid = grid_map(
        partnership_id, current.first_month, current.last_month, setting.crime_types,
        title="", slug=f"{chapter.slug}-grid", what=what, outline=lsoas.outline if lsoas else None,
    )  # fmt: skip
    if grid is not None:
        grid.title = f"{types} by {grid.cell_metres}-metre square, {current.label()}"
        maps.append(grid)
    section = {
        "anchor": chapter.slug,
        "chapter": {"slug": chapter.slug, "title": chapter.title, "order": chapter.order},
        "crime_types": types,
        "months": current.label(),
        "previous_months": previous.label(),
        "maps": [drawing_data(drawing) for drawing in maps],
        "tables": [],
        "concentration": "",
        "notes": [],
        "not_compared": "",
    }
    try:
        analysis = hotspot_analysis(partnership_id, current, previous, setting.crime_types)
    except HotspotQueryError as error:
        section["not_compared"] = f"No hotspot analysis for these months: {error}"
        return section
    section["tables"] = _analysis_tables(analysis, types, what)
    section["concentration"] = _concentration(analysis, what)
    if analysis.months_missing:
        section["notes"].append(months_missing_note(analysis.months_missing))
    return section


def hotspots_content(appendix: Appendix) -> dict | None:
    """The appendix's sections, one per chapter with a hotspot map, in chapter order; None for
    an appendix of another kind."""
    if appendix.kind != Appendix.Kind.HOTSPOTS:
        return None
    # The same for every reader granted it (nothing personal): kept until the partnership's
    # data changes, as the chapters' charts are; its maps and analysis take a second to build.
    partnership = appendix.assessment.partnership
    return cached(partnership, lambda: _content(appendix), "appendix-hotspots", appendix.pk)


def _content(appendix: Appendix) -> dict:
    settings = (
        ChapterMap.objects.filter(chapter__assessment=appendix.assessment_id)
        .select_related("chapter__assessment")
        .order_by("chapter__order", "chapter__pk")
    )
    return {
        "sections": [
            _section(setting.chapter, setting) for setting in settings if setting.crime_types
        ]
    }


def hotspot_figure(content: dict | None, slug: str) -> dict | None:
    """The map named `slug` in the content, for its CSV download."""
    for section in (content or {}).get("sections", []):
        for figure in section["maps"]:
            if figure["slug"] == slug:
                return figure
    return None
