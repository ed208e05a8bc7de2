"""Restricted appendices, their guardian grant tables and the log of every read."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from assessments.core.models import MARKDOWN_HELP, Assessment, Partnership, User, web_address_field
from assessments.core.periods import Period, PeriodType
from assessments.indicators.models import Indicator


class Appendix(models.Model):
    """Supporting analysis that is never public: only its grantees see it."""

    partnership_path = "assessment__partnership"

    class Kind(models.TextChoices):
        CRIME_CATEGORY = "crime_category", "By crime category"
        ESTATE = "estate", "By estate"
        NARRATIVE = "narrative", "Narrative only"
        # Every chapter's hotspot map with true counts, its grid and its hotspot analysis.
        HOTSPOTS = "hotspots", "Hotspots by neighbourhood"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="appendices")
    order = models.PositiveSmallIntegerField(default=0)
    slug = web_address_field()
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.NARRATIVE)
    summary = models.TextField(blank=True)
    narrative = models.TextField(blank=True, help_text=MARKDOWN_HELP)
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


class AppendixAccess(models.Model):
    """One view or download of a restricted appendix: the audit trail the analyst reads."""

    partnership_path = "partnership"

    class Route(models.TextChoices):
        PAGE = "page", "Web page"
        CSV = "csv", "CSV download"
        XLSX = "xlsx", "XLSX download"
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
    # The personal copy handed over (a PDF export's or a download's), printed in the copy itself.
    copy_id = models.CharField(max_length=32, blank=True, db_index=True)
    accessed_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-accessed_at", "-pk"]
        verbose_name = "appendix access"
        verbose_name_plural = "appendix access log"
        constraints = [
            models.CheckConstraint(
                condition=Q(route__in=["page", "csv", "xlsx", "pdf"]),
                name="appendix_access_route_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.username} – {self.appendix_title} ({self.get_route_display()})"
