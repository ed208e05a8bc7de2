"""The priority matrix of an assessment, read in a constant number of queries: its criteria,
themes, the scores the data proposes (from the chapters' figures, through one SeriesBook), the
analyst's overrides and every organisation's scores, combined and ranked by services/scoring.py."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q

from assessments.consultation.selectors import responding_organisations
from assessments.core.models import Assessment, Chapter, Organisation
from assessments.core.numbers import change_words
from assessments.indicators.chapter_charts import value_text
from assessments.indicators.headlines import HeadlineFigure, headline_figures
from assessments.priorities.models import Criterion, OrganisationScore, ScoreOverride
from assessments.priorities.services.scoring import (
    RULE,
    CriterionScore,
    band_score,
    combined_score,
    criterion_score,
    ranks,
    shown_score,
)


@dataclass(frozen=True)
class Proposal:
    """The score the data proposes, and the figure it was read from, in words."""

    score: int | None
    figure: str


@dataclass
class Cell:
    criterion: Criterion
    result: CriterionScore
    proposal: Proposal | None
    override: ScoreOverride | None
    partner_scores: list[OrganisationScore]

    @property
    def spread(self) -> int | None:
        """Highest less lowest organisation score: 0 is agreement, 3 the widest split."""
        scores = [s.score for s in self.partner_scores]
        return max(scores) - min(scores) if len(scores) > 1 else None


@dataclass
class ThemeRow:
    chapter: Chapter
    cells: list[Cell]
    combined: Decimal | None = None
    rank: int | None = None
    organisations_scored: list[Organisation] = field(default_factory=list)

    @property
    def theme(self) -> str:
        return self.chapter.title

    @property
    def widest_spread(self) -> int | None:
        spreads = [c.spread for c in self.cells if c.spread is not None]
        return max(spreads, default=None)

    def axis_score(self, criterion: Criterion | None) -> Decimal | None:
        for cell in self.cells:
            if criterion is not None and cell.criterion.pk == criterion.pk:
                return shown_score(cell.result.score)
        return None


@dataclass
class Matrix:
    assessment: Assessment
    criteria: list[Criterion]
    rows: list[ThemeRow]  # in rank order
    organisations: list[Organisation]  # those asked to score
    rule: str = RULE

    def axis(self, which: str) -> Criterion | None:
        return next((c for c in self.criteria if c.axis == which), None)

    @property
    def silent(self) -> list[Organisation]:
        scored = {org.pk for row in self.rows for org in row.organisations_scored}
        return [org for org in self.organisations if org.pk not in scored]

    @property
    def by_disagreement(self) -> list[ThemeRow]:
        """The themes organisations disagree on most first (widest spread of any criterion)."""
        split = [row for row in self.rows if row.widest_spread]
        return sorted(split, key=lambda row: -row.widest_spread)

    @property
    def has_scores(self) -> bool:
        return any(row.combined is not None for row in self.rows)


def figures_by_chapter(assessment: Assessment) -> dict[int, list[HeadlineFigure]]:
    """Each chapter's selected figures in order, read through one book."""
    figures: dict[int, list[HeadlineFigure]] = {}
    for figure in headline_figures(assessment):
        figures.setdefault(figure.selection.chapter_id, []).append(figure)
    return figures


def lead_figures(assessment: Assessment) -> dict[int, HeadlineFigure]:
    """Each chapter's lead figure (its first selected indicator), read through one book."""
    return {chapter: figures[0] for chapter, figures in figures_by_chapter(assessment).items()}


def propose(criterion: Criterion, figures: list[HeadlineFigure]) -> Proposal | None:
    """The score the bands give the chapter's figures, for a criterion the data answers: the
    volume from its first count (a rate or proportion says nothing of how much there is, and
    count bands applied to 33.3% would score it as a handful), the trend from its lead figure."""
    if not criterion.data_answers:
        return None
    if not figures:
        return Proposal(None, "No figure selected for this chapter")
    if criterion.data_source == Criterion.DataSource.VOLUME:
        counts = [figure for figure in figures if not figure.is_rate]
        if not counts:
            names = ", ".join(figure.indicator.name for figure in figures)
            return Proposal(None, f"{names}: a rate, and volume is proposed from counts only")
        figure = counts[0]
        name, period = figure.indicator.name, figure.selection.current_period.label
        text = f"{name}, {period}: {value_text(figure.current, figure.is_rate)}"
        return Proposal(band_score(figure.current, criterion.bands), text)
    figure = figures[0]
    name, period = figure.indicator.name, figure.selection.current_period.label
    if figure.not_comparable:
        return Proposal(None, f"{name}: {figure.not_comparable}")
    if figure.change is None:
        return Proposal(None, f"{name}, {period}: no comparison ({figure.direction})")
    compared = figure.selection.comparison_period.label
    change = change_words(figure.change, is_rate=figure.is_rate, points=figure.change_unit)
    text = f"{name}, {period} against {compared}: {change}"
    return Proposal(band_score(figure.change, criterion.bands), text)


