"""Tables of the Strategic Assessment app, their constraints and single-row behaviour.

Rules that span rows (who may see what, roll-ups, workflow) live in permissions.py, querysets.py
and services/, never here.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, Group
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from .periods import Period, PeriodType

# Chapter slugs share the URL space of /assessments/<slug>/<year>/<chapter>/ with these pages.
RESERVED_CHAPTER_SLUGS = (
    "appendices",
    "changes",
    "compare",
    "consultation",
    "cover",
    "dashboard",
    "decision",
    "edit",
    "exports",
    "feedback",
    "meeting",
    "pdf",
    "returns",
    "transition",
)


def validate_chapter_slug(value: str) -> None:
    if value in RESERVED_CHAPTER_SLUGS:
        raise ValidationError(
            "“%(slug)s” is used by another page of the assessment; choose another slug.",
            params={"slug": value},
            code="reserved",
        )


class Partnership(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    area_name = models.CharField(
        max_length=100,
        help_text="The local-authority name that starts the LSOA names of the area, "
        "for example “Milton Keynes”.",
    )
    logo = models.ImageField(upload_to="logos/", blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    class Kind(models.TextChoices):
        POLICE = "police", "Police"
        COUNCIL = "council", "Local authority"
        FIRE = "fire", "Fire and rescue"
        PROBATION = "probation", "Probation"
        HEALTH = "health", "Health"
        YOUTH_JUSTICE = "youth_justice", "Youth offending team"
        PCC = "pcc", "Police and Crime Commissioner"
        THIRD_SECTOR = "third_sector", "Voluntary and community sector"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=40, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    partnerships = models.ManyToManyField(Partnership, related_name="organisations", blank=True)
    # One Django group per organisation, so an object permission can be granted to everyone in it.
    group = models.OneToOneField(Group, on_delete=models.PROTECT, related_name="organisation")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if self.group_id is None:
            self.group, _ = Group.objects.get_or_create(name=f"Organisation: {self.name}")
        super().save(*args, **kwargs)


class User(AbstractUser):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="users"
    )
    job_title = models.CharField(max_length=120, blank=True)

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class Role(models.TextChoices):
    ANALYST = "analyst", "Analyst"
    CHAIR = "chair", "Chair"
    BOARD_MEMBER = "board", "Board member"
    PARTNER = "partner", "Partner"


class Membership(models.Model):
    """A user's role in one partnership."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "partnership"], name="one_role_per_partnership"
            ),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="membership_role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} of {self.partnership}"


