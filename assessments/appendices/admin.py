"""Admin of restricted appendices: their text and tables, guardian's grant screens and the
audit trail of who read them."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.http import Http404
from django.utils.html import format_html, format_html_join
from guardian.admin import GroupManage, GuardedModelAdminMixin, UserManage
from simple_history.admin import SimpleHistoryAdmin

from assessments.appendices.models import Appendix, AppendixAccess
from assessments.appendices.permissions import (
    appendix_grantable_groups,
    appendix_grantable_users,
    appendix_grantees,
)
from assessments.core.admin_base import (
    ScopedAdmin,
    ScopedHistoryMixin,
    ScopedTabularInline,
)


class AppendixInline(ScopedTabularInline):
    model = Appendix
    extra = 0
    fields = ["order", "title", "slug", "kind"]
    show_change_link = True


def _grantee_form(base: type[forms.Form], field: str, grantable, lookup: str, refusal: str):
    """Guardian's box that picks a person or group by name, answering only with `grantable`
    ones: guardian's own says "does not exist", which tells anyone whether a username is
    taken, and accepts anyone's, whose screen then shows their name."""

    def clean(self):
        found = grantable.filter(**{lookup: self.cleaned_data[field]}).first()
        if found is None:
            raise forms.ValidationError(refusal)
        return found

    return type(f"Scoped{base.__name__}", (base,), {f"clean_{field}": clean})


@admin.register(Appendix)
class AppendixAdmin(ScopedHistoryMixin, GuardedModelAdminMixin, SimpleHistoryAdmin):
    """Grants are managed with guardian's object-permission screens ("Object permissions"),
    limited to the appendix's partnership's people and organisations."""

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

    def _appendix(self, request, object_pk) -> Appendix:
        appendix = self.get_object(request, str(object_pk))
        if appendix is None:
            raise Http404("No such appendix")
        return appendix

    def _appendix_of_request(self, request) -> Appendix:
        return self._appendix(request, request.resolver_match.kwargs["object_pk"])

    @staticmethod
    def _404_unless_among(grantable, pk) -> None:
        if not str(pk).isdigit() or not grantable.filter(pk=pk).exists():
            raise Http404("No such grantee")

    def obj_perms_manage_user_view(self, request, object_pk, user_id):
        grantable = appendix_grantable_users(self._appendix(request, object_pk))
        self._404_unless_among(grantable, user_id)
        return super().obj_perms_manage_user_view(request, object_pk, user_id)

    def obj_perms_manage_group_view(self, request, object_pk, group_id):
        grantable = appendix_grantable_groups(self._appendix(request, object_pk))
        self._404_unless_among(grantable, group_id)
        return super().obj_perms_manage_group_view(request, object_pk, group_id)

    def get_obj_perms_user_select_form(self, request):
        grantable = appendix_grantable_users(self._appendix_of_request(request))
        refusal = "Enter the username of a member of this partnership."
        return _grantee_form(UserManage, "user", grantable, "username", refusal)

    def get_obj_perms_group_select_form(self, request):
        grantable = appendix_grantable_groups(self._appendix_of_request(request))
        refusal = "Enter the group name of one of this partnership's organisations."
        return _grantee_form(GroupManage, "group", grantable, "name", refusal)

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
