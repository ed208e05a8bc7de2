"""PDF exports: one row per rendered document, its audience, status and file."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from assessments.core.models import Assessment, Chapter, User


class ReportExport(models.Model):
    """A request for a rendered document, and the job that renders it."""

    partnership_path = "assessment__partnership"

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

    # The export's address: random, so that no one reaches a file by counting ids. Permission
    # is still checked on every request; the token only keeps exports from being enumerated.
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="exports")
    chapter = models.ForeignKey(
        Chapter, on_delete=models.CASCADE, null=True, blank=True, related_name="exports"
    )
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.FULL_REPORT)
    # The edition printed; none for the working copy. An edition's public PDF is rendered once,
    # at publication, and kept as long as the edition (exports.py's retention spares it).
    edition = models.ForeignKey(
        "assessments.Edition",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="exports",
    )
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
    # A restricted copy is personal: it names its recipient on every page and carries a copy id
    # (in its metadata and in the appendix access log), so that a leaked copy can be traced.
    recipient = models.ForeignKey(
        User, on_delete=models.CASCADE, null=True, blank=True, related_name="personal_exports"
    )
    copy_id = models.CharField(max_length=32, blank=True, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    # When the render last reported progress: the status page shows it, so a stalled render is
    # visible as one.
    progressed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)

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

    def get_absolute_url(self) -> str:
        """The export's status page, which follows the render and offers the file."""
        return self._url("export_status")

    def get_download_url(self) -> str:
        return self._url("export_download")

    def _url(self, name: str) -> str:
        assessment = self.assessment
        return reverse(name, args=[assessment.partnership.slug, assessment.year, self.token])

    @property
    def label(self) -> str:
        """What the document is, as its pages name it: "Report (public version)", "Cover
        paper", "Chapter preview: Crime"."""
        if self.kind == self.Kind.COVER_PAPER:
            return "Cover paper (Discussion and Decision Report)"
        if self.kind == self.Kind.CHAPTER_PREVIEW:
            return f"Chapter preview: {self.chapter.title}"
        version = f"{self.get_variant_display().lower()} version"
        if self.recipient is not None:
            version += f", personal copy of {self.recipient.get_full_name() or self.recipient}"
        return f"Report ({version})"

    def status_url(self, *, next_url: str | None = None) -> str:
        """The status page, told where the request came from (checked when the link is made)."""
        url = self.get_absolute_url()
        return f"{url}?{urlencode({'next': next_url})}" if next_url else url


class Edition(models.Model):
    """The report as the board approved it: a frozen document that never changes.

    `content` is the canonical JSON of the report document (report_data.py) at approval; each
    restricted appendix is an EditionAppendix of its own, so that a copy holds only those its
    reader may see. `sha256` is taken over the content and the appendices' hashes: two prints of
    one edition are provably the same document. A correction is a new edition with a public
    change note; earlier editions stay readable, marked as replaced."""

    partnership_path = "assessment__partnership"

    class Status(models.TextChoices):
        APPROVED = "approved", "Approved"
        PUBLISHED = "published", "Published"
        SUPERSEDED = "superseded", "Replaced by a later edition"
        WITHDRAWN = "withdrawn", "Taken down"

    # What anyone may read: the published edition and those a correction replaced.
    READABLE = (Status.PUBLISHED, Status.SUPERSEDED)

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="editions")
    number = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.APPROVED)
    content = models.TextField(editable=False)
    sha256 = models.CharField(max_length=64, editable=False)
    change_note = models.TextField(
        blank=True, help_text="What this edition corrects, shown to the public. None for the first."
    )
    approved_at = models.DateTimeField()
    approved_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    # Frozen by the upgrade that introduced editions, from the data as it then stood, for an
    # assessment approved or published before: not necessarily what the board read.
    frozen_at_upgrade = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["assessment", "number"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "number"], name="edition_number_unique"),
            models.UniqueConstraint(
                fields=["assessment"],
                condition=Q(status="published"),
                name="one_published_edition",
            ),
            models.UniqueConstraint(
                fields=["assessment"],
                condition=Q(status="approved"),
                name="one_approved_edition",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["approved", "published", "superseded", "withdrawn"]),
                name="edition_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment} edition {self.number}"

    @property
    def short_hash(self) -> str:
        return self.sha256[:12]


class EditionAppendix(models.Model):
    """A restricted appendix as the edition froze it, served only to those who may read the
    appendix itself (appendices/permissions.py)."""

    partnership_path = "edition__assessment__partnership"

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="appendices")
    appendix = models.ForeignKey(
        "assessments.Appendix", on_delete=models.RESTRICT, related_name="editions"
    )
    content = models.TextField(editable=False)
    sha256 = models.CharField(max_length=64, editable=False)

    class Meta:
        ordering = ["edition", "appendix__order"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "appendix"], name="edition_appendix_once")
        ]

    def __str__(self) -> str:
        return f"{self.edition}: appendix {self.appendix_id}"
