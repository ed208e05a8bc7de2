"""The analyst's workspace. An analyst is staff, not superuser, and sees only the records of the
partnerships they are analyst of; what "their" means is decided by permissions.py."""

from __future__ import annotations

import base64
import hashlib

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django_otp.plugins.otp_totp.models import TOTPDevice
from guardian.admin import GuardedModelAdminMixin
from import_export.admin import ImportExportMixin
from simple_history.admin import SimpleHistoryAdmin

from . import permissions
from .forms_indicators import PoliceUkConfirmForm, PoliceUkUploadForm
from .models import (
    Appendix,
    AppendixAccess,
    Assessment,
    BoardDecision,
    Chapter,
    Comment,
    DataRequest,
    DataReturn,
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
    RecommendationOutcome,
    ReportExport,
    StatutoryCoverage,
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
from .services import accounts, board, data_returns, police_uk, reports, two_factor
from .services import rollover as rollover_service
from .services.headlines import headline_check
from .views_reports import export_status_url

# Authenticator devices are managed through the user list's "Reset two-factor sign-in" action:
# django-otp's own screens would show anyone with model permissions a device's secret.
admin.site.unregister(TOTPDevice)

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
    AppendixAccess: "partnership",
    DataRequest: "assessment__partnership",
    DataReturn: "request__assessment__partnership",
    BoardDecision: "assessment__partnership",
    RecommendationOutcome: "decision__assessment__partnership",
    StatutoryCoverage: "assessment__partnership",
}


def scope(queryset: QuerySet, user) -> QuerySet:
    path = PARTNERSHIP_PATH.get(queryset.model)
    if path is None:
        return queryset
    partnerships = permissions.partnerships_administered_by(user)
    return queryset.filter(**{f"{path}__in": partnerships}).distinct()


def in_scope(obj: Model, user) -> bool:
    """Is this row one of the user's partnerships'? Checked against the stored row, so a
    historical version of another partnership's row is refused too."""
    if user.is_superuser:
        return True
    return scope(type(obj)._default_manager.filter(pk=obj.pk), user).exists()


def view_on_site_in_scope(request, content_type_id: int, object_id: str):
    """Admin's "view on site" redirect, for rows in the user's scope only: the address alone
    (partnership, year, slug) would reveal that another partnership's appendix exists."""
    try:
        content_type = ContentType.objects.get_for_id(content_type_id)
        obj = content_type.get_object_for_this_type(pk=object_id)
    except (ObjectDoesNotExist, ValueError, ValidationError) as missing:
        raise Http404("No such record") from missing
    if not permissions.can_use_admin(request.user) or not in_scope(obj, request.user):
        raise Http404("No such record")
    return shortcut(request, content_type_id, object_id)


