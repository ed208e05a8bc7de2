"""Admin of PDF exports: read-only, for following a render."""

from __future__ import annotations

from django.contrib import admin

from assessments.core.admin_base import ScopedAdmin
from assessments.reporting.models import ReportExport


@admin.register(ReportExport)
class ReportExportAdmin(ScopedAdmin):
    list_display = ["assessment", "kind", "variant", "status", "progress", "requested_at"]
    list_filter = ["status", "kind", "variant"]
    readonly_fields = [f.name for f in ReportExport._meta.fields]

    def has_add_permission(self, request, obj=None):
        return False