class Assessment(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        CONSULTATION = "consultation", "In consultation"
        APPROVED = "approved", "Approved"
        PUBLISHED = "published", "Published"

    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="assessments"
    )
    year = models.PositiveSmallIntegerField(
        help_text="The year that labels the assessment, e.g. 2017."
    )
    title = models.CharField(max_length=200)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    status_changed_at = models.DateTimeField(default=timezone.now)
    consultation_closes_on = models.DateField(null=True, blank=True)
    author_name = models.CharField(max_length=120, blank=True)
    author_role = models.CharField(max_length=120, blank=True)
    author_telephone = models.CharField(max_length=40, blank=True)
    background = models.TextField(blank=True, help_text="Markdown, for the cover paper.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["partnership__name", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "year"], name="one_assessment_per_partnership_year"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "consultation", "approved", "published"]),
                name="assessment_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="consultation") | Q(consultation_closes_on__isnull=False),
                name="consultation_has_closing_date",
            ),
            models.CheckConstraint(condition=Q(year__gte=2000, year__lte=2100), name="year_sane"),
        ]

    def __str__(self) -> str:
        return f"{self.partnership} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("assessment", args=[self.partnership.slug, self.year])

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class PurposeItem(models.Model):
    """A tick box of the cover paper: a partnership priority or another statutory responsibility."""

    class Kind(models.TextChoices):
        PRIORITY = "priority", "Partnership priority"
        STATUTORY = "statutory", "Other statutory responsibility"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="purposes")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    label = models.CharField(max_length=300)
    addressed = models.BooleanField(default=False, help_text="Ticked on the cover paper.")
    detail = models.CharField(max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["kind", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "kind", "label"], name="purpose_label_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.label


class Theme(models.Model):
    """A subject the partnership assesses year after year (Crime, Violence, …)."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="themes")
    name = models.CharField(max_length=100)
    slug = models.SlugField(validators=[validate_chapter_slug])

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "slug"], name="theme_slug_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Chapter(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="chapters")
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="chapters")
    order = models.PositiveSmallIntegerField()
    slug = models.SlugField(validators=[validate_chapter_slug])
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    narrative = models.TextField(blank=True, help_text="Markdown.")
    lead_organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="led_chapters"
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["assessment", "order"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "slug"], name="chapter_slug_unique"),
            models.UniqueConstraint(fields=["assessment", "order"], name="chapter_order_unique"),
            models.UniqueConstraint(fields=["assessment", "theme"], name="one_chapter_per_theme"),
            models.CheckConstraint(
                condition=~Q(slug__in=RESERVED_CHAPTER_SLUGS), name="chapter_slug_not_reserved"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "chapter",
            args=[self.assessment.partnership.slug, self.assessment.year, self.slug],
        )


class Geography(models.Model):
    class Level(models.TextChoices):
        AREA = "area", "Partnership area"
        ESTATE = "estate", "Estate or ward"
        LSOA = "lsoa", "LSOA"

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

    class Meta:
        ordering = ["level", "name"]
        verbose_name_plural = "geographies"
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "level", "code"], name="geography_code_unique"
            ),
            models.CheckConstraint(
                condition=Q(level__in=["area", "estate", "lsoa"]), name="geography_level_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Indicator(models.Model):
    """A measure that lasts across years, such as “All Crime” or “Juvenile reoffending rate”."""

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


class ImportBatch(models.Model):
    """One load of observations. Replacing data means swapping a batch for another atomically."""

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
        verbose_name_plural = "import batches"
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


class IndicatorSelection(models.Model):
    """An indicator chosen for a chapter, with the periods that chapter compares."""

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


class Recommendation(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        ACCEPTED = "accepted", "Accepted"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        DROPPED = "dropped", "Dropped"

    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="recommendations")
    order = models.PositiveSmallIntegerField(default=0)
    text = models.TextField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PROPOSED)
    # Set when next year's assessment carries this recommendation forward: its history goes on.
    carried_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="carried_to"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["chapter", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["proposed", "accepted", "in_progress", "done", "dropped"]),
                name="recommendation_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]


class Appendix(models.Model):
    """Supporting analysis that is never public: only its grantees see it (permissions.py)."""

    class Kind(models.TextChoices):
        CRIME_CATEGORY = "crime_category", "By crime category"
        ESTATE = "estate", "By estate"
        NARRATIVE = "narrative", "Narrative only"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="appendices")
    order = models.PositiveSmallIntegerField(default=0)
    slug = models.SlugField()
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.NARRATIVE)
    summary = models.TextField(blank=True)
    narrative = models.TextField(blank=True, help_text="Markdown.")
    # What the tables show: crime categories for the whole area, or crime types by estate.
    indicators = models.ManyToManyField(
        Indicator,
        blank=True,
        related_name="appendices",
        help_text="Counts to tabulate: the crime categories, or the crime types shown by estate.",
    )
    period_type = models.CharField(
        max_length=4, choices=PeriodType.choices, default=PeriodType.FINANCIAL_YEAR
    )
    current_period_start = models.DateField(
        null=True, blank=True, help_text="Leave empty for a narrative without tables."
    )
    comparison_period_start = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["assessment", "order"]
        verbose_name_plural = "appendices"
        constraints = [
            models.UniqueConstraint(fields=["assessment", "slug"], name="appendix_slug_unique"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "appendix",
            args=[self.assessment.partnership.slug, self.assessment.year, self.slug],
        )

    def clean(self) -> None:
        """Periods must start where their type starts (1 April for a financial year, …), and the
        comparison must come before the current period."""
        errors = {}
        for field in ("current_period_start", "comparison_period_start"):
            try:
                Period.starting(self.period_type, getattr(self, field))
            except ValueError as error:
                errors[field] = str(error)
        if self.comparison_period_start and not self.current_period_start:
            errors["current_period_start"] = "Choose the current period to compare with."
        elif self.comparison_period_start and (
            self.comparison_period_start >= self.current_period_start
        ):
            errors["comparison_period_start"] = (
                "The comparison must come before the current period."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def current_period(self) -> Period | None:
        return Period.starting(self.period_type, self.current_period_start)

    @property
    def comparison_period(self) -> Period | None:
        return Period.starting(self.period_type, self.comparison_period_start)


# Direct foreign keys instead of guardian's generic tables: faster, and a deleted appendix takes
# its grants with it (https://django-guardian.readthedocs.io/en/stable/userguide/performance/).
class AppendixUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Appendix, on_delete=models.CASCADE)
    history = HistoricalRecords()


class AppendixGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Appendix, on_delete=models.CASCADE)
    history = HistoricalRecords()


class Comment(models.Model):
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="comments")
    chapter = models.ForeignKey(
        Chapter, on_delete=models.CASCADE, null=True, blank=True, related_name="comments"
    )
    appendix = models.ForeignKey(
        Appendix, on_delete=models.CASCADE, null=True, blank=True, related_name="comments"
    )
    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.SET_NULL, null=True, blank=True, related_name="comments"
    )
    paragraph_anchor = models.CharField(max_length=40, blank=True)
    # The text the comment was made on, so it still reads when the paragraph is rewritten.
    quoted_text = models.TextField(blank=True)
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolution_note = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(chapter__isnull=False, appendix__isnull=True)
                | Q(chapter__isnull=True, appendix__isnull=False),
                name="comment_on_chapter_or_appendix",
            ),
            models.CheckConstraint(
                condition=Q(recommendation__isnull=True) | Q(chapter__isnull=False),
                name="recommendation_comment_on_chapter",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.author}: {self.body[:60]}"


class ReportExport(models.Model):
    """A request for a rendered document, and the job that renders it."""

    class Kind(models.TextChoices):
        FULL_REPORT = "report", "Full report"
        COVER_PAPER = "cover", "Cover paper"
        CHAPTER_PREVIEW = "chapter", "Chapter preview"

    class Variant(models.TextChoices):
        PUBLIC = "public", "Public"
        RESTRICTED = "restricted", "Restricted"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="exports")
    chapter = models.ForeignKey(
        Chapter, on_delete=models.CASCADE, null=True, blank=True, related_name="exports"
    )
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.FULL_REPORT)
    variant = models.CharField(max_length=10, choices=Variant.choices, default=Variant.PUBLIC)
    # The ids of the appendices the document contains, sorted: who may download it and what
    # can be reused for an identical request.
    audience = models.JSONField(default=list, blank=True)
    content_hash = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Per cent done.")
    pages = models.PositiveIntegerField(null=True, blank=True)
    file = models.FileField(upload_to="exports/%Y/%m/", blank=True)
    checksum = models.CharField(max_length=64, blank=True)
    size = models.PositiveIntegerField(null=True, blank=True)
    requested_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="exports"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    # Queued while the broker was unreachable: the periodic sweep publishes it when it is back.
    awaiting_broker = models.BooleanField(default=False)

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="export_progress_percent"),
            models.CheckConstraint(
                condition=~Q(kind="chapter") | Q(chapter__isnull=False),
                name="chapter_preview_has_chapter",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_variant_display()}) of {self.assessment}"


class WorkerHeartbeat(models.Model):
    """Written by a Celery task: proof that a worker is consuming the queue."""

    hostname = models.CharField(max_length=200)
    queue = models.CharField(max_length=40, default="default")
    seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-seen_at"]

    def __str__(self) -> str:
        return f"{self.hostname} at {self.seen_at:%H:%M:%S}"


# --- Restricted appendices ---


class AppendixAccess(models.Model):
    """One view or download of a restricted appendix: the audit trail the analyst reads."""

    class Route(models.TextChoices):
        PAGE = "page", "Web page"
        CSV = "csv", "CSV download"
        PDF = "pdf", "PDF export"

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    # The title and username are copied so that the trail still reads after a deletion.
    appendix = models.ForeignKey(
        Appendix, on_delete=models.SET_NULL, null=True, blank=True, related_name="accesses"
    )
    appendix_title = models.CharField(max_length=200)
    user = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    username = models.CharField(max_length=150)
    route = models.CharField(max_length=4, choices=Route.choices)
    path = models.CharField(max_length=500)
    accessed_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-accessed_at", "-pk"]
        verbose_name = "appendix access"
        verbose_name_plural = "appendix access log"
        constraints = [
            models.CheckConstraint(
                condition=Q(route__in=["page", "csv", "pdf"]), name="appendix_access_route_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.username} – {self.appendix_title} ({self.get_route_display()})"


# --- Partner consultation ---


class WorkflowEvent(models.Model):
    """One step of an assessment's workflow: who did it, when, and why (for a move back)."""

    class Action(models.TextChoices):
        OPEN = "open", "Opened for consultation"
        EXTEND = "extend", "Consultation extended"
        CLOSE = "close", "Consultation closed"
        APPROVE = "approve", "Approved by the chair"
        PUBLISH = "publish", "Published"
        UNPUBLISH = "unpublish", "Taken down for correction"
        BACK_TO_DRAFT = "back_to_draft", "Moved back to draft"
        BACK_TO_CONSULTATION = "back_to_consultation", "Moved back to consultation"

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="workflow_events"
    )
    action = models.CharField(max_length=24, choices=Action.choices)
    from_status = models.CharField(max_length=12, choices=Assessment.Status.choices)
    to_status = models.CharField(max_length=12, choices=Assessment.Status.choices)
    # Empty when the consultation closed by itself at its closing date.
    by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(blank=True)
    closes_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(action__in=["back_to_draft", "back_to_consultation", "unpublish"])
                | ~Q(reason=""),
                name="moving_back_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} ({self.assessment})"


