"""Admin of indicator data: geographies, indicators, imports (police.uk and tables),
observations and the cover's headlines."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from assessments.core.admin_base import (
    RowOfParentMixin,
    SafeImportExportMixin,
    ScopedAdmin,
    ScopedHistoryMixin,
    ScopedMixin,
    add_on_its_own_page,
    admin_change_url,
    table_of_rows,
)
from assessments.core.cache_version import cached
from assessments.core.permissions import can_use_admin, partnerships_administered_by
from assessments.core.storage import StorageFault, storage_refusal
from assessments.indicators import police_uk
from assessments.indicators.boundaries import boundary_set_replace
from assessments.indicators.forms import (
    BoundarySetForm,
    ChapterMapForm,
    PoliceUkConfirmForm,
    PoliceUkUploadForm,
    SelectionForm,
)
from assessments.indicators.grid import DEFAULT_CELL_METRES
from assessments.indicators.headlines import cover_headlines, headline_check
from assessments.indicators.models import (
    ChapterMap,
    Geography,
    Headline,
    ImportBatch,
    Indicator,
    IndicatorSelection,
    LsoaBoundarySet,
    Observation,
)
from assessments.indicators.resources import (
    GeographyResource,
    IndicatorResource,
    ObservationResource,
)


class ChapterMapInline(ScopedMixin, admin.StackedInline):
    """The chapter's hotspot map, on the chapter's page: none, or one."""

    model = ChapterMap
    form = ChapterMapForm
    extra = 0
    max_num = 1
    verbose_name_plural = "Hotspot map (police.uk crime by LSOA, drawn with the LSOA boundaries)"


@admin.register(IndicatorSelection)
class IndicatorSelectionAdmin(RowOfParentMixin, ScopedAdmin):
    """An indicator of a chapter, on its own page: its chapter lists them (`selection_table`)."""

    form = SelectionForm
    parent_field = "chapter"
    list_display = ["indicator", "chapter", "order", "period_type", "current_period_start"]
    list_filter = ["chapter__assessment"]
    list_select_related = ["indicator", "chapter"]
    search_fields = ["indicator__name", "chapter__title"]
    autocomplete_fields = ["chapter", "indicator", "share_of", "comparators"]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "comparators":  # a force, district or national series, not an LSOA
            kwargs["queryset"] = Geography.objects.filter(level__in=Geography.COMPARATOR_LEVELS)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


SELECTION_ROW = (
    '<tr><td>{}</td><th scope="row"><a href="{}">{}</a></th><td>{}</td><td>{}</td><td>{}</td>'
    "<td>{}</td><td>{}</td></tr>"
)
SELECTION_TABLE = (
    '<table id="selection-list"><caption class="visually-hidden">The indicators of {}'
    '</caption><thead><tr><th scope="col">Order</th><th scope="col">Indicator</th>'
    '<th scope="col">Period</th><th scope="col">Compared with</th>'
    '<th scope="col">Share of</th><th scope="col">Comparators</th>'
    '<th scope="col">Caveat</th></tr></thead><tbody>{}</tbody></table>'
)


def _selection_cells(selection: IndicatorSelection) -> tuple:
    comparison = selection.comparison_period
    return (
        selection.order,
        admin_change_url(selection),
        selection.indicator.name,
        selection.current_period.label,
        comparison.label if comparison else "Baseline",
        selection.share_of.name if selection.share_of else "–",
        ", ".join(place.name for place in selection.comparators.all()) or "–",
        selection.caveat or "–",
    )


def selection_table(chapter) -> str:
    """The chapter's indicators as a table, each linked to its own page, and the link to add
    one: as an inline every row drew about ten boxes (issue 18)."""
    if chapter.pk is None:
        return "Save the chapter first."
    # Kept under the partnership's cache version, which every change of a selection, its
    # indicator or its places moves on (core/cache_version).
    partnership = chapter.assessment.partnership
    return cached(partnership, lambda: _selection_table(chapter), "admin-selections", chapter.pk)


def _selection_table(chapter) -> str:
    selections = chapter.selections.select_related("indicator", "share_of").order_by("order")
    cells = (_selection_cells(s) for s in selections.prefetch_related("comparators"))
    listed = table_of_rows(
        "Indicators", SELECTION_TABLE, SELECTION_ROW, chapter, cells, empty="No indicators yet."
    )
    add = add_on_its_own_page(
        "indicatorselection", "Add an indicator to this chapter", chapter=chapter.pk
    )
    return format_html("{}<p>{}</p>", listed, add)


@admin.register(Geography)
class GeographyAdmin(ScopedMixin, SafeImportExportMixin, admin.ModelAdmin):
    resource_classes = [GeographyResource]
    list_display = ["name", "code", "level", "parent", "population"]
    list_filter = ["level", "partnership"]
    search_fields = ["name", "code"]
    list_select_related = ["parent"]

    def get_search_results(self, request, queryset, search_term):
        rows, distinct = super().get_search_results(request, queryset, search_term)
        if request.GET.get("field_name") == "comparators":  # a selection's comparators' box
            rows = rows.filter(level__in=Geography.COMPARATOR_LEVELS)
        return rows, distinct


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
        if not can_use_admin(request.user):
            raise PermissionDenied
        partnerships = partnerships_administered_by(request.user)
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
        try:
            token = police_uk.police_uk_upload_store(data["files"])
        except StorageFault as fault:
            form.add_error("files", storage_refusal(fault))
            return {}
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
                "crime_types": police_uk.CRIME_TYPES,
                "cell_metres": DEFAULT_CELL_METRES}  # fmt: skip

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


class HeadlineChangeList(ChangeList):
    """The headlines list, with every row's figures check worked out for the whole page at once:
    one pass over each assessment's figures, not one per row."""

    def get_results(self, request):
        super().get_results(request)
        assessments = {headline.assessment_id: headline.assessment for headline in self.result_list}
        checks = {
            check.headline.pk: check
            for assessment in assessments.values()
            for check in cover_headlines(assessment, on_cover_only=False)
        }
        for headline in self.result_list:
            headline.figures_checked = checks.get(headline.pk)


