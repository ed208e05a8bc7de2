"""The core tables: partnerships, organisations, people and their roles, assessments, their
chapters, themes, recommendations and figures."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractUser, Group
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

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
    "editions",
    "exports",
    "feedback",
    "horizon-scan",  # the horizon scan's comments page
    "meeting",
    "pdf",
    "priorities",
    "returns",
    "transition",
)


# The admin speaks the analyst's words (issue 33): every text written in Markdown says how to
# write a heading or a list, and every slug is the page's "web address".
MARKDOWN_HELP = "Markdown: # for a heading, * for a list, a blank line between paragraphs."


def web_address_field(**options) -> models.SlugField:
    """A slug as the analyst knows it: the part of the page's address that names it."""
    options.setdefault(
        "help_text", "The part of the page's address that names it: lower case, words joined by -."
    )
    return models.SlugField("web address", **options)


def validate_chapter_slug(value: str) -> None:
    if value in RESERVED_CHAPTER_SLUGS:
        raise ValidationError(
            "“%(slug)s” is used by another page of the assessment; choose another slug.",
            params={"slug": value},
            code="reserved",
        )


class Partnership(models.Model):
    partnership_path = "pk"
    name = models.CharField(max_length=200)
    slug = web_address_field(unique=True)
    area_name = models.CharField(
        max_length=100,
        help_text="The local-authority name that starts the LSOA names of the area, "
        "for example “Milton Keynes”.",
    )
    logo = models.ImageField(upload_to="logos/", blank=True)
    restricted_marking = models.CharField(
        max_length=60,
        default="OFFICIAL-SENSITIVE",
        help_text="The protective marking printed on every page of restricted copies, on the "
        "appendix pages and in appendix downloads: a Government Security Classification such as "
        "OFFICIAL-SENSITIVE.",
    )
    # Bumped by every change to what the partnership's pages show (core/cache_version.py):
    # cached figures and published pages carry it in their keys, so a change shows at once.
    cache_version = models.PositiveBigIntegerField(default=0, editable=False)
    cache_changed_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class GlossaryTerm(models.Model):
    """A term or abbreviation the partnership's reports use, with what it means: its own (BFRS,
    MARAC, county lines) beside the standard terms every report defines (core/glossary.py)."""

    partnership_path = "partnership"

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="glossary_terms"
    )
    term = models.CharField(max_length=80, help_text="For example “MARAC” or “County lines”.")
    definition = models.TextField(
        help_text="What it stands for or means, as a reader outside community safety needs."
    )

    class Meta:
        ordering = ["term"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "term"], name="glossary_term_unique")
        ]

    def __str__(self) -> str:
        return self.term


class Organisation(models.Model):
    partnership_path = "partnerships"

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
    partnership_path = "memberships__partnership"
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

    partnership_path = "partnership"

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


def _long_date(value: dt.date | dt.datetime) -> str:
    """A date as "4 June 2025", in Europe/London for a moment in time."""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date()
    return f"{value.day} {value:%B %Y}"


