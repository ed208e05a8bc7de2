"""A chapter's hotspot map (ChapterMap): the crime types it names, counted by LSOA over its
months and drawn with the partnership's boundaries of those months' LSOA vintage, with a table
of its top areas beside the same number of months just before.

A chapter is public, and the map on its page, in its editions and in the PDF with it: counts under
the suppression threshold are "fewer than 5" (maps.py, public), and no grid is drawn (the grid
is partners' detail, in the restricted appendix). Without boundaries a chapter draws no map.
"""

from __future__ import annotations

import datetime as dt

from assessments.core.models import Chapter
from assessments.indicators.hotspot_analysis import Span, span_vintage
from assessments.indicators.hotspot_maps import boundary_map
from assessments.indicators.hotspots import (
    DEMO_COUNTS_NOTE,
    demo_counts_in,
    lsoa_ranking,
    months_between,
)
from assessments.indicators.maps import ChoroplethMap
from assessments.indicators.models import ChapterMap, LsoaBoundarySet
from assessments.indicators.police_uk import ALL_CRIME, ASB, CRIME_TYPES


def spans(setting: ChapterMap) -> tuple[Span, Span]:
    """The months mapped, and as many months just before them."""
    length = len(months_between(setting.first_month, setting.last_month))
    index = setting.first_month.year * 12 + setting.first_month.month - 1
    first_before = index - length

    def month(i: int) -> dt.date:
        return dt.date(i // 12, i % 12 + 1, 1)

    return (
        Span(setting.first_month, setting.last_month),
        Span(month(first_before), month(index - 1)),
    )


def boundary_set_for(partnership_id: int, span: Span) -> LsoaBoundarySet | None:
    """The boundaries of the span's LSOA vintage; failing those, the other vintage's, whose map
    then says how many crimes fall in the LSOAs it lacks."""
    vintage = span_vintage(partnership_id, span)
    sets = LsoaBoundarySet.objects.filter(partnership_id=partnership_id)
    return sorted(sets, key=lambda s: (s.vintage != vintage, -s.vintage))[0] if sets else None


def crime_types_text(crime_types: list[str]) -> str:
    """ "Burglary, robbery and vehicle crime"; police.uk's own name for every crime type."""
    chosen = set(crime_types)
    crimes = set(CRIME_TYPES) - {ASB}
    if chosen == crimes:
        return ALL_CRIME
    if chosen == set(CRIME_TYPES):
        return "All crime and anti-social behaviour"
    names = [name if i == 0 else name[0].lower() + name[1:] for i, name in enumerate(crime_types)]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def what_is_counted(crime_types: list[str]) -> str:
    if set(crime_types) == {ASB}:
        return "incidents of anti-social behaviour"
    return "crimes and incidents" if ASB in crime_types else "crimes"


def chapter_map(chapter: Chapter, slug: str, *, public: bool = True) -> ChoroplethMap | None:
    """The chapter's map, or None where it names none or the partnership has no boundaries."""
    setting = ChapterMap.objects.filter(chapter=chapter).first()
    if setting is None or not setting.crime_types:
        return None
    partnership_id = chapter.assessment.partnership_id
    current, previous = spans(setting)
    boundary_set = boundary_set_for(partnership_id, current)
    if boundary_set is None:
        return None
    now = lsoa_ranking(partnership_id, current.first_month, current.last_month, setting.crime_types)
    before = lsoa_ranking(
        partnership_id, previous.first_month, previous.last_month, setting.crime_types
    )
    made_up = demo_counts_in(
        partnership_id, previous.first_month, current.last_month, setting.crime_types
    )
    return boundary_map(
        boundary_set,
        now,
        notes=(DEMO_COUNTS_NOTE,) if made_up else (),
        title=f"{crime_types_text(setting.crime_types)} by neighbourhood (LSOA), {current.label()}",
        public=public,
        slug=slug,
        previous=before,
        what=what_is_counted(setting.crime_types),
    )
