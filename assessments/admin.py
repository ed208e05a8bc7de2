"""The analyst's workspace. An analyst is staff, not superuser, and sees only the records of the
partnerships they are analyst of; what "their" means is decided by permissions.py."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html, format_html_join
from guardian.admin import GuardedModelAdminMixin
from import_export.admin import ImportExportMixin
from simple_history.admin import SimpleHistoryAdmin

from . import permissions
from .forms_indicators import PoliceUkConfirmForm, PoliceUkUploadForm
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
    FORMATS,
    GeographyResource,
    ImportLimitError,
    IndicatorResource,
    ObservationResource,
    RecommendationResource,
)
from .services import police_uk
from .services.headlines import headline_check

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


class SafeImportExportMixin(ImportExportMixin):
    """CSV and XLSX only, through the limited formats of resources.py."""

    import_formats = FORMATS
    export_formats = FORMATS

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, ImportLimitError):
            form.add_error("import_file", str(e))
        else:
            super().add_data_read_fail_error_to_form(form, e)


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
    fieldsets = (
        (None, {"fields": ("partnership", "year", "title")}),
        ("Status", {"fields": ("status", "status_changed_at", "consultation_closes_on")}),
        ("Report author", {"fields": ("author_name", "author_role", "author_telephone")}),
        ("Cover paper", {"fields": ("background",)}),
    )


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
class RecommendationAdmin(ScopedMixin, SafeImportExportMixin, SimpleHistoryAdmin):
    resource_classes = [RecommendationResource]
    list_display = ["text", "chapter", "order", "status"]
    list_filter = ["status", "chapter__assessment"]
    search_fields = ["text"]
    list_select_related = ["chapter"]


@admin.register(Geography)
class GeographyAdmin(ScopedMixin, SafeImportExportMixin, admin.ModelAdmin):
    resource_classes = [GeographyResource]
    list_display = ["name", "code", "level", "parent", "population"]
    list_filter = ["level", "partnership"]
    search_fields = ["name", "code"]
    list_select_related = ["parent"]


@admin.register(Indicator)
class IndicatorAdmin(ScopedMixin, SafeImportExportMixin, admin.ModelAdmin):
    resource_classes = [IndicatorResource]
    list_display = ["name", "code", "measure", "aggregation", "increase_is_bad", "source"]
    list_filter = ["measure", "partnership", "source"]
    search_fields = ["name", "code"]


@admin.register(ImportBatch)
class ImportBatchAdmin(ScopedAdmin):
    list_display = ["key", "source", "file_name", "imported_by", "imported_at", "row_count",
                    "superseded_by"]  # fmt: skip
    list_filter = ["source", "partnership"]
    search_fields = ["key", "file_name"]
    readonly_fields = ["summary"]
    change_list_template = "admin/assessments/importbatch/change_list.html"

    def get_urls(self):
        view = self.admin_site.admin_view(self.police_uk_view)
        own = [path("police-uk/", view, name="assessments_importbatch_police_uk")]
        return own + super().get_urls()

    def police_uk_view(self, request):
        """Upload police.uk files, preview what each month holds, then confirm the import."""
        if not permissions.can_use_admin(request.user):
            raise PermissionDenied
        partnerships = permissions.partnerships_administered_by(request.user)
        context = {**self.admin_site.each_context(request), "opts": self.model._meta,
                   "title": "Import police.uk street-level files"}  # fmt: skip
        if request.method == "POST" and "token" in request.POST:
            confirm = PoliceUkConfirmForm(request.POST, partnerships=partnerships)
            if confirm.is_valid():
                return self._police_uk_confirm(request, confirm.cleaned_data)
            messages.error(request, "The upload has expired; choose the files again.")
        form = PoliceUkUploadForm(
            request.POST or None, request.FILES or None, partnerships=partnerships
        )
        if request.method == "POST" and form.is_valid():
            context |= self._police_uk_preview(form)
        return TemplateResponse(
            request, "admin/assessments/importbatch/police_uk.html", context | {"form": form}
        )

    def _police_uk_preview(self, form) -> dict:
        data = form.cleaned_data
        prefix = data["lsoa_prefix"] or data["partnership"].area_name
        token = police_uk.police_uk_upload_store(data["files"])
        try:
            months = police_uk.police_uk_upload_tally(token, prefix)
        except police_uk.PoliceUkFileError as error:
            police_uk.police_uk_upload_discard(token)
            form.add_error("files", str(error))
            return {}
        confirm = PoliceUkConfirmForm(
            initial={
                "partnership": data["partnership"],
                "lsoa_prefix": data["lsoa_prefix"],
                "token": token,
            },  # fmt: skip
            partnerships=form.fields["partnership"].queryset,
        )
        preview = {f"{m:%Y-%m}": police_uk.month_summary(t) for m, t in months.items()}
        return {"preview": preview, "prefix": prefix, "confirm_form": confirm,
                "crime_types": police_uk.CRIME_TYPES}  # fmt: skip

    def _police_uk_confirm(self, request, data):
        try:
            batches = police_uk.police_uk_upload_import(
                token=data["token"],
                partnership=data["partnership"],
                lsoa_prefix=data["lsoa_prefix"] or None,
                user=request.user,
            )
        except police_uk.PoliceUkFileError as error:
            messages.error(request, str(error))
            return redirect("admin:assessments_importbatch_police_uk")
        months = ", ".join(batch.key.removeprefix("police-uk:") for batch in batches)
        messages.success(request, f"Imported police.uk data for {months}.")
        return redirect("admin:assessments_importbatch_changelist")


@admin.register(Observation)
class ObservationAdmin(ScopedMixin, SafeImportExportMixin, admin.ModelAdmin):
    """Import and export only, no editing: observations change by importing a new batch, which
    is their history."""

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
    """The analyst picks the cover's headlines and words them; wording whose numbers the data
    no longer gives is flagged."""

    list_display = ["text", "assessment", "order", "on_cover", "figures_check"]
    list_editable = ["order", "on_cover"]
    list_filter = ["assessment", "on_cover"]
    fields = ["assessment", "selection", "order", "on_cover", "text", "figures_check"]
    readonly_fields = ["figures_check"]

    @admin.display(description="Figures in the wording")
    def figures_check(self, obj: Headline) -> str:
        if obj.pk is None:
            return "Checked against the data once saved."
        check = headline_check(obj)
        if check.figure is None:
            return "Not linked to an indicator: not checked."
        if check.is_flagged:
            return format_html(
                '<strong class="app-flag">Does not match the data: {}.</strong> The data gives: {}',
                ", ".join(check.mismatches),
                check.figure.statement(),
            )
        return "Matches the data."


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