class Assessment(models.Model):
    partnership_path = "partnership"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        CONSULTATION = "consultation", "In consultation"
        APPROVED = "approved", "Approved"
        PUBLISHED = "published", "Published"
        # After publication, while the analyst corrects the working copy for a new edition
        # (reporting/models.py Edition); the published edition stays public meanwhile.
        CORRECTION = "correction", "Being corrected"

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
    background = models.TextField(blank=True, help_text=f"For the cover paper. {MARKDOWN_HELP}")
    background_reviewed = models.BooleanField(
        "Last year's background reviewed: still true, no change",
        default=False,
        help_text="Tick when the background the roll-over copied still holds word for word; "
        "otherwise approval waits for it to be rewritten.",
    )
    introduction = models.TextField(
        blank=True,
        help_text=f"The foreword or introduction that opens the report. {MARKDOWN_HELP}",
    )
    introduction_reviewed = models.BooleanField(
        "Last year's introduction reviewed: still true, no change",
        default=False,
        help_text="Tick when the introduction the roll-over copied still holds word for word; "
        "otherwise approval waits for it to be rewritten.",
    )
    # The front matter of the report (issue 32): the analyst's words, with what the report adds
    # to them from the data (reporting/report_data.py).
    executive_summary = models.TextField(
        blank=True,
        help_text="Markdown, one page: what changed and the main risks. The report adds the "
        "proposed priorities with their scores and the main risks of the horizon scan.",
    )
    gaps_in_knowledge = models.TextField(
        blank=True,
        help_text="Markdown: what the assessment could not find out, and why. The report adds "
        "the indicators without figures for their latest period.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The edition the public reads; none before publication and after a withdrawal. Every public
    # page and PDF checks it, so clearing it takes the report down at once.
    public_edition = models.OneToOneField(
        "assessments.Edition",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        ordering = ["partnership__name", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "year"], name="one_assessment_per_partnership_year"
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=["draft", "consultation", "approved", "published", "correction"]
                ),
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
    def consultation_has_closed(self) -> bool:
        """Still in consultation, but closed: past its closing date, or closed early ("Close the
        consultation now" records the close on the consultation's state, not the status)."""
        if self.status != self.Status.CONSULTATION:
            return False
        state = getattr(self, "consultation_state", None)
        if state is not None and state.closed_at is not None:
            return True
        closes = self.consultation_closes_on
        return closes is not None and closes < timezone.localdate()

    @property
    def status_label(self) -> str:
        """The badge's word or two, which must agree with status_line beside it."""
        return "Consultation closed" if self.consultation_has_closed else self.get_status_display()

    @property
    def status_detail(self) -> str:
        """What the status line says beyond the badge beside it: "until 4 June 2025", "awaiting
        approval", "on 4 June 2025", or nothing for a draft. A page shows the badge and this,
        so the status is said once."""
        rest = self.status_line.removeprefix(self.status_label)
        return rest.lstrip(", ").strip()

    @property
    def status_line(self) -> str:
        """The one sentence that says where the assessment stands, with its date: every page,
        the PDF's cover and the emails say it the same way."""
        since = _long_date(self.status_changed_at)
        if self.status == self.Status.CONSULTATION:
            closes = self.consultation_closes_on
            if self.consultation_has_closed:
                return "Consultation closed, awaiting approval"
            return f"In consultation until {_long_date(closes)}" if closes else "In consultation"
        if self.status == self.Status.APPROVED:
            return f"Approved on {since}"
        if self.status == self.Status.PUBLISHED:
            return f"Published on {since}"
        if self.status == self.Status.CORRECTION:
            return f"Being corrected since {since}"
        return "Draft"


class PurposeItem(models.Model):
    """A tick box of the cover paper: a partnership priority or another statutory responsibility."""

    partnership_path = "assessment__partnership"

    class Kind(models.TextChoices):
        PRIORITY = "priority", "Partnership priority"
        STATUTORY = "statutory", "Other statutory responsibility"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="purposes")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    label = models.CharField(max_length=300)
    addressed = models.BooleanField(default=False, help_text="Ticked on the cover paper.")
    detail = models.CharField(max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    # A priority's theme: the report's progress section shows how its chapter's figures moved.
    theme = models.ForeignKey(
        "Theme",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="For a priority: the theme whose figures show progress against it.",
    )

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

    partnership_path = "partnership"

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="themes")
    name = models.CharField(max_length=100)
    slug = web_address_field(validators=[validate_chapter_slug])

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "slug"], name="theme_slug_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class ChapterQuerySet(models.QuerySet):
    def themes(self) -> ChapterQuerySet:
        """The chapters the partnership ranks and scores as possible priorities."""
        return self.filter(kind=Chapter.Kind.THEME)


class Chapter(models.Model):
    partnership_path = "assessment__partnership"

    class Kind(models.TextChoices):
        THEME = "theme", "Theme: ranked and scored as a possible priority"
        CONTEXT = "context", "Data source or context: not ranked"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="chapters")
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="chapters")
    order = models.PositiveSmallIntegerField()
    slug = web_address_field(validators=[validate_chapter_slug])
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    narrative = models.TextField(blank=True, help_text=MARKDOWN_HELP)
    narrative_reviewed = models.BooleanField(
        "Last year's narrative reviewed: still true, no change",
        default=False,
        help_text="Tick when the narrative the roll-over copied still holds word for word; "
        "otherwise approval waits for it to be rewritten.",
    )
    lead_organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="led_chapters"
    )
    # A chapter about a source ("Fire Service data") or the area describes, but is no problem the
    # partnership could choose as a priority: the priority matrix leaves it out.
    kind = models.CharField(
        max_length=10,
        choices=Kind.choices,
        default=Kind.THEME,
        help_text="Only themes are scored by partners and ranked as possible priorities.",
    )
    updated_at = models.DateTimeField(auto_now=True)
    # When anything the chapter's discussions show last changed (consultation/discussions.py):
    # the key of the chapter page's rendered discussions. Comments do not move the
    # partnership's cache version, which every other page's caches are keyed by.
    discussions_changed_at = models.DateTimeField(null=True, editable=False)
    history = HistoricalRecords(excluded_fields=["updated_at", "discussions_changed_at"])

    objects = ChapterQuerySet.as_manager()

    class Meta:
        ordering = ["assessment", "order"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "slug"], name="chapter_slug_unique"),
            models.UniqueConstraint(fields=["assessment", "order"], name="chapter_order_unique"),
            models.UniqueConstraint(fields=["assessment", "theme"], name="one_chapter_per_theme"),
            models.CheckConstraint(
                condition=~Q(slug__in=RESERVED_CHAPTER_SLUGS), name="chapter_slug_not_reserved"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["theme", "context"]), name="chapter_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("chapter", args=self.url_args)

    @property
    def url_args(self) -> list:
        """What every chapter URL starts with: partnership, year and the chapter's slug."""
        return [self.assessment.partnership.slug, self.assessment.year, self.slug]


