"""The priority-setting matrix of an assessment: its criteria, the analyst's overrides of the
scores the data proposes, and each organisation's scores.

A theme of the assessment is its chapter (a `core.Theme` appears in an assessment as one
chapter), so scores hang on the chapter: they roll over with it and the partnership's theme
links the years. The scores the data proposes are not stored: they are read from the chapter's
figures whenever they are shown, so that they never drift from the data."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from assessments.core.models import Assessment, Chapter, Organisation, User
from assessments.core.numbers import percent, with_minus

LEVELS = (1, 2, 3, 4)
SCORE_CHOICES = [(level, str(level)) for level in LEVELS]
SCORE_VALIDATORS = [MinValueValidator(1), MaxValueValidator(4)]


class Criterion(models.Model):
    """One question every theme is scored against, on a scale of 1 to 4."""

    partnership_path = "assessment__partnership"

    class DataSource(models.TextChoices):
        NONE = "", "Not answered by the data"
        VOLUME = "volume", "Volume: the chapter's first count (never a rate)"
        TREND = "trend", "Trend: the change in the chapter's lead figure"

    class Axis(models.TextChoices):
        NONE = "", "Not on the matrix chart"
        X = "x", "Across (likelihood or volume)"
        Y = "y", "Up (impact or harm)"

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="priority_criteria"
    )
    order = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(max_length=80)
    question = models.CharField(max_length=300)
    level_1 = models.CharField("Level 1 means", max_length=200)
    level_2 = models.CharField("Level 2 means", max_length=200)
    level_3 = models.CharField("Level 3 means", max_length=200)
    level_4 = models.CharField("Level 4 means", max_length=200)
    weight = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    data_source = models.CharField(
        max_length=8, choices=DataSource.choices, default=DataSource.NONE, blank=True
    )
    # The bands of a criterion the data answers: a value over band_2 scores 2, over band_3
    # scores 3, over band_4 scores 4, anything else 1. Trend bands are in per cent (percentage
    # points for rates); volume bands in the lead figure's own unit.
    band_2 = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    band_3 = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    band_4 = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    axis = models.CharField(max_length=1, choices=Axis.choices, default=Axis.NONE, blank=True)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name_plural = "criteria"
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "name"], name="priority_criterion_name_unique"
            ),
            models.UniqueConstraint(
                fields=["assessment", "axis"],
                condition=~Q(axis=""),
                name="priority_criterion_one_per_axis",
            ),
            models.CheckConstraint(condition=Q(weight__gte=1), name="priority_criterion_weight"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        # A criterion the data answers needs all three bands, rising, or it would propose nothing.
        if not self.data_source:
            return
        if None in self.bands:
            raise ValidationError("Set the bands of levels 2, 3 and 4 for the data to propose.")
        if not self.band_2 < self.band_3 < self.band_4:
            raise ValidationError("The bands must rise from level 2 to level 4.")

    @property
    def levels(self) -> list[tuple[int, str]]:
        return list(
            zip(LEVELS, (self.level_1, self.level_2, self.level_3, self.level_4), strict=True)
        )

    @property
    def bands(self) -> list:
        return [self.band_2, self.band_3, self.band_4]

    @property
    def data_answers(self) -> bool:
        return bool(self.data_source) and None not in self.bands

    def band_text(self) -> str:
        """The bands in words, as the analyst set them ("over 10 scores 4")."""
        if not self.data_answers:
            return ""
        places = [2 if band % 1 else 0 for band in self.bands]
        if self.data_source == self.DataSource.TREND:
            words = [percent(band, n) for band, n in zip(self.bands, places, strict=True)]
        else:
            words = [
                with_minus(f"{band:,.{n}f}") for band, n in zip(self.bands, places, strict=True)
            ]
        return "; ".join(
            f"over {word} scores {level}" for level, word in zip((2, 3, 4), words, strict=True)
        )


class ScoreOverride(models.Model):
    """The analyst's score for a theme and criterion in place of the data's, with the reason."""

    partnership_path = "chapter__assessment__partnership"

    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="score_overrides")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="overrides")
    score = models.PositiveSmallIntegerField(choices=SCORE_CHOICES, validators=SCORE_VALIDATORS)
    reason = models.TextField()
    by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["chapter", "criterion"], name="one_override_a_score"),
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=4), name="override_score_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.chapter}: {self.criterion} overridden to {self.score}"


class OrganisationScore(models.Model):
    """One organisation's score for a theme against a criterion, given during consultation."""

    partnership_path = "chapter__assessment__partnership"

    chapter = models.ForeignKey(
        Chapter, on_delete=models.CASCADE, related_name="organisation_scores"
    )
    criterion = models.ForeignKey(
        Criterion, on_delete=models.CASCADE, related_name="organisation_scores"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="priority_scores"
    )
    score = models.PositiveSmallIntegerField(choices=SCORE_CHOICES, validators=SCORE_VALIDATORS)
    comment = models.TextField(blank=True)
    scored_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    scored_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["chapter__order", "criterion__order", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "chapter", "criterion"],
                name="one_score_per_organisation",
            ),
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=4), name="organisation_score_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.chapter} / {self.criterion} = {self.score}"
