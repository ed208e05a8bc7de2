"""Admin of the partners' comments."""

from __future__ import annotations

from django.contrib import admin

from assessments.consultation.models import Comment
from assessments.core.admin_base import ScopedAdmin


@admin.register(Comment)
class CommentAdmin(ScopedAdmin):
    list_display = ["author", "chapter", "horizon_item", "created_at", "resolved_at"]
    list_filter = ["resolved_at", "assessment"]
    search_fields = ["body"]

    def get_readonly_fields(self, request, obj=None):
        # A comment stays in its discussion: moved, the chapter it left would keep showing it
        # on its page (consultation/discussions.py), and it could cross to another partnership.
        readonly = super().get_readonly_fields(request, obj)
        where = ["assessment", "chapter", "horizon_item", "parent"]
        return readonly if obj is None else [*readonly, *where]
