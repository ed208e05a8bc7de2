"""Admin of data requests to partners and the returns they upload."""

from __future__ import annotations

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html

from assessments.core.admin_base import (
    ScopedAdmin,
    ScopedTabularInline,
)
from assessments.core.models import (
    Assessment,
)
from assessments.core.permissions import administered_rows
from assessments.data_returns.models import DataRequest, DataReturn
from assessments.data_returns.services import data_requests_copy


class DataReturnInline(ScopedTabularInline):
    """Uploads are made by partners on the site; admin shows them."""

    model = DataReturn
    fk_name = "request"
    extra = 0
    fields = ["original_name", "uploaded_by", "uploaded_at", "row_count", "replaced_by",
              "correction_message"]  # fmt: skip
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(DataRequest)
class DataRequestAdmin(ScopedAdmin):
    list_display = ["title", "organisation", "assessment", "due_on", "sent_at", "tracking"]
    list_filter = ["assessment", "organisation"]
    search_fields = ["title"]
    filter_horizontal = ["indicators", "contacts"]
    readonly_fields = ["sent_at", "copied_from", "tracking"]
    inlines = [DataReturnInline]
    actions = ["copy_to_next_year"]

    @admin.display(description="On the site")
    def tracking(self, obj: DataRequest) -> str:
        if obj.pk is None:
            return "Save the request first."
        url = reverse(
            "data_returns_tracking", args=[obj.assessment.partnership.slug, obj.assessment.year]
        )
        return format_html('<a href="{}">Tracking of data returns</a>', url)

    @admin.action(description="Copy to the following year’s assessment")
    def copy_to_next_year(self, request, queryset):
        """Last year's requests, a year on, for the next assessment of the same partnership."""
        for assessment in {r.assessment for r in queryset.select_related("assessment")}:
            following = administered_rows(Assessment.objects.all(), request.user).filter(
                partnership=assessment.partnership, year=assessment.year + 1
            )
            if not following.exists():
                self.message_user(
                    request, f"There is no {assessment.year + 1} assessment yet.", messages.ERROR
                )
                continue
            copies = data_requests_copy(
                requests=list(queryset.filter(assessment=assessment)), to_assessment=following[0]
            )
            self.message_user(request, f"{len(copies)} requests copied to {following[0]}.")
