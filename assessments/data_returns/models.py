"""Partner data returns: what the analyst asks an organisation for, what it uploads, reminders."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from assessments.core.models import Assessment, Organisation, User
from assessments.core.periods import Period, PeriodType
from assessments.indicators.models import Geography, ImportBatch, Indicator


class DataRequest(models.Model):
    """What the analyst asks one organisation to return for an assessment: a template of
    indicators × periods × places, a due date and the people responsible."""

    partnership_path = "assessment__partnership"

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
        max_length=8, choices=Geography.OWN_LEVELS, default=Geography.Level.AREA
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

    partnership_path = "request__assessment__partnership"

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