class ConsultationState(models.Model):
    """Whether an assessment's consultation has been closed and which reminder went out."""

    assessment = models.OneToOneField(
        Assessment, on_delete=models.CASCADE, related_name="consultation_state"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    # The closing date the "closes in 2 days" reminder was sent for: an extension sends another.
    reminded_for = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Consultation of {self.assessment}"


class ChapterRead(models.Model):
    """When a user last read a chapter, so that later edits show as "changed since you read"."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="chapter_reads")
    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="reads")
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "chapter"], name="one_read_per_user_chapter"),
        ]

    def __str__(self) -> str:
        return f"{self.user} read {self.chapter}"


class RecommendationResponse(models.Model):
    """An organisation's quick answer to a recommendation."""

    class Answer(models.TextChoices):
        SUPPORT = "support", "Support"
        SUPPORT_WITH_CHANGES = "changes", "Support with changes"
        DO_NOT_SUPPORT = "oppose", "Do not support"

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="responses"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="recommendation_responses"
    )
    answer = models.CharField(max_length=8, choices=Answer.choices)
    by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation", "organisation"], name="one_response_per_organisation"
            ),
            models.CheckConstraint(
                condition=Q(answer__in=["support", "changes", "oppose"]),
                name="recommendation_answer_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.get_answer_display()}"


class Invitation(models.Model):
    """An analyst's invitation to a partner: the link in the email lets them set a password."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="invitations"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    email = models.EmailField()
    first_name = models.CharField(max_length=150)
    last_name = models.CharField(max_length=150)
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.PARTNER)
    token = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)
    user = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="invitations"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=["partner", "board"]), name="invitation_partner_or_board"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} to {self.partnership}"


class NotificationPreference(models.Model):
    """How a user hears of new comments: each one at once, or one email a day."""

    class Frequency(models.TextChoices):
        IMMEDIATE = "immediate", "Each comment as it is posted"
        DAILY = "daily", "One email a day"

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="notification_preference"
    )
    new_comments = models.CharField(
        max_length=10, choices=Frequency.choices, default=Frequency.IMMEDIATE
    )
    digest_sent_up_to = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.user}: {self.get_new_comments_display()}"


# --- Partner data returns ---


class DataRequest(models.Model):
    """What the analyst asks one organisation to return for an assessment: a template of
    indicators × periods × places, a due date and the people responsible."""

    class Status(models.TextChoices):
        NOT_SENT = "not_sent", "Not sent"
        AWAITING = "awaiting", "Awaiting"
        OVERDUE = "overdue", "Overdue"
        RECEIVED = "received", "Received"
        NEEDS_CORRECTION = "correction", "Needs correction"

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="data_requests"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="data_requests"
    )
    title = models.CharField(
        max_length=200, help_text="For example “Fire incidents by type, by month”."
    )
    indicators = models.ManyToManyField(Indicator, related_name="data_requests")
    period_type = models.CharField(
        max_length=4, choices=PeriodType.choices, default=PeriodType.MONTH
    )
    first_period_start = models.DateField(help_text="The start of the first period asked for.")
    last_period_start = models.DateField(help_text="The start of the last period asked for.")
    geography_level = models.CharField(
        max_length=8, choices=Geography.Level.choices, default=Geography.Level.AREA
    )
    guidance = models.TextField(blank=True, help_text="Definitions and notes for the partner.")
    due_on = models.DateField()
    contacts = models.ManyToManyField(
        User,
        blank=True,
        related_name="data_requests",
        help_text="Who is emailed; leave empty for everyone of the organisation.",
    )
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="copies"
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_on", "organisation__name", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "organisation", "title"], name="data_request_title_unique"
            ),
            models.CheckConstraint(
                condition=Q(first_period_start__lte=models.F("last_period_start")),
                name="data_request_periods_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.organisation})"

    def get_absolute_url(self) -> str:
        return reverse("data_request", args=[self.pk])

    @property
    def reference(self) -> str:
        """Written in every row of the template, so that a file finds its way back."""
        return f"DR{self.pk}"

    def clean(self) -> None:
        errors = {}
        for field in ("first_period_start", "last_period_start"):
            try:
                Period.starting(self.period_type, getattr(self, field))
            except ValueError as error:
                errors[field] = str(error)
        if errors:
            raise ValidationError(errors)

    def periods(self) -> list[Period]:
        first = Period(PeriodType(self.period_type), self.first_period_start)
        periods = [first]
        while periods[-1].end <= self.last_period_start:
            periods.append(Period(first.type, periods[-1].end))
        return periods


class DataReturn(models.Model):
    """One confirmed upload for a request. The latest is current; earlier ones stay as history,
    with their files, while their figures are replaced by the current one's batch."""

    request = models.ForeignKey(DataRequest, on_delete=models.CASCADE, related_name="returns")
    file = models.FileField(upload_to="data-returns/%Y/%m/")
    original_name = models.CharField(max_length=255)
    uploaded_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="data_returns"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    batch = models.ForeignKey(
        ImportBatch, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    row_count = models.PositiveIntegerField(default=0)
    replaced_by = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="replaced"
    )
    correction_message = models.TextField(blank=True)
    correction_requested_at = models.DateTimeField(null=True, blank=True)
    correction_requested_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["request"],
                condition=Q(replaced_by__isnull=True),
                name="one_current_return_per_request",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.original_name} for {self.request}"


