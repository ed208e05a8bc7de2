"""Indicator data: places, indicators, import batches, observations, the indicators a chapter
selects and the cover's headlines."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from assessments.core.models import Assessment, Chapter, Partnership, User
from assessments.core.periods import Period, PeriodType


class Geography(models.Model):
    partnership_path = "partnership"

    class Level(models.TextChoices):
        AREA = "area", "Partnership area"
        ESTATE = "estate", "Estate or ward"
        LSOA = "lsoa", "LSOA"
        # Comparators: places outside the partnership whose figures set its own in context.
        FORCE = "force", "Police force area"
        DISTRICT = "district", "Local authority district"
        NATIONAL = "national", "National or regional"

    # The partnership's own places, for which partners can be asked for figures.
    OWN_LEVELS = [
        (Level.AREA.value, Level.AREA.label),
        (Level.ESTATE.value, Level.ESTATE.label),
        (Level.LSOA.value, Level.LSOA.label),
    ]
    # The places an indicator selection may be compared with.
    COMPARATOR_LEVELS = [Level.FORCE, Level.DISTRICT, Level.NATIONAL]

    level = models.CharField(max_length=8, choices=Level.choices)
    code = models.CharField(max_length=40)
    name = models.CharField(max_length=200)
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="geographies"
    )
    # LSOAs do not nest in estates or wards: this is the analyst's best-fit lookup.
    parent = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="children"
    )
    population = models.PositiveIntegerField(null=True, blank=True)
    # A boundary change: police.uk files name districts as they were that month, so a district
    # merged into another (Aylesbury Vale into Buckinghamshire, 2020) ends with the change. The
    # analyst's mapping lets a trend read the old district's figures as part of its successor's.
    successor = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="predecessors",
        limit_choices_to={"level": "district"},
        help_text="For a district that a boundary change merged into another: the district it "
        "became part of. Its figures then count as the successor's in trends across the change.",
    )

    class Meta:
        ordering = ["level", "name"]
        verbose_name_plural = "geographies"
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "level", "code"], name="geography_code_unique"
            ),
            models.CheckConstraint(
                condition=Q(level__in=["area", "estate", "lsoa", "force", "district", "national"]),
                name="geography_level_valid",
            ),
            models.CheckConstraint(
                condition=Q(successor__isnull=True) | Q(level="district"),
                name="only_districts_have_successors",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.successor_id is None:
            return
        successor = self.successor
        if self.level != self.Level.DISTRICT or successor.level != self.Level.DISTRICT:
            raise ValidationError({"successor": "Only a district can have a successor district."})
        if successor.partnership_id != self.partnership_id:
            raise ValidationError({"successor": "Choose a district of the same partnership."})
        seen = {self.pk}
        while successor is not None:
            if successor.pk in seen:
                raise ValidationError({"successor": "A district cannot succeed itself."})
            seen.add(successor.pk)
            successor = successor.successor


OPEN_GOVERNMENT_LICENCE = "Open Government Licence v3.0"
# Publishers whose statistics are Crown copyright under the Open Government Licence unless they
# say otherwise: a source naming one of them needs no licence typed in.
OGL_PUBLISHERS = ("police.uk", "home office", "office for national statistics")


def default_licence(source: str) -> str:
    """The licence a source is published under when nobody says: the OGL for police.uk, the
    Home Office and the ONS; "" (to ask for it) for any other publisher."""
    words = source.casefold()
    if any(name in words for name in OGL_PUBLISHERS) or "ons" in re.findall(r"[a-z]+", words):
        return OPEN_GOVERNMENT_LICENCE
    return ""


def licence_needed(source: str) -> str:
    return (
        f"Give the licence “{source}” publishes its figures under (for instance "
        f"“{OPEN_GOVERNMENT_LICENCE}”): the report credits every source with its licence."
    )


class Indicator(models.Model):
    """A measure that lasts across years, such as “All Crime” or “Juvenile reoffending rate”."""

    partnership_path = "partnership"

    class Measure(models.TextChoices):
        COUNT = "count", "Count"
        RATE = "rate", "Rate or proportion"

    class Aggregation(models.TextChoices):
        SUM = "sum", "Sum over periods and places"
        RATIO = "ratio", "Recompute from numerator and denominator"
        NONE = "none", "Do not aggregate"

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="indicators"
    )
    code = models.SlugField(max_length=80)
    name = models.CharField(max_length=200)
    unit = models.CharField(max_length=40, default="offences")
    source = models.CharField(max_length=200)
    measure = models.CharField(max_length=5, choices=Measure.choices, default=Measure.COUNT)
    aggregation = models.CharField(
        max_length=5, choices=Aggregation.choices, default=Aggregation.SUM
    )
    increase_is_bad = models.BooleanField(default=True)
    licence = models.CharField(max_length=200, blank=True)
    # Mid-year resident population estimates (ONS): per-resident rates divide by these, only
    # for a period starting in the estimate's year.
    is_population = models.BooleanField(
        default=False,
        help_text="Mid-year resident population estimates, from which rates per 1,000 residents "
        "are computed.",
    )
    # Printed in the report's area profile with the population (issue 32).
    is_profile = models.BooleanField(
        "Part of the area profile",
        default=False,
        help_text="Describes the area (deprivation, age structure): the report's area profile "
        "shows its latest figure.",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "code"], name="indicator_code_unique"),
            models.CheckConstraint(
                condition=~Q(measure="count") | ~Q(aggregation="ratio"),
                name="counts_do_not_use_ratio",
            ),
            models.CheckConstraint(
                condition=~Q(measure="rate") | ~Q(aggregation="sum"), name="rates_never_sum"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        # Whatever creates it (an import, the demo), a police.uk, Home Office or ONS source is
        # credited with its licence; other sources are asked for theirs by admin and imports.
        if not self.licence:
            self.licence = default_licence(self.source)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        self.licence = self.licence.strip() or default_licence(self.source)
        if not self.licence:
            raise ValidationError({"licence": licence_needed(self.source)})


class ImportBatch(models.Model):
    """One load of observations. Replacing data means swapping a batch for another atomically."""

    partnership_path = "partnership"

    class Source(models.TextChoices):
        ADMIN = "admin", "Admin import"
        POLICE_UK = "police_uk", "police.uk street-level files"
        DATA_RETURN = "data_return", "Partner data return"
        DEMO = "demo", "Demo data"

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="batches")
    source = models.CharField(max_length=12, choices=Source.choices)
    key = models.CharField(
        max_length=200,
        help_text="What the batch covers, e.g. “police-uk:2019-01”: a new batch with the same key "
        "replaces the old one.",
    )
    file_name = models.CharField(max_length=255, blank=True)
    imported_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    imported_at = models.DateTimeField(default=timezone.now)
    row_count = models.PositiveIntegerField(default=0)
    summary = models.JSONField(default=dict, blank=True)
    superseded_by = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="replaced"
    )

    class Meta:
        ordering = ["-imported_at"]
        verbose_name = "import"
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "key"],
                condition=Q(superseded_by__isnull=True),
                name="one_current_batch_per_key",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.imported_at:%d %b %Y})"


class Observation(models.Model):
    """One value of an indicator for one period and place, from one import batch."""

    partnership_path = "indicator__partnership"

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="observations")
    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="observations")
    geography = models.ForeignKey(Geography, on_delete=models.PROTECT, related_name="observations")
    period_type = models.CharField(max_length=4, choices=PeriodType.choices)
    period_start = models.DateField()
    value = models.DecimalField(max_digits=14, decimal_places=4)
    # Rates keep their parts so that roll-ups recompute them instead of adding percentages.
    numerator = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    denominator = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)

    class Meta:
        ordering = ["indicator", "period_start"]
        verbose_name = "figure"
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "geography", "period_type", "period_start"],
                name="one_value_per_indicator_place_period",
            ),
            models.CheckConstraint(
                condition=Q(period_type__in=PeriodType.values), name="observation_period_valid"
            ),
        ]
        indexes = [models.Index(fields=["indicator", "period_type", "period_start"])]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.period.label}: {self.value}"

    @property
    def period(self) -> Period:
        return Period(PeriodType(self.period_type), self.period_start)


class GridCount(models.Model):
    """One month's police.uk rows of one crime type in one square cell of a fixed grid in
    British National Grid metres (indicators/grid.py): where, finer than an LSOA. Only rows of
    the partnership's area with coordinates are placed; the rows themselves are not kept."""

    partnership_path = "batch__partnership"

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="grid_counts")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="grid_counts")
    month = models.DateField()
    cell_metres = models.PositiveIntegerField()
    # The cell's south-west corner (EPSG:27700), a multiple of cell_metres.
    easting = models.IntegerField()
    northing = models.IntegerField()
    count = models.PositiveIntegerField()

    class Meta:
        ordering = ["month", "easting", "northing"]
        constraints = [
            models.UniqueConstraint(
                fields=["batch", "indicator", "cell_metres", "easting", "northing"],
                name="one_count_per_batch_type_cell",
            ),
        ]
        indexes = [models.Index(fields=["indicator", "month"])]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.month:%Y-%m} at {self.easting},{self.northing}"


