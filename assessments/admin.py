"""The analyst's workspace. An analyst is staff, not superuser, and sees only the records of the
partnerships they are analyst of; what "their" means is decided by permissions.py."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import Model, QuerySet
from django.utils.html import format_html, format_html_join
from guardian.admin import GuardedModelAdminMixin
from import_export.admin import ExportMixin, ImportExportMixin
from simple_history.admin import SimpleHistoryAdmin

from . import permissions
from .models import (
    Appendix,
    Assessment,
    Chapter,
    Comment,
    Geography,
    Headline,
    ImportBatch,
    Indicator,
    IndicatorSelection,
    Membership,
    Observation,
    Organisation,
    Partnership,
    PurposeItem,
    Recommendation,
    ReportExport,
    Theme,
    User,
)
from .resources import (
    GeographyResource,
    IndicatorResource,
    ObservationResource,
    RecommendationResource,
)
from .services import reports
from .views_reports import export_status_url

# How each model reaches its partnership: the one map that scopes querysets and choices.
PARTNERSHIP_PATH: dict[type[Model], str] = {
    Partnership: "pk",
    Organisation: "partnerships",
    User: "memberships__partnership",
    Membership: "partnership",
    Assessment: "partnership",
    PurposeItem: "assessment__partnership",
    Theme: "partnership",
    Chapter: "assessment__partnership",
    Geography: "partnership",
    Indicator: "partnership",
    ImportBatch: "partnership",
    Observation: "indicator__partnership",
    IndicatorSelection: "chapter__assessment__partnership",
    Headline: "assessment__partnership",
    Recommendation: "chapter__assessment__partnership",
    Appendix: "assessment__partnership",
    Comment: "chapter__assessment__partnership",
    ReportExport: "assessment__partnership",
}


def scope(queryset: QuerySet, user) -> QuerySet:
    path = PARTNERSHIP_PATH.get(queryset.model)
    if path is None:
        return queryset
    partnerships = permissions.partnerships_administered_by(user)
    return queryset.filter(**{f"{path}__in": partnerships}).distinct()


class ScopedMixin:
    """Admin and inline behaviour for analysts: their partnerships' rows and choices only."""

    def get_queryset(self, request):
        return scope(super().get_queryset(request), request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and hasattr(field, "queryset"):
            field.queryset = scope(field.queryset, request.user)
        return field

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and hasattr(field, "queryset"):
            field.queryset = scope(field.queryset, request.user)
        return field

    def has_module_permission(self, request):
        return permissions.can_use_admin(request.user)

    def has_view_permission(self, request, obj=None):
        return permissions.can_use_admin(request.user)

    def has_add_permission(self, request, obj=None):
        return permissions.can_use_admin(request.user)

    def has_change_permission(self, request, obj=None):
        return permissions.can_use_admin(request.user)

    def has_delete_permission(self, request, obj=None):
        return permissions.can_use_admin(request.user)

    def has_import_permission(self, request):
        return permissions.can_use_admin(request.user)

    def has_export_permission(self, request):
        return permissions.can_use_admin(request.user)


class ScopedAdmin(ScopedMixin, admin.ModelAdmin):
    pass


class OperatorOnlyAddMixin:
    """Records that only an operator (superuser) creates, such as a new partnership."""

    def has_add_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(Partnership)
class PartnershipAdmin(OperatorOnlyAddMixin, ScopedAdmin):
    list_display = ["name", "slug", "area_name"]
    search_fields = ["name", "area_name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Organisation)
class OrganisationAdmin(ScopedAdmin):
    list_display = ["name", "short_name", "kind"]
    list_filter = ["kind", "partnerships"]
    search_fields = ["name", "short_name"]
    exclude = ["group"]
    filter_horizontal = ["partnerships"]


class MembershipInline(ScopedMixin, admin.TabularInline):
    model = Membership
    extra = 1


@admin.register(User)
class UserAdmin(ScopedMixin, DjangoUserAdmin):
    list_display = ["username", "first_name", "last_name", "email", "organisation", "is_active"]
    list_filter = ["is_active", "is_staff", "organisation", "memberships__role"]
    search_fields = ["username", "first_name", "last_name", "email"]
    inlines = [MembershipInline]
    partner_fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Person", {"fields": ("first_name", "last_name", "email", "job_title", "organisation")}),
        ("Access", {"fields": ("is_active", "is_staff", "last_login", "date_joined")}),
    )
    readonly_fields = ["last_login", "date_joined"]

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return (*self.partner_fieldsets, ("Operator", {"fields": ("is_superuser",)}))
        # Analysts manage people, not Django's global permissions or operator accounts.
        return self.partner_fieldsets


class PurposeInline(ScopedMixin, admin.TabularInline):
    model = PurposeItem
    extra = 0
    fields = ["kind", "order", "label", "addressed", "detail"]


class ChapterInline(ScopedMixin, admin.TabularInline):
    model = Chapter
    extra = 0
    fields = ["order", "title", "slug", "theme", "lead_organisation"]
    show_change_link = True


class AppendixInline(ScopedMixin, admin.TabularInline):
    model = Appendix
    extra = 0
    fields = ["order", "title", "slug", "kind"]
    show_change_link = True


@admin.register(Assessment)
class AssessmentAdmin(ScopedAdmin):
    list_display = ["title", "partnership", "year", "status", "status_changed_at"]
    list_filter = ["status", "partnership", "year"]
    search_fields = ["title"]
    date_hierarchy = "status_changed_at"
    inlines = [PurposeInline, ChapterInline, AppendixInline]
    actions = ["prepare_pdfs"]
    fieldsets = (
        (None, {"fields": ("partnership", "year", "title")}),
        ("Status", {"fields": ("status", "status_changed_at", "consultation_closes_on")}),
        ("Report author", {"fields": ("author_name", "author_role", "author_telephone")}),
        ("Cover paper", {"fields": ("background",)}),
    )

    @admin.action(description="Prepare the PDFs (public and restricted)")
    def prepare_pdfs(self, request, queryset):
        """Queue (or reuse) both variants of each selected assessment's report."""
        for assessment in queryset.select_related("partnership"):
            for variant in ReportExport.Variant:
                if not permissions.can_request_export(request.user, assessment, variant):
                    continue
                export = reports.report_export_request(
                    assessment=assessment, user=request.user, variant=variant
                )
                link = format_html(
                    '<a href="{}">{} PDF of {}</a>: {}',
                    export_status_url(export),
                    export.get_variant_display(),
                    assessment,
                    export.get_status_display().lower(),
                )
                self.message_user(request, link, messages.SUCCESS)


@admin.register(Theme)
class ThemeAdmin(ScopedAdmin):
    list_display = ["name", "slug", "partnership"]
    list_filter = ["partnership"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class SelectionInline(ScopedMixin, admin.TabularInline):
    model = IndicatorSelection
    fk_name = "chapter"
    extra = 0
    fields = [
        "order",
        "indicator",
        "period_type",
        "current_period_start",
        "comparison_period_start",
        "share_of",
        "caveat",
    ]


class RecommendationInline(ScopedMixin, admin.StackedInline):
    model = Recommendation
    extra = 0
    fields = [("order", "status"), "text"]


@admin.register(Chapter)
class ChapterAdmin(ScopedMixin, SimpleHistoryAdmin):
    list_display = ["title", "assessment", "order", "lead_organisation", "updated_at"]
    list_filter = ["assessment__partnership", "assessment__year", "lead_organisation"]
    search_fields = ["title", "summary", "narrative"]
    ordering = ["assessment", "order"]
    list_select_related = ["assessment", "lead_organisation"]
    inlines = [SelectionInline, RecommendationInline]
    prepopulated_fields = {"slug": ["title"]}


@admin.register(Recommendation)
class RecommendationAdmin(ScopedMixin, ImportExportMixin, SimpleHistoryAdmin):
    resource_classes = [RecommendationResource]
    list_display = ["text", "chapter", "order", "status"]
    list_filter = ["status", "chapter__assessment"]
    search_fields = ["text"]
    list_select_related = ["chapter"]


@admin.register(Geography)
class GeographyAdmin(ScopedMixin, ImportExportMixin, admin.ModelAdmin):
    resource_classes = [GeographyResource]
    list_display = ["name", "code", "level", "parent", "population"]
    list_filter = ["level", "partnership"]
    search_fields = ["name", "code"]
    list_select_related = ["parent"]


@admin.register(Indicator)
class IndicatorAdmin(ScopedMixin, ImportExportMixin, admin.ModelAdmin):
    resource_classes = [IndicatorResource]
    list_display = ["name", "code", "measure", "aggregation", "increase_is_bad", "source"]
    list_filter = ["measure", "partnership", "source"]
    search_fields = ["name", "code"]


@admin.register(ImportBatch)
class ImportBatchAdmin(ScopedAdmin):
    list_display = ["key", "source", "file_name", "imported_by", "imported_at", "row_count"]
    list_filter = ["source", "partnership"]
    search_fields = ["key", "file_name"]
    readonly_fields = ["summary"]


@admin.register(Observation)
class ObservationAdmin(ScopedMixin, ExportMixin, admin.ModelAdmin):
    """Read and export only: observations change by importing a new batch, which is their
    history."""

    resource_classes = [ObservationResource]
    list_display = ["indicator", "geography", "period_type", "period_start", "value", "batch"]
    list_filter = ["indicator", "period_type", "geography__level"]
    search_fields = ["indicator__name", "geography__name", "geography__code"]
    list_select_related = ["indicator", "geography", "batch"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Headline)
class HeadlineAdmin(ScopedMixin, SimpleHistoryAdmin):
    list_display = ["text", "assessment", "order", "on_cover"]
    list_filter = ["assessment", "on_cover"]


@admin.register(Appendix)
class AppendixAdmin(ScopedMixin, GuardedModelAdminMixin, SimpleHistoryAdmin):
    """Grants are managed with guardian's object-permission screens ("Object permissions")."""

    list_display = ["title", "assessment", "kind", "order"]
    list_filter = ["assessment", "kind"]
    search_fields = ["title", "narrative"]
    readonly_fields = ["who_can_see_this"]

    @admin.display(description="Who can see this appendix")
    def who_can_see_this(self, obj: Appendix) -> str:
        if obj.pk is None:
            return "Save the appendix, then grant it with “Object permissions”."
        organisations, users = permissions.appendix_grantees(obj)
        rows = [("Organisation", o.name) for o in organisations]
        rows += [("Person", u.get_full_name() or u.username) for u in users]
        if not rows:
            return "Only the partnership's analyst and chair."
        listed = format_html_join("", "<li>{}: {}</li>", rows)
        return format_html("The partnership's analyst and chair, and:<ul>{}</ul>", listed)


@admin.register(Comment)
class CommentAdmin(ScopedAdmin):
    list_display = ["author", "chapter", "appendix", "created_at", "resolved_at"]
    list_filter = ["resolved_at", "chapter__assessment"]
    search_fields = ["body"]


@admin.register(ReportExport)
class ReportExportAdmin(ScopedAdmin):
    list_display = ["assessment", "kind", "variant", "status", "progress", "requested_at"]
    list_filter = ["status", "kind", "variant"]
    readonly_fields = [f.name for f in ReportExport._meta.fields]

    def has_add_permission(self, request, obj=None):
        return False
