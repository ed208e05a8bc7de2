"""Readiness checks: what is missing before an assessment opens for consultation, and the
publication gate that approval and publication must pass.

Each failure says what is wrong and where to fix it. Opening the consultation is refused while a
readiness check fails, unless the analyst gives a reason to go ahead (recorded as a
ReadinessOverride with who, when and why): a consultation may start on a draft. Approving and
publishing pass the gate (every readiness check and those below) or are refused: no reason
skips it, because what the board approves is the partnership's document of record.

Higher layers add checks to the gate with `gate_check` (the statutory checklist, kept by
publication, is registered from the shell module `assessments/readiness.py`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from assessments.appendices.permissions import appendix_grantees
from assessments.core.glossary import glossary_terms, undefined_abbreviations
from assessments.core.markdown import FIGURE_REFERENCE
from assessments.core.models import Assessment
from assessments.indicators.headlines import approved_headlines, cover_headlines, figures_of
from assessments.indicators.models import ChapterMap, LsoaBoundarySet
from assessments.indicators.selectors import chapters_for_report, partnership_area

# The step whose failed checks a recorded reason may skip: opening the consultation on a draft.
OVERRIDABLE_ACTIONS = ("open",)
# The steps that pass the publication gate, which nothing skips.
GATED_ACTIONS = ("approve", "publish")

GateCheck = Callable[[Assessment], list["Failure"]]
_GATE_CHECKS: list[GateCheck] = []


@dataclass(frozen=True)
class Failure:
    """A check that fails: what, where the analyst fixes it (`fix_url`, often the admin), and
    for the others who see it (the chair approving) a page they may open (`reader_url`, named
    by `reader_label`): the chapter it is about, the assessment page's introduction or
    statutory checklist, or the dashboard when `reader_url` is empty."""

    rule: str
    message: str
    fix_url: str
    fix_label: str
    reader_url: str = ""
    reader_label: str = "Read the chapter"

    def as_dict(self) -> dict:
        return {"rule": self.rule, "message": self.message}


def _admin(model: str, pk: int) -> str:
    return reverse(f"admin:assessments_{model}_change", args=[pk])


def _edit(chapter) -> str:
    return reverse("chapter_edit", args=chapter.url_args)


def _missing_periods(selection, figure) -> str:
    """Which of the selection's periods have no data, in words ("" when none is missing)."""
    current = selection.current_period.label
    lacks_current = figure is None or figure.current is None
    if selection.is_baseline:
        return current if lacks_current else ""
    lacks_comparison = figure is None or figure.comparison is None
    comparison = selection.comparison_period.label
    if lacks_current and lacks_comparison:
        return f"either period ({comparison} or {current})"
    if lacks_current:
        return current
    return comparison if lacks_comparison else ""


def _chapter_failures(chapter, figures) -> list[Failure]:
    failures = []
    if not chapter.narrative.strip():
        failures.append(
            Failure(
                "narrative",
                f"“{chapter.title}” has no narrative",
                _edit(chapter),
                "Write the narrative",
                chapter.get_absolute_url(),
            )
        )
    if not chapter.recommendations.all():
        failures.append(
            Failure(
                "recommendations",
                f"“{chapter.title}” has no recommendation",
                _admin("chapter", chapter.pk),
                "Add a recommendation",
                chapter.get_absolute_url(),
            )
        )
    for selection, figure in zip(chapter.selections.all(), figures, strict=True):
        missing = _missing_periods(selection, figure)
        if missing:
            failures.append(
                Failure(
                    "data",
                    f"{selection.indicator.name} in “{chapter.title}” has no data for {missing}",
                    _admin("chapter", chapter.pk),
                    "Check the indicator's periods or import data",
                    chapter.get_absolute_url(),
                )
            )
    numbers = {figure.number for figure in chapter.images.all()}
    for figure in chapter.images.all():
        if not figure.alt_text.strip():
            failures.append(
                Failure(
                    "alt_text",
                    f"Figure {figure.number} in “{chapter.title}” has no alternative text",
                    _edit(chapter),
                    "Add it",
                    chapter.get_absolute_url(),
                )
            )
    for number in sorted({int(n) for n in FIGURE_REFERENCE.findall(chapter.narrative)} - numbers):
        failures.append(
            Failure(
                "alt_text",
                f"“{chapter.title}” refers to figure {number}, which has not been uploaded",
                _edit(chapter),
                "Upload it",
                chapter.get_absolute_url(),
            )
        )
    return failures


