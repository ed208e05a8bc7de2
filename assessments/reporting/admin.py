"""Admin of PDF exports: read-only, for following a render."""

from __future__ import annotations

from django.contrib import admin

from assessments.core.admin_base import ScopedAdmin
from assessments.reporting.models import ReportExport

# Neither an export's address (its token) nor its file: a personal copy is its recipient's alone.
UNSHOWN = ["token", "file"]


@admin.register(ReportExport)
class ReportExportAdmin(ScopedAdmin):
    list_display = [
        "assessment", "kind", "variant", "recipient", "copy_id", "status", "progress",
        "requested_at",
    ]  # fmt: skip
    list_select_related = ["assessment__partnership", "recipient"]
    list_filter = ["status", "kind", "variant"]
    # A restricted copy found where it should not be names its copy id: whose was it?
    search_fields = ["copy_id", "recipient__username", "recipient__last_name"]
    exclude = UNSHOWN
    view_on_site = False  # its status page's address is the token
    readonly_fields = [f.name for f in ReportExport._meta.fields if f.name not in UNSHOWN]

    def has_add_permission(self, request, obj=None):
        return False
