"""Admin of the partnerships, organisations, themes, recommendations and the inlines of an
assessment's structure."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from assessments.core.admin_base import (
    OperatorOnlyAddMixin,
    SafeImportExportMixin,
    ScopedAdmin,
    ScopedHistoryMixin,
    ScopedMixin,
    ScopedTabularInline,
)
from assessments.core.models import (
    GlossaryTerm,
    HorizonScanItem,
    Organisation,
    Partnership,
    PurposeItem,
    Recommendation,
    Theme,
)
from assessments.core.resources import RecommendationResource


class GlossaryTermInline(ScopedTabularInline):
    """The partnership's own glossary: the terms and abbreviations its reports use beyond the
    standard ones (the readiness checks list those a narrative leaves undefined)."""

    model = GlossaryTerm
    extra = 0
    fields = ["term", "definition"]


@admin.register(Partnership)
class PartnershipAdmin(OperatorOnlyAddMixin, ScopedAdmin):
    list_display = ["name", "slug", "area_name"]
    search_fields = ["name", "area_name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [GlossaryTermInline]


@admin.register(Organisation)
class OrganisationAdmin(ScopedAdmin):
    list_display = ["name", "short_name", "kind"]
    list_filter = ["kind", "partnerships"]
    search_fields = ["name", "short_name"]
    exclude = ["group"]
    filter_horizontal = ["partnerships"]


class PurposeInline(ScopedTabularInline):
    model = PurposeItem
    extra = 0
    classes = ["collapse"]
    fields = ["kind", "order", "label", "addressed", "detail", "theme"]
    autocomplete_fields = ["theme"]


class HorizonScanInline(ScopedTabularInline):
    """The report's horizon scan (PESTELO), a row per change on the horizon (issue 32)."""

    model = HorizonScanItem
    extra = 0
    fields = ["order", "factor", "issue", "implications", "main_risk"]


@admin.register(Theme)
class ThemeAdmin(ScopedAdmin):
    list_display = ["name", "slug", "partnership"]
    list_filter = ["partnership"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class RecommendationInline(ScopedMixin, admin.StackedInline):
    model = Recommendation
    extra = 0
    classes = ["collapse"]
    fields = [("order", "status"), "text", ("lead_organisation", "due_by"), "success_measure"]
    autocomplete_fields = ["lead_organisation"]


@admin.register(Recommendation)
class RecommendationAdmin(ScopedHistoryMixin, SafeImportExportMixin, SimpleHistoryAdmin):
    resource_classes = [RecommendationResource]
    list_display = ["text", "chapter", "order", "status"]
    list_filter = ["status", "chapter__assessment"]
    search_fields = ["text"]
    list_select_related = ["chapter"]