class Recommendation(models.Model):
    partnership_path = "chapter__assessment__partnership"

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
    # Its own lead, where it is not the chapter's (`lead`); like the chapter's, a shared
    # organisation whose deletion leaves the recommendation without one (docs/operations.md).
    lead_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_recommendations",
        help_text="Leave empty when the chapter's lead organisation leads it.",
    )
    due_by = models.DateField(
        "Timescale: to be done by", null=True, blank=True, help_text="For example 31/3/2018."
    )
    success_measure = models.TextField(
        "Measure of success", blank=True, help_text="How the partnership will know it worked."
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

    @property
    def lead(self) -> Organisation | None:
        """Who leads it: its own lead organisation, or else its chapter's."""
        return self.lead_organisation or self.chapter.lead_organisation

    @property
    def due_by_text(self) -> str:
        """The timescale as a report prints it: "31 March 2018", or nothing."""
        return _long_date(self.due_by) if self.due_by else ""


class HorizonScanItem(models.Model):
    """One row of the report's horizon scan: a coming change under one PESTELO heading and what
    it may mean for the partnership; the main risks also open the executive summary."""

    partnership_path = "assessment__partnership"

    class Factor(models.TextChoices):
        POLITICAL = "political", "Political"
        ECONOMIC = "economic", "Economic"
        SOCIAL = "social", "Social"
        TECHNOLOGICAL = "technological", "Technological"
        ENVIRONMENTAL = "environmental", "Environmental"
        LEGAL = "legal", "Legal"
        ORGANISATIONAL = "organisational", "Organisational"

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="horizon_scan"
    )
    factor = models.CharField(max_length=14, choices=Factor.choices)
    issue = models.TextField(help_text="The change on the horizon.")
    implications = models.TextField(blank=True, help_text="What it may mean for community safety.")
    main_risk = models.BooleanField(
        "One of the main risks", default=False, help_text="Listed in the executive summary."
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["assessment", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(factor__in=["political", "economic", "social", "technological",
                                        "environmental", "legal", "organisational"]),
                name="horizon_factor_valid",
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.get_factor_display()}: {self.issue[:60]}"


class ChapterFigure(models.Model):
    """An image placed in a chapter's narrative by `[[figure:N]]`, stored re-encoded."""

    partnership_path = "chapter__assessment__partnership"

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


class OutboxJob(models.Model):
    """A piece of background work (an email, a render, a notification), written in the same
    transaction as the change that asks for it, so that it exists exactly when the change does.

    core/jobs.py publishes it to the broker after the commit, and again, backing off, while the
    broker is down; the worker marks it done, so a message delivered twice runs once."""

    task = models.CharField(max_length=100, help_text="Its name under assessments.tasks.")
    args = models.JSONField(default=list, blank=True)
    kwargs = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)
    publish_attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    runs = models.PositiveSmallIntegerField(default=0, help_text="Deliveries a worker started.")
    # Held by the delivery running the job, so that a second copy does not run at once.
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(published_at=None),
                name="outbox_unpublished",
            )
        ]

    def __str__(self) -> str:
        return f"{self.task} {self.args} (outbox {self.pk})"


class OutboxDelivery(models.Model):
    """One email of an outbox job, recorded as soon as it is sent: a job delivered again (its
    worker died between two emails) sends only to the addresses not recorded yet."""

    job = models.ForeignKey(OutboxJob, on_delete=models.CASCADE, related_name="deliveries")
    address = models.EmailField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["job", "address"], name="one_email_per_job_address")
        ]

    def __str__(self) -> str:
        return f"{self.address} ({self.job})"


class FormSubmission(models.Model):
    """A form that created something, by the key it was drawn with, and where its answer sent
    the sender: the same form sent again is sent there and stores nothing (core/idempotency.py).
    Removed by the nightly housekeeping after FORM_SUBMISSION_RETENTION."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=32)
    location = models.CharField(max_length=2000, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="one_submission_per_form_key")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.key}"