class DataRequestReminder(models.Model):
    """A reminder sent for a request on a date: beat may run twice, the email goes once."""

    request = models.ForeignKey(DataRequest, on_delete=models.CASCADE, related_name="reminders")
    sent_on = models.DateField()
    recipients = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["request", "sent_on"], name="one_reminder_a_day"),
        ]

    def __str__(self) -> str:
        return f"Reminder of {self.request} on {self.sent_on}"


# --- Analyst's workspace ---


class ChapterFigure(models.Model):
    """An image placed in a chapter's narrative by `[[figure:N]]`, stored re-encoded."""

    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="images")
    number = models.PositiveSmallIntegerField(help_text="Referenced as [[figure:N]].")
    image = models.ImageField(upload_to="figures/%Y/")
    # Of the re-encoded image, for the <img> width and height (no layout shift).
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    alt_text = models.CharField(max_length=500)
    caption = models.CharField(max_length=300)
    source = models.CharField(max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["chapter", "number"]
        constraints = [
            models.UniqueConstraint(fields=["chapter", "number"], name="figure_number_unique"),
            models.CheckConstraint(condition=~Q(alt_text=""), name="figure_has_alt_text"),
        ]

    def __str__(self) -> str:
        return f"Figure {self.number}: {self.caption}"

    @property
    def reference(self) -> str:
        return f"[[figure:{self.number}]]"


class ReadinessOverride(models.Model):
    """A workflow step taken although readiness checks failed: who, when, why, and what failed."""

    event = models.OneToOneField(
        WorkflowEvent, on_delete=models.CASCADE, related_name="readiness_override"
    )
    by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    reason = models.TextField()
    failures = models.JSONField(default=list)

    class Meta:
        ordering = ["-at"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="override_has_reason"),
        ]

    def __str__(self) -> str:
        return f"Readiness overridden by {self.by} ({self.event})"


# --- Publication and the yearly cycle ---


class BoardDecision(models.Model):
    """What the board decided on the assessment at its meeting."""

    assessment = models.OneToOneField(
        Assessment, on_delete=models.CASCADE, related_name="board_decision"
    )
    met_on = models.DateField("Date of the board meeting")
    priorities = models.TextField(
        "Priorities agreed for the coming year",
        blank=True,
        help_text="One a line. They become the priorities of next year's assessment.",
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

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="statutory_coverage"
    )
    requirement = models.CharField(max_length=10, choices=StatutoryRequirement.choices)
    chapters = models.ManyToManyField(Chapter, blank=True, related_name="statutory_coverage")
    note = models.CharField(max_length=300, blank=True)

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