def readiness_failures(assessment: Assessment) -> list[Failure]:
    """Everything that is not ready yet, chapter by chapter, then headlines and appendices.
    Charts need no check: their alternative text is generated from their data."""
    area = partnership_area(assessment.partnership_id)
    failures = []
    chapters = list(chapters_for_report(assessment).prefetch_related("images"))
    # One read of the data for every chapter's figures: the cost does not grow with the
    # chapters (the dashboard lists these failures on every visit).
    selections = [selection for chapter in chapters for selection in chapter.selections.all()]
    figures = iter(figures_of(selections, area) if area else [None] * len(selections))
    for chapter in chapters:
        chapter.assessment = assessment
        own = [next(figures) for _ in chapter.selections.all()]
        failures += _chapter_failures(chapter, own)
    for checked in cover_headlines(assessment, on_cover_only=False):
        if checked.is_flagged:
            numbers = ", ".join(checked.mismatches)
            failures.append(
                Failure(
                    "headline",
                    f"The headline “{checked.headline.text}” quotes {numbers}, which "
                    "the data no longer gives",
                    _admin("headline", checked.headline.pk),
                    "Correct the headline",
                )
            )
    for appendix in assessment.appendices.all():
        organisations, users = appendix_grantees(appendix)
        if not organisations and not users:
            failures.append(
                Failure(
                    "grants",
                    f"Nobody has been given access to the appendix “{appendix.title}”",
                    _admin("appendix", appendix.pk),
                    "Grant access",
                )
            )
    return failures


def readiness_notices(assessment: Assessment) -> list[Failure]:
    """What the analyst should look at but that stops nothing: figures whose change is not given
    because a period lacks months (the pages say so), and abbreviations the narratives use
    that the glossary does not define."""
    area = partnership_area(assessment.partnership_id)
    notices = []
    chapters = list(chapters_for_report(assessment))
    by_pk = {chapter.pk: chapter for chapter in chapters}
    selections = [selection for chapter in chapters for selection in chapter.selections.all()]
    # One book for every chapter's figures: a fixed number of queries, however many chapters.
    for figure in figures_of(selections, area) if area and selections else []:
        if figure.not_comparable:
            chapter = by_pk[figure.selection.chapter_id]
            chapter.assessment = assessment
            notices.append(
                Failure(
                    "comparable",
                    f"{figure.indicator.name} in “{chapter.title}” shows no change, "
                    f"{figure.not_comparable}",
                    _admin("chapter", chapter.pk),
                    "Import the missing months, or compare other periods",
                    chapter.get_absolute_url(),
                )
            )
    notices += _maps_without_boundaries(assessment, chapters)
    notices += _undefined_abbreviations(assessment, chapters)
    return notices


def _maps_without_boundaries(assessment: Assessment, chapters) -> list[Failure]:
    """Chapters whose hotspot map cannot be drawn: the partnership has no LSOA boundaries."""
    if LsoaBoundarySet.objects.filter(partnership_id=assessment.partnership_id).exists():
        return []
    mapped = set(ChapterMap.objects.filter(chapter__in=chapters).values_list("chapter", flat=True))
    for chapter in chapters:
        chapter.assessment = assessment  # its address, without reading it again
    return [
        Failure(
            "map",
            f"“{chapter.title}” has a hotspot map, but no LSOA boundaries are loaded: the "
            "chapter draws no map until they are.",
            reverse("admin:assessments_lsoaboundaryset_add"),
            "Upload LSOA boundaries",
            chapter.get_absolute_url(),
        )
        for chapter in chapters
        if chapter.pk in mapped
    ]


def _undefined_abbreviations(assessment: Assessment, chapters) -> list[Failure]:
    texts = [assessment.introduction, assessment.background]
    texts += assessment.headlines.values_list("text", flat=True)
    for chapter in chapters:
        texts += [chapter.title, chapter.summary, chapter.narrative]
        texts += [recommendation.text for recommendation in chapter.recommendations.all()]
    for appendix in assessment.appendices.all():
        texts += [appendix.summary, appendix.narrative]
    terms = [term for term, _ in glossary_terms(assessment.partnership_id)]
    return [
        Failure(
            "glossary",
            f"“{abbreviation}” is used in the narratives but the glossary does not define it",
            _admin("partnership", assessment.partnership_id),
            "Add it to the partnership's glossary",
        )
        for abbreviation in undefined_abbreviations(texts, terms)
    ]