class ScopedMixin:
    """Admin and inline behaviour for analysts: their partnerships' rows and choices only."""

    def get_queryset(self, request):
        return scope(super().get_queryset(request), request.user)

    def _may_use(self, request, obj=None) -> bool:
        if not permissions.can_use_admin(request.user):
            return False
        return obj is None or obj.pk is None or in_scope(obj, request.user)

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
        return self._may_use(request, obj)

    def has_add_permission(self, request, obj=None):
        return permissions.can_use_admin(request.user)

    def has_change_permission(self, request, obj=None):
        return self._may_use(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._may_use(request, obj)

    def has_import_permission(self, request):
        return permissions.can_use_admin(request.user)

    def has_export_permission(self, request):
        return permissions.can_use_admin(request.user)


class ScopedAdmin(ScopedMixin, admin.ModelAdmin):
    pass


def _csp_hash(source: str) -> str:
    digest = base64.b64encode(hashlib.sha256(source.encode()).digest()).decode()
    return f"'sha256-{digest}'"


# The one documented exception to the Content Security Policy: django-import-export's export
# page has two inline style attributes and an inline "select all" handler. Only those exact
# sources are allowed, only on that page.
IMPORT_EXPORT_CSP = {
    "style-src": ["'unsafe-hashes'", _csp_hash("padding: 0;"), _csp_hash("font-weight: bold;")],
    "script-src": ["'unsafe-hashes'", _csp_hash("onSelectToggleChange(event)")],
}


class ImportExportCspMixin:
    def export_action(self, request):
        response = super().export_action(request)
        response._csp_update = IMPORT_EXPORT_CSP  # read by django-csp's middleware
        return response


class ScopedHistoryMixin(ScopedMixin):
    """simple_history's history pages fall back to the last historical version of a row outside
    the queryset, and answer 403 where the row is refused: both would reveal another
    partnership's records. Rows outside the user's scope answer 404 here, like everywhere."""

    def _404_unless_in_scope(self, request, object_id) -> None:
        if not self.get_queryset(request).filter(pk=unquote(object_id)).exists():
            raise Http404("No such record")

    def history_view(self, request, object_id, extra_context=None):
        self._404_unless_in_scope(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._404_unless_in_scope(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)


class SafeImportExportMixin(ImportExportCspMixin, ImportExportMixin):
    """CSV and XLSX only, through the limited formats of resources.py."""

    import_formats = FORMATS
    export_formats = FORMATS

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, ImportLimitError):
            form.add_error("import_file", str(e))
        else:
            super().add_data_read_fail_error_to_form(form, e)

    def process_result(self, result, request):
        # import-export reports success after the confirmation step whatever happened, since
        # the preview had no errors; an error there (the database went away) rolled it all
        # back, and the analyst must be told so.
        if result.has_errors():
            first = (result.base_errors or [e for _, row in result.row_errors() for e in row])[0]
            messages.error(
                request,
                f"The import failed and nothing was saved ({type(first.error).__name__}). "
                "Upload the file again.",
            )
            return redirect(
                reverse(f"admin:{self.get_model_info()[0]}_{self.get_model_info()[1]}_import")
            )
        return super().process_result(result, request)


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
    actions = ["unlock_sign_in", "reset_two_factor"]

    @admin.action(description="Unlock sign-in (after too many failed attempts)")
    def unlock_sign_in(self, request, queryset):
        for user in queryset:
            accounts.user_unlock(user=user)
        self.message_user(request, f"Sign-in unlocked for {queryset.count()} people.")

    @admin.action(description="Reset two-factor sign-in (lost authenticator app)")
    def reset_two_factor(self, request, queryset):
        for user in queryset:
            two_factor.totp_devices_reset(user=user)
        self.message_user(
            request, f"{queryset.count()} people will set up two-factor sign-in again."
        )

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


class StatutoryCoverageInline(ScopedMixin, admin.TabularInline):
    model = StatutoryCoverage
    extra = 0
    fields = ["requirement", "chapters", "note"]
    verbose_name = "statutory requirement covered"
    verbose_name_plural = "statutory checklist (SI 2007/1830): the chapters that cover each"


@admin.register(Assessment)
class AssessmentAdmin(ScopedAdmin):
    list_display = ["title", "partnership", "year", "status", "status_changed_at"]
    list_filter = ["status", "partnership", "year"]
    search_fields = ["title"]
    date_hierarchy = "status_changed_at"
    inlines = [PurposeInline, ChapterInline, AppendixInline, StatutoryCoverageInline]
    actions = ["prepare_pdfs", "start_next_assessment"]
    fieldsets = (
        (None, {"fields": ("partnership", "year", "title")}),
        ("Status", {"fields": ("status", "status_changed_at", "consultation_closes_on")}),
        ("Report author", {"fields": ("author_name", "author_role", "author_telephone")}),
        ("Cover paper", {"fields": ("background",)}),
        ("Consultation", {"fields": ("consultation_pages",)}),
    )
    # Status changes go through the workflow on the site (services/workflow.py), which checks
    # roles and records each step; admin shows them but does not change them.
    readonly_fields = [
        "status",
        "status_changed_at",
        "consultation_closes_on",
        "consultation_pages",
    ]

    @admin.display(description="On the site")
    def consultation_pages(self, obj: Assessment) -> str:
        # Analyst screens live on the site; admin links to them.
        if obj.pk is None:
            return "Save the assessment first."
        feedback = reverse("feedback", args=[obj.partnership.slug, obj.year])
        returns = reverse("data_returns_tracking", args=[obj.partnership.slug, obj.year])
        dashboard = reverse("dashboard", args=[obj.partnership.slug, obj.year])
        return format_html(
            '<a href="{}">Dashboard</a> · <a href="{}">Review the feedback</a> · '
            '<a href="{}">Workflow and history</a> · <a href="{}">Data returns from partners</a>',
            dashboard,
            feedback,
            obj.get_absolute_url(),
            returns,
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

    @admin.action(description="Start next year's assessment from this one")
    def start_next_assessment(self, request, queryset):
        """Copy each selected assessment's structure into a draft for the following year."""
        for source in queryset.select_related("partnership"):
            if not permissions.can_start_next_assessment(request.user, source):
                self.message_user(
                    request,
                    f"Only the analyst of {source.partnership} can do that.",
                    messages.ERROR,
                )
                continue
            rollover = rollover_service.assessment_start_next(source=source)
            target = rollover.assessment
            done = "started as a draft" if rollover.created else "already exists; left unchanged"
            link = format_html(
                '<a href="{}">{}</a> {}', target.get_absolute_url(), target.title, done
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
class ChapterAdmin(ScopedHistoryMixin, SimpleHistoryAdmin):
    list_display = ["title", "assessment", "order", "lead_organisation", "updated_at"]
    list_filter = ["assessment__partnership", "assessment__year", "lead_organisation"]
    search_fields = ["title", "summary", "narrative"]
    ordering = ["assessment", "order"]
    list_select_related = ["assessment", "lead_organisation"]
    inlines = [SelectionInline, RecommendationInline]
    prepopulated_fields = {"slug": ["title"]}


@admin.register(Recommendation)
class RecommendationAdmin(ScopedHistoryMixin, SafeImportExportMixin, SimpleHistoryAdmin):
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
class HeadlineAdmin(ScopedHistoryMixin, SimpleHistoryAdmin):
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


# --- Partner data returns ---


class DataReturnInline(ScopedMixin, admin.TabularInline):
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
            following = scope(Assessment.objects.all(), request.user).filter(
                partnership=assessment.partnership, year=assessment.year + 1
            )
            if not following.exists():
                self.message_user(
                    request, f"There is no {assessment.year + 1} assessment yet.", messages.ERROR
                )
                continue
            copies = data_returns.data_requests_copy(
                requests=list(queryset.filter(assessment=assessment)), to_assessment=following[0]
            )
            self.message_user(request, f"{len(copies)} requests copied to {following[0]}.")


# --- Publication and the yearly cycle ---


class RecommendationOutcomeInline(ScopedMixin, admin.TabularInline):
    model = RecommendationOutcome
    extra = 0
    fields = ["recommendation", "outcome", "notes"]


@admin.register(BoardDecision)
class BoardDecisionAdmin(ScopedAdmin):
    list_display = ["assessment", "met_on", "recorded_by", "recorded_at"]
    list_select_related = ["assessment__partnership", "recorded_by"]
    inlines = [RecommendationOutcomeInline]
    fields = ["assessment", "met_on", "priorities", "notes"]

    def save_model(self, request, obj, form, change):
        obj.recorded_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Adopted recommendations are accepted, rejected ones dropped: next year carries the rest.
        changed = board.board_outcomes_apply(decision=form.instance)
        if changed:
            self.message_user(request, f"{changed} recommendation(s) moved on by the decision.")
