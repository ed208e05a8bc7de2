"""Publication and the yearly cycle: the board's decision, each recommendation's outcome, and
the statutory checklist."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from assessments.core.models import Assessment, Chapter, Recommendation, Theme, User


class BoardDecision(models.Model):
    """What the board decided on the assessment at its meeting."""

    partnership_path = "assessment__partnership"

    assessment = models.OneToOneField(
        Assessment, on_delete=models.CASCADE, related_name="board_decision"
    )
    met_on = models.DateField("Date of the board meeting")
    # Where the decision is minuted, so that a reader of the report can find the record.
    minutes_reference = models.CharField(
        "Minutes reference",
        max_length=100,
        blank=True,
        help_text="As the minutes number it, for example “SMK/2017/10 item 4”.",
    )
    priorities = models.TextField(
        "Priorities agreed for the coming year",
        blank=True,
        help_text="One a line. They become the priorities of next year's assessment.",
    )
    # Priorities (issue 20): the themes agreed, chosen from the priority matrix's ranking, and
    # why, where the board chose otherwise than the top of the ranking.
    agreed_themes = models.ManyToManyField(
        Theme,
        blank=True,
        related_name="+",
        verbose_name="Themes agreed as priorities",
        help_text="Chosen from the ranking of the priority-setting matrix.",
    )
    ranking_departure = models.TextField(
        "Why the board chose otherwise than the ranking",
        blank=True,
        help_text="Needed when the themes agreed are not the top of the ranking.",
    )
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Board decision on {self.assessment}"

    @property
    def priority_list(self) -> list[str]:
        return [line.strip() for line in self.priorities.splitlines() if line.strip()]


class RecommendationOutcome(models.Model):
    """The board's decision on one recommendation."""

    partnership_path = "decision__assessment__partnership"

    class Outcome(models.TextChoices):
        ADOPTED = "adopted", "Adopted as a priority"
        NOTED = "noted", "Noted"
        REJECTED = "rejected", "Rejected"

    decision = models.ForeignKey(BoardDecision, on_delete=models.CASCADE, related_name="outcomes")
    recommendation = models.OneToOneField(
        Recommendation, on_delete=models.CASCADE, related_name="board_outcome"
    )
    outcome = models.CharField(max_length=8, choices=Outcome.choices)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["recommendation__chapter__order", "recommendation__order"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=["adopted", "noted", "rejected"]),
                name="recommendation_outcome_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()}: {self.recommendation}"

    def clean(self) -> None:
        # The decision may be unsaved yet (added with its outcomes in one form).
        decision = getattr(self, "decision", None)
        if (
            self.recommendation_id
            and decision is not None
            and self.recommendation.chapter.assessment_id != decision.assessment_id
        ):
            raise ValidationError({"recommendation": "Choose a recommendation of this assessment."})


class StatutoryRequirement(models.TextChoices):
    """What the 2007 regulations (SI 2007/1830) ask every strategic assessment to cover."""

    LEVELS = "levels", "Levels and patterns of crime, disorder and substance misuse"
    CHANGES = "changes", "Changes since the previous assessment, and why"
    PRIORITIES = "priorities", "The matters the partnership should prioritise"
    COMMUNITY = "community", "The views of the community"
    PROGRESS = "progress", "How far the previous partnership plan was carried out"


class StatutoryCoverage(models.Model):
    """The analyst's mapping of one statutory requirement to the chapters that meet it."""

    partnership_path = "assessment__partnership"

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="statutory_coverage"
    )
    requirement = models.CharField(max_length=10, choices=StatutoryRequirement.choices)
    chapters = models.ManyToManyField(Chapter, blank=True, related_name="statutory_coverage")
    note = models.CharField(max_length=300, blank=True)
    # False for a mapping the roll-over copied from last year: approval waits for the analyst
    # to check it against this year's chapters.
    reviewed = models.BooleanField(
        "Reviewed since the roll-over",
        default=True,
        help_text="Copied from last year: tick once the chapters still cover the requirement.",
    )

    class Meta:
        ordering = ["assessment", "requirement"]
        verbose_name_plural = "statutory coverage"
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "requirement"], name="requirement_once_per_assessment"
            ),
            models.CheckConstraint(
                condition=Q(requirement__in=["levels", "changes", "priorities", "community",
                                             "progress"]),
                name="statutory_requirement_valid",
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return self.get_requirement_display()
