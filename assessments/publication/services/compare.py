"""A chapter compared with last year's chapter and with its approved version: the narrative as
removed and added paragraphs, and the indicators beside last year's values."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from decimal import Decimal

from assessments.core.models import Chapter
from assessments.indicators.headlines import HeadlineFigure, figure_for
from assessments.indicators.selectors import partnership_area

PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "same", "removed" or "added"
    text: str


def paragraphs(text: str) -> list[str]:
    return [" ".join(p.split()) for p in PARAGRAPH_BREAK.split(text or "") if p.strip()]


def narrative_diff(old: str, new: str) -> list[DiffLine]:
    """The paragraphs of `new` against `old`: a changed paragraph is the old one removed and
    the new one added, so a reader sees both wordings."""
    before, after = paragraphs(old), paragraphs(new)
    lines = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            lines += [DiffLine("same", text) for text in before[i1:i2]]
            continue
        lines += [DiffLine("removed", text) for text in before[i1:i2]]
        lines += [DiffLine("added", text) for text in after[j1:j2]]
    return lines


@dataclass
class SideBySide:
    name: str
    this_year: HeadlineFigure
    last_year: HeadlineFigure | None

    @property
    def values(self) -> tuple[Decimal | None, Decimal | None]:
        return self.this_year.current, self.last_year.current if self.last_year else None


def indicators_side_by_side(chapter: Chapter, last_year: Chapter | None) -> list[SideBySide]:
    """Each indicator of the chapter with the value last year's chapter showed for it."""
    area = partnership_area(chapter.assessment.partnership_id)
    before = {}
    if last_year is not None:
        before = {s.indicator_id: s for s in last_year.selections.select_related("indicator")}
    rows = []
    for selection in chapter.selections.select_related("indicator", "share_of"):
        previous = before.get(selection.indicator_id)
        rows.append(
            SideBySide(
                name=selection.indicator.name,
                this_year=figure_for(selection, area),
                last_year=figure_for(previous, area) if previous else None,
            )
        )
    return rows