class LsoaBoundarySet(models.Model):
    """The LSOA boundaries of one vintage that the partnership's maps are drawn with, uploaded
    as GeoJSON in admin (indicators/boundaries.py) and kept in BNG metres, simplified."""

    partnership_path = "partnership"

    class Vintage(models.IntegerChoices):
        LSOA_2011 = 2011, "2011 LSOAs"
        LSOA_2021 = 2021, "2021 LSOAs"

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="boundary_sets"
    )
    vintage = models.PositiveSmallIntegerField(
        choices=Vintage.choices,
        help_text="The LSOAs the boundaries are of: police.uk files before 2022 use 2011 LSOAs, "
        "later files 2021 LSOAs. Maps compare periods of one vintage only.",
    )
    name = models.CharField(max_length=200, help_text="e.g. “Milton Keynes LSOAs, December 2021”")
    source = models.CharField(
        max_length=200, default="Office for National Statistics (ONS) digital boundaries"
    )
    licence = models.CharField(max_length=200, default=OPEN_GOVERNMENT_LICENCE)
    attribution = models.TextField(
        help_text="Printed under every map drawn with these boundaries, e.g. “Source: Office for "
        "National Statistics licensed under the Open Government Licence v.3.0. Contains OS data "
        "© Crown copyright and database right 2021.”"
    )
    file_name = models.CharField(max_length=255, blank=True, editable=False)
    uploaded_at = models.DateTimeField(null=True, blank=True, editable=False)
    # How the file was read (its coordinates, vertices read and kept): shown in admin.
    summary = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        ordering = ["partnership", "-vintage"]
        verbose_name = "LSOA boundary set"
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "vintage"], name="one_boundary_set_per_vintage"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class LsoaBoundary(models.Model):
    """One LSOA's outline: GeoJSON MultiPolygon coordinates in whole British National Grid
    metres (EPSG:27700), simplified on upload."""

    partnership_path = "boundary_set__partnership"

    boundary_set = models.ForeignKey(
        LsoaBoundarySet, on_delete=models.CASCADE, related_name="lsoas"
    )
    code = models.CharField(max_length=12)
    name = models.CharField(max_length=200)
    polygons = models.JSONField()
    vertices = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["boundary_set", "code"]
        verbose_name = "LSOA boundary"
        verbose_name_plural = "LSOA boundaries"
        constraints = [
            models.UniqueConstraint(fields=["boundary_set", "code"], name="lsoa_once_per_set"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class ChapterMap(models.Model):
    """A chapter's hotspot map: the police.uk crime types it maps by LSOA over a span of months,
    compared with as many months just before (indicators/chapter_maps.py)."""

    partnership_path = "chapter__assessment__partnership"

    chapter = models.OneToOneField(Chapter, on_delete=models.CASCADE, related_name="hotspot_map")
    crime_types = models.JSONField(
        default=list, help_text="The police.uk crime types the map counts together."
    )
    first_month = models.DateField(help_text="The first month mapped (any day of it).")
    last_month = models.DateField(
        help_text="The last month mapped. The previous period is as many months just before."
    )

    class Meta:
        verbose_name = "hotspot map"
        constraints = [
            models.CheckConstraint(
                condition=Q(first_month__lte=F("last_month")), name="map_months_in_order"
            ),
        ]

    def __str__(self) -> str:
        return f"Hotspot map of {self.chapter}"

    def clean(self) -> None:
        # The crime types are police.uk's names, chosen in the form (indicators/forms.py).
        if self.first_month and self.last_month:
            self.first_month = self.first_month.replace(day=1)
            self.last_month = self.last_month.replace(day=1)
            if self.first_month > self.last_month:
                raise ValidationError({"last_month": "The last month is before the first."})


class IndicatorSelection(models.Model):
    """An indicator chosen for a chapter, with the periods that chapter compares."""

    partnership_path = "chapter__assessment__partnership"

    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="selections")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="selections")
    order = models.PositiveSmallIntegerField(default=0)
    period_type = models.CharField(
        max_length=4, choices=PeriodType.choices, default=PeriodType.FINANCIAL_YEAR
    )
    current_period_start = models.DateField()
    comparison_period_start = models.DateField(
        null=True, blank=True, help_text="Leave empty for a baseline year with no comparison."
    )
    share_of = models.ForeignKey(
        Indicator,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Show this indicator as a share of another, e.g. cannabis possession of all "
        "drug offences.",
    )
    caveat = models.TextField(blank=True)
    comparators = models.ManyToManyField(
        Geography,
        blank=True,
        related_name="+",
        help_text="Places to show beside the area: its police force, peer districts, a national "
        "series. Only figures of this same indicator are compared.",
    )

    class Meta:
        ordering = ["chapter", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["chapter", "indicator"], name="indicator_once_per_chapter"
            ),
            models.CheckConstraint(
                condition=Q(comparison_period_start__isnull=True)
                | Q(comparison_period_start__lt=models.F("current_period_start")),
                name="comparison_before_current",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} in {self.chapter}"

    @property
    def current_period(self) -> Period:
        return Period(PeriodType(self.period_type), self.current_period_start)

    @property
    def comparison_period(self) -> Period | None:
        if self.comparison_period_start is None:
            return None
        return Period(PeriodType(self.period_type), self.comparison_period_start)

    @property
    def is_baseline(self) -> bool:
        return self.comparison_period_start is None


class Headline(models.Model):
    """A statement for the headline summary, generated from an indicator selection or written."""

    partnership_path = "assessment__partnership"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="headlines")
    selection = models.ForeignKey(
        IndicatorSelection,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="headlines",
    )
    text = models.TextField()
    on_cover = models.BooleanField(default=True)
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["assessment", "order"]

    def __str__(self) -> str:
        return self.text[:80]