BOUNDARY_ROW = "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>"
BOUNDARY_TABLE = (
    '<table id="boundary-lsoas"><caption class="visually-hidden">The LSOAs of {}</caption>'
    '<thead><tr><th scope="col">Code</th><th scope="col">Name</th><th scope="col">Polygons</th>'
    '<th scope="col">Points kept</th></tr></thead><tbody>{}</tbody></table>'
)


@admin.register(LsoaBoundarySet)
class LsoaBoundarySetAdmin(ScopedAdmin):
    """LSOA boundaries for the maps, uploaded as GeoJSON: the file is read when the form is
    checked (forms.BoundarySetForm), so a refused file leaves the set as it was."""

    form = BoundarySetForm
    list_display = ["name", "vintage", "partnership", "lsoa_count", "uploaded_at"]
    list_filter = ["vintage", "partnership"]
    search_fields = ["name"]
    readonly_fields = ["file_name", "uploaded_at", "how_read", "lsoa_table"]
    fieldsets = [
        (None, {"fields": ["partnership", "vintage", "name", "geojson"]}),
        ("Credit under every map", {"fields": ["source", "licence", "attribution"]}),
        ("As uploaded", {"fields": ["file_name", "uploaded_at", "how_read", "lsoa_table"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(lsoas_stored=Count("lsoas"))

    @admin.display(description="LSOAs", ordering="lsoas_stored")
    def lsoa_count(self, obj) -> int:
        return obj.lsoas_stored

    @admin.display(description="How the file was read")
    def how_read(self, obj) -> str:
        summary = obj.summary or {}
        if not summary:
            return "–"
        return (
            f"{summary['lsoas']} LSOAs in {summary['read_as']}; "
            f"{summary['vertices_kept']:,} of {summary['vertices_read']:,} points kept "
            f"(simplified to {summary['simplified_to_metres']} m)."
        )

    @admin.display(description="LSOAs")
    def lsoa_table(self, obj) -> str:
        if obj.pk is None:
            return "Upload the file first."
        lsoas = obj.lsoas.only("code", "name", "polygons", "vertices")
        cells = ((b.code, b.name, len(b.polygons), b.vertices) for b in lsoas)
        return table_of_rows(
            "LSOAs", BOUNDARY_TABLE, BOUNDARY_ROW, obj, cells, empty="No LSOAs yet."
        )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if form.boundaries is not None:
            boundary_set_replace(obj, form.boundaries, form.cleaned_data["geojson"].name)


@admin.register(Headline)
class HeadlineAdmin(ScopedHistoryMixin, SimpleHistoryAdmin):
    """The analyst picks the cover's headlines and words them; wording whose numbers the data
    no longer gives is flagged."""

    list_display = ["text", "year", "order", "on_cover", "figures_check"]
    list_editable = ["order", "on_cover"]
    list_filter = ["assessment", "on_cover"]
    list_select_related = ["assessment"]
    fields = ["assessment", "selection", "order", "on_cover", "text", "figures_check"]
    readonly_fields = ["figures_check"]

    def get_changelist(self, request, **kwargs):
        return HeadlineChangeList

    @admin.display(description="Assessment", ordering="assessment__year")
    def year(self, obj: Headline) -> int:
        # The partnership is in the header: the year tells one assessment from another.
        return obj.assessment.year

    @admin.display(description="Figures in the wording")
    def figures_check(self, obj: Headline) -> str:
        if obj.pk is None:
            return "Checked against the data once saved."
        check = getattr(obj, "figures_checked", None) or headline_check(obj)
        if check.figure is None:
            return "Not linked to an indicator: not checked."
        if check.is_flagged:
            return format_html(
                '<strong class="app-flag">Does not match the data: {}.</strong> The data gives: {}',
                ", ".join(check.mismatches),
                check.figure.statement(),
            )
        return "Matches the data."