# The checked step that comes next from each status: what the dashboard lists the gaps of.
NEXT_CHECKED_STEP = {
    Assessment.Status.DRAFT: "open",
    Assessment.Status.CONSULTATION: "approve",
    Assessment.Status.CORRECTION: "approve",
    Assessment.Status.APPROVED: "publish",
}


def next_step_failures(assessment: Assessment) -> tuple[str | None, list[Failure]]:
    """The next checked workflow step from the assessment's status, and what stops it now."""
    action = NEXT_CHECKED_STEP.get(assessment.status)
    return action, failures_for(assessment, action) if action else []


def failures_for(assessment: Assessment, action: str) -> list[Failure]:
    """What stops the workflow step `action` now (nothing for the unchecked steps)."""
    if action in GATED_ACTIONS:
        return publication_gate_failures(assessment)
    if action in OVERRIDABLE_ACTIONS:
        return readiness_failures(assessment)
    return []


def gate_check(check: GateCheck) -> GateCheck:
    """Add a check of a higher layer to the publication gate."""
    if check not in _GATE_CHECKS:
        _GATE_CHECKS.append(check)
    return check


def publication_gate_failures(assessment: Assessment) -> list[Failure]:
    """Everything that stops approval or publication: every readiness check, then what a
    document of record needs besides (figures in every chapter, a headline on the cover, the
    introduction, no text left as last year's roll-over copied it) and the registered checks."""
    failures = readiness_failures(assessment)
    failures += _empty_chapters(assessment)
    if not approved_headlines(assessment):
        failures.append(
            Failure(
                "headline",
                "No headline is on the cover",
                reverse("admin:assessments_headline_add"),
                "Write a headline",
            )
        )
    if not assessment.introduction.strip():
        failures.append(
            Failure(
                "introduction",
                "The introduction has not been written",
                _admin("assessment", assessment.pk),
                "Write the introduction",
                assessment.get_absolute_url(),
                "Read the assessment page",
            )
        )
    failures += _texts_left_as_copied(assessment)
    for check in _GATE_CHECKS:
        failures += check(assessment)
    return failures


def _empty_chapters(assessment: Assessment) -> list[Failure]:
    chapters = assessment.chapters.filter(selections__isnull=True).order_by("order")
    return [
        Failure(
            "data",
            f"“{chapter.title}” has no figures",
            _admin("chapter", chapter.pk),
            "Add an indicator",
            chapter.get_absolute_url(),
        )
        for chapter in chapters
    ]


# The assessment's texts the roll-over copies, each with its "_reviewed" tick (issue 32).
CARRIED_TEXTS = (
    ("background", "The cover paper's background"),
    ("introduction", "The introduction"),
)


def _texts_left_as_copied(assessment: Assessment) -> list[Failure]:
    """Texts that still read word for word as last year's, which the roll-over copied, and that
    the analyst has not marked as reviewed: an assessment must not publish last year's words
    as this year's without someone saying they still hold."""
    last_year = Assessment.objects.filter(
        partnership_id=assessment.partnership_id, year=assessment.year - 1
    ).first()
    if last_year is None:
        return []
    failures = [
        Failure(
            "carried",
            f"{name} is last year's, word for word",
            _admin("assessment", assessment.pk),
            "Rewrite it, or tick that it was reviewed",
        )
        for field, name in CARRIED_TEXTS
        if getattr(assessment, field).strip()
        and getattr(assessment, field) == getattr(last_year, field)
        and not getattr(assessment, f"{field}_reviewed")
    ]
    last_narratives = dict(last_year.chapters.values_list("slug", "narrative"))
    for chapter in assessment.chapters.filter(narrative_reviewed=False).order_by("order"):
        if chapter.narrative.strip() and chapter.narrative == last_narratives.get(chapter.slug):
            failures.append(
                Failure(
                    "carried",
                    f"“{chapter.title}” still has last year's narrative, word for word",
                    _admin("chapter", chapter.pk),
                    "Rewrite it, or tick that it was reviewed",
                    chapter.get_absolute_url(),
                )
            )
    return failures
