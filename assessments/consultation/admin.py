"""Admin of the partners' comments."""

from __future__ import annotations

from django.contrib import admin

from assessments.consultation.models import Comment
from assessments.core.admin_base import ScopedAdmin


@admin.register(Comment)
class CommentAdmin(ScopedAdmin):
    list_display = ["author", "chapter", "created_at", "resolved_at"]
    list_filter = ["resolved_at", "chapter__assessment"]
    search_fields = ["body"]
