"""Admin of restricted appendices: their text and tables, guardian's grant screens and the
audit trail of who read them."""

from __future__ import annotations

from django.contrib import admin
from django.utils.html import format_html, format_html_join
from guardian.admin import GuardedModelAdminMixin
from simple_history.admin import SimpleHistoryAdmin

from assessments.appendices.models import Appendix, AppendixAccess
from assessments.appendices.permissions import appendix_grantees
from assessments.core.admin_base import ScopedAdmin, ScopedHistoryMixin, ScopedMixin


class AppendixInline(ScopedMixin, admin.TabularInline):
    model = Appendix
    extra = 0
    fields = ["order", "title", "slug", "kind"]
    show_change_link = True


@admin.register(Appendix)
class AppendixAdmin(ScopedHistoryMixin, GuardedModelAdminMixin, SimpleHistoryAdmin):
    """Grants are managed with guardian's object-permission screens ("Object permissions")."""

    obj_perms_manage_template = "admin/assessments/appendix/obj_perms_manage.html"
    list_display = ["title", "assessment", "kind", "order"]
    # RelatedOnly: the filter's choices come from the scoped queryset, not from every row.
    list_filter = [("assessment", admin.RelatedOnlyFieldListFilter), "kind"]
    search_fields = ["title", "narrative"]
    readonly_fields = ["who_can_see_this"]
    filter_horizontal = ["indicators"]
    fieldsets = (
        (None, {"fields": ("assessment", "order", "title", "slug", "kind", "who_can_see_this")}),
        ("Text", {"fields": ("summary", "narrative")}),
        (
            "Tables",
            {
                "description": "By crime category: each indicator's total for the whole area. "
                "By estate: each indicator's LSOA counts added up by the estate lookup.",
                "fields": (
                    "indicators",
                    "period_type",
                    "current_period_start",
                    "comparison_period_start",
                ),
            },
        ),
    )

    @admin.display(description="Who can see this appendix")
    def who_can_see_this(self, obj: Appendix) -> str:
        if obj.pk is None:
            return "Save the appendix, then grant it with “Object permissions”."
        organisations, users = appendix_grantees(obj)
        rows = [("Organisation", o.name) for o in organisations]
        rows += [("Person", u.get_full_name() or u.username) for u in users]
        if not rows:
            return "Only the partnership's analyst and chair."
        listed = format_html_join("", "<li>{}: {}</li>", rows)
        return format_html("The partnership's analyst and chair, and:<ul>{}</ul>", listed)


@admin.register(AppendixAccess)
class AppendixAccessAdmin(ScopedAdmin):
    """The audit trail: read-only, the analyst's own partnerships' appendices only."""

    list_display = ["accessed_at", "who", "appendix_title", "route"]
    list_select_related = ["user__organisation"]
    list_filter = ["route", ("appendix", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["username", "appendix_title"]
    date_hierarchy = "accessed_at"
    readonly_fields = [f.name for f in AppendixAccess._meta.fields]

    @admin.display(description="Who", ordering="username")
    def who(self, obj: AppendixAccess) -> str:
        if obj.user is None:  # the account has been deleted since
            return obj.username
        organisation = obj.user.organisation
        return f"{obj.user} ({organisation})" if organisation else str(obj.user)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