def priority_matrix(assessment: Assessment) -> Matrix:
    """Everything the scoring, results and report pages show of the matrix."""
    criteria = list(assessment.priority_criteria.all())
    chapters = list(assessment.chapters.themes().select_related("theme").order_by("order"))
    overrides = {
        (o.chapter_id, o.criterion_id): o
        for o in ScoreOverride.objects.filter(criterion__assessment=assessment).select_related("by")
    }
    given: dict[tuple[int, int], list[OrganisationScore]] = defaultdict(list)
    scores = OrganisationScore.objects.filter(criterion__assessment=assessment).select_related(
        "organisation"
    )
    for score in scores.order_by("organisation__name", "pk"):
        given[score.chapter_id, score.criterion_id].append(score)
    figures = figures_by_chapter(assessment) if any(c.data_answers for c in criteria) else {}
    rows = [_row(chapter, criteria, overrides, given, figures) for chapter in chapters]
    ordered = []
    for index, rank in ranks([row.combined for row in rows]):
        rows[index].rank = rank
        ordered.append(rows[index])
    return Matrix(assessment, criteria, ordered, responding_organisations(assessment))


def _row(chapter, criteria, overrides, given, figures) -> ThemeRow:
    cells = []
    organisations: dict[int, Organisation] = {}
    for criterion in criteria:
        key = (chapter.pk, criterion.pk)
        override = overrides.get(key)
        partner_scores = given.get(key, [])
        proposal = propose(criterion, figures.get(chapter.pk, []))
        result = criterion_score(
            override=override.score if override else None,
            partner_scores=[s.score for s in partner_scores],
            proposed=proposal.score if proposal else None,
        )
        cells.append(Cell(criterion, result, proposal, override, partner_scores))
        organisations |= {s.organisation_id: s.organisation for s in partner_scores}
    combined = combined_score((cell.result.score, cell.criterion.weight) for cell in cells)
    scored = sorted(organisations.values(), key=lambda org: org.name)
    return ThemeRow(chapter, cells, combined, organisations_scored=scored)


def own_scores(
    assessment: Assessment, organisation_id: int
) -> dict[tuple[int, int], OrganisationScore]:
    """An organisation's scores for the assessment, by (chapter, criterion)."""
    rows = OrganisationScore.objects.filter(
        chapter__assessment=assessment, organisation_id=organisation_id
    )
    return {(s.chapter_id, s.criterion_id): s for s in rows}


@dataclass(frozen=True)
class ThemeState:
    """How far an organisation has scored one theme: how many of the criteria it has scored."""

    chapter: Chapter
    given: int
    criteria: int

    @property
    def scored(self) -> bool:
        """A theme counts as scored once the organisation has given it any score: "Not scored"
        is a fair answer to a criterion the organisation cannot judge."""
        return self.given > 0


@dataclass(frozen=True)
class ScoringProgress:
    """An organisation's progress through the themes, in the order they are scored."""

    themes: list[ThemeState]

    @property
    def total(self) -> int:
        return len(self.themes)

    @property
    def scored(self) -> int:
        return sum(state.scored for state in self.themes)

    @property
    def asked(self) -> bool:
        """Is there anything to score: themes, and criteria to score them against?"""
        return bool(self.themes) and self.themes[0].criteria > 0

    @property
    def complete(self) -> bool:
        return self.scored == self.total

    def state_of(self, chapter: Chapter) -> ThemeState | None:
        return next((s for s in self.themes if s.chapter.pk == chapter.pk), None)

    def after(self, chapter: Chapter) -> Chapter | None:
        """The theme that follows `chapter`, or None after the last."""
        chapters = [state.chapter for state in self.themes]
        index = next(i for i, c in enumerate(chapters) if c.pk == chapter.pk)
        return chapters[index + 1] if index + 1 < len(chapters) else None

    @property
    def next_to_score(self) -> Chapter | None:
        return next((s.chapter for s in self.themes if not s.scored), None)


def scoring_progress(assessment: Assessment, organisation_id: int | None) -> ScoringProgress:
    """The themes with how many scores the organisation has given each, in two queries."""
    criteria = assessment.priority_criteria.count()
    mine = Q(organisation_scores__organisation_id=organisation_id)
    chapters = (
        assessment.chapters.themes()
        .order_by("order")
        .annotate(given=Count("organisation_scores", filter=mine))
    )
    return ScoringProgress([ThemeState(c, c.given, criteria) for c in chapters])


def theme_proposals(
    assessment: Assessment, chapter: Chapter, criteria: list[Criterion]
) -> dict[int, Proposal]:
    """What the data proposes for one theme, by criterion (only the criteria the data answers)."""
    if not any(c.data_answers for c in criteria):
        return {}
    figures = figures_by_chapter(assessment).get(chapter.pk)
    proposals = {c.pk: propose(c, figures) for c in criteria}
    return {pk: proposal for pk, proposal in proposals.items() if proposal is not None}


def silent_scorers(assessment: Assessment) -> list[Organisation]:
    """The organisations asked to score that have given no score yet."""
    scored = set(
        OrganisationScore.objects.filter(chapter__assessment=assessment).values_list(
            "organisation_id", flat=True
        )
    )
    return [org for org in responding_organisations(assessment) if org.pk not in scored]


def departs_from_ranking(assessment: Assessment, theme_ids: set[int]) -> bool:
    """Whether choosing these themes departs from the top of the ranking: each chosen theme must
    score at least as high as the n-th ranked theme, n the number chosen (so either of two tied
    themes at the edge is the ranking's choice). Without a ranking nothing departs from it."""
    ranked = [row for row in priority_matrix(assessment).rows if row.combined is not None]
    if not ranked or not theme_ids:
        return False
    edge = ranked[min(len(theme_ids), len(ranked)) - 1].combined
    at_top = {row.chapter.theme_id for row in ranked if row.combined >= edge}
    return not set(theme_ids) <= at_top
