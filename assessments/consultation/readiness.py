"""Readiness checks: what is missing before an assessment opens for consultation or is approved.

Each failure says what is wrong and where to fix it. The workflow refuses the step while any
check fails, unless the person taking it gives a reason to go ahead (recorded as a
ReadinessOverride with who, when and why).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from assessments.appendices.permissions import appendix_grantees
from assessments.core.markdown import FIGURE_REFERENCE
from assessments.core.models import Assessment
from assessments.indicators.headlines import cover_headlines, figures_of
from assessments.indicators.selectors import chapters_for_report, partnership_area

# The steps the checks guard: opening the consultation, and the chair's approval.
CHECKED_ACTIONS = ("open", "approve")


@dataclass(frozen=True)
class Failure:
    rule: str
    message: str
    fix_url: str
    fix_label: str

    def as_dict(self) -> dict:
        return {"rule": self.rule, "message": self.message}


def _admin(model: str, pk: int) -> str:
    return reverse(f"admin:assessments_{model}_change", args=[pk])


def _edit(chapter) -> str:
    return reverse("chapter_edit", args=chapter.url_args)


def _chapter_failures(chapter, area) -> list[Failure]:
    failures = []
    if not chapter.narrative.strip():
        failures.append(
            Failure(
                "narrative",
                f"“{chapter.title}” has no narrative",
                _edit(chapter),
                "Write the narrative",
            )
        )
    if not chapter.recommendations.all():
        failures.append(
            Failure(
                "recommendations",
                f"“{chapter.title}” has no recommendation",
                _admin("chapter", chapter.pk),
                "Add a recommendation",
            )
        )
    selections = list(chapter.selections.all())
    # One read of the chapter's data for all its figures.
    figures = figures_of(selections, area) if area else [None] * len(selections)
    for selection, figure in zip(selections, figures, strict=True):
        missing_comparison = not selection.is_baseline and (
            figure is None or figure.comparison is None
        )
        if figure is None or figure.current is None or missing_comparison:
            failures.append(
                Failure(
                    "data",
                    f"{selection.indicator.name} in “{chapter.title}” has no data for "
                    f"{'both periods' if not selection.is_baseline else 'its period'}",
                    _admin("chapter", chapter.pk),
                    "Check the indicator's periods or import data",
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
                )
            )
    for number in sorted({int(n) for n in FIGURE_REFERENCE.findall(chapter.narrative)} - numbers):
        failures.append(
            Failure(
                "alt_text",
                f"“{chapter.title}” refers to figure {number}, which has not been uploaded",
                _edit(chapter),
                "Upload it",
            )
        )
    return failures


def readiness_failures(assessment: Assessment) -> list[Failure]:
    """Everything that is not ready yet, chapter by chapter, then headlines and appendices.
    Charts need no check: their alternative text is generated from their data."""
    area = partnership_area(assessment.partnership_id)
    failures = []
    for chapter in chapters_for_report(assessment).prefetch_related("images"):
        chapter.assessment = assessment
        failures += _chapter_failures(chapter, area)
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
