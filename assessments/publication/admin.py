"""Admin of an assessment and its chapters, with the inlines of every feature below, and of the
board's decision.

The assessment's admin lives here, in the highest layer that admin needs, because its inlines and
actions come from appendices, indicators, reporting and publication itself."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from simple_history.admin import SimpleHistoryAdmin

from assessments.appendices.admin import AppendixInline
from assessments.core.admin import HorizonScanInline, PurposeInline, RecommendationInline
from assessments.core.admin_base import (
    RowOfParentMixin,
    ScopedAdmin,
    ScopedHistoryMixin,
    ScopedTabularInline,
    add_on_its_own_page,
    admin_change_url,
    table_of_rows,
)
from assessments.core.cache_version import cached
from assessments.core.models import (
    Assessment,
    Chapter,
)
from assessments.indicators.admin import ChapterMapInline, selection_table
from assessments.priorities.models import Criterion
from assessments.priorities.selectors import priority_matrix
from assessments.priorities.services.criteria import criteria_defaults_create
from assessments.publication.forms import BoardDecisionForm
from assessments.publication.models import (
    BoardDecision,
    RecommendationOutcome,
    StatutoryCoverage,
    StatutoryRequirement,
)
from assessments.publication.permissions import can_start_next_assessment
from assessments.publication.services import board
from assessments.publication.services import rollover as rollover_service
from assessments.reporting.exports import report_export_request
from assessments.reporting.models import ReportExport
from assessments.reporting.permissions import can_request_export


class StatutoryCoverageForm(forms.ModelForm):
    """A requirement of the regulations and the chapters of its own assessment that cover it:
    a partnership's other years' chapters were offered and accepted too."""

    class Meta:
        model = StatutoryCoverage
        fields = ["assessment", "requirement", "chapters", "note", "reviewed"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        assessment_id = self._assessment_id()
        if assessment_id is not None and "chapters" in self.fields:
            chapters = self.fields["chapters"]
            chapters.queryset = chapters.queryset.filter(assessment_id=assessment_id)

    def _assessment_id(self) -> int | None:
        if self.instance.assessment_id is not None:
            return self.instance.assessment_id
        # A new row: the assessment posted, or the one its link from the assessment chose.
        chosen = self.data.get("assessment") if self.is_bound else self.initial.get("assessment")
        try:
            return int(chosen)
        except (TypeError, ValueError):
            return None

    def clean(self):
        cleaned = super().clean()
        assessment, chapters = cleaned.get("assessment"), cleaned.get("chapters") or []
        if assessment is not None and any(c.assessment_id != assessment.pk for c in chapters):
            self.add_error("chapters", "Choose chapters of this assessment.")
        return cleaned


@admin.register(StatutoryCoverage)
class StatutoryCoverageAdmin(RowOfParentMixin, ScopedAdmin):
    form = StatutoryCoverageForm
    parent_field = "assessment"
    list_display = ["requirement", "assessment", "note"]
    list_filter = ["assessment"]
    list_select_related = ["assessment__partnership"]
    filter_horizontal = ["chapters"]

    def get_readonly_fields(self, request, obj=None):
        # Its assessment stays (RowOfParentMixin), and so does its requirement: the other
        # requirements have rows of their own, added from the assessment's checklist.
        readonly = super().get_readonly_fields(request, obj)
        return readonly if obj is None else [*readonly, "requirement"]


STATUTORY_ROW = '<tr><th scope="row">{}</th><td>{}</td><td>{}</td></tr>'
STATUTORY_TABLE = (
    '<table id="statutory-checklist"><caption class="visually-hidden">The requirements of the '
    "regulations (SI 2007/1830) and the chapters of {} that cover each</caption><thead><tr>"
    '<th scope="col">Requirement</th><th scope="col">Chapters that cover it</th>'
    '<th scope="col">Note</th></tr></thead><tbody>{}</tbody></table>'
)


def _statutory_cells(assessment: Assessment, requirement, coverage) -> tuple:
    if coverage is None:
        add = add_on_its_own_page(
            "statutorycoverage",
            "Add the chapters that cover it",
            assessment=assessment.pk,
            requirement=requirement.value,
        )
        return (requirement.label, format_html("No chapter yet: {}", add), "")
    name = format_html('<a href="{}">{}</a>', admin_change_url(coverage), requirement.label)
    chapters = ", ".join(c.title for c in coverage.chapters.all()) or "No chapter yet"
    note = coverage.note
    if not coverage.reviewed:
        note = f"To review: copied from last year. {note}"
    return (name, chapters, note.strip())


CHAPTER_ROW = (
    '<tr><td>{}</td><th scope="row"><a href="{}">{}</a></th><td>{}</td><td>{}</td><td>{}</td>'
    '<td><a href="{}">View on site<span class="visually-hidden">: {}</span></a></td></tr>'
)
CHAPTER_TABLE = (
    '<table id="chapter-list"><caption class="visually-hidden">The chapters of {}</caption>'
    '<thead><tr><th scope="col">Order</th><th scope="col">Chapter</th><th scope="col">Slug</th>'
    '<th scope="col">Theme</th><th scope="col">Lead organisation</th>'
    '<th scope="col">On the site</th></tr></thead><tbody>{}</tbody></table>'
)


CRITERION_ROW = '<tr><td>{}</td><th scope="row"><a href="{}">{}</a></th><td>{}</td><td>{}</td></tr>'
CRITERIA_TABLE = (
    '<table id="criteria-list"><caption class="visually-hidden">The criteria every theme of {} '
    'is scored against</caption><thead><tr><th scope="col">Order</th>'
    '<th scope="col">Criterion</th><th scope="col">Weight</th>'
    '<th scope="col">Scored from</th></tr></thead><tbody>{}</tbody></table>'
)


def _criterion_cells(criterion: Criterion) -> tuple:
    change = reverse("admin:assessments_criterion_change", args=[criterion.pk])
    scored_from = criterion.get_data_source_display() if criterion.data_source else "Partners"
    return (criterion.order, change, criterion.name, criterion.weight, scored_from)


def _chapter_cells(chapter: Chapter) -> tuple:
    change = reverse("admin:assessments_chapter_change", args=[chapter.pk])
    # Theme and lead organisation as text: their pages are a menu away, and linking them cost
    # two more URL lookups on every row.
    theme, lead = chapter.theme or "–", chapter.lead_organisation or "–"
    on_site = chapter.get_absolute_url()
    return (chapter.order, change, chapter.title, chapter.slug, theme, lead, on_site, chapter.title)


def _chapter_table(assessment: Assessment) -> str:
    chapters = assessment.chapters.select_related(
        "assessment__partnership", "theme", "lead_organisation"
    ).order_by("order")
    cells = (_chapter_cells(c) for c in chapters)
    return table_of_rows(
        "Chapters", CHAPTER_TABLE, CHAPTER_ROW, assessment, cells, empty="No chapters yet."
    )


def _statutory_table(assessment: Assessment) -> str:
    coverage = assessment.statutory_coverage.prefetch_related("chapters")
    covered = {c.requirement: c for c in coverage}
    cells = (_statutory_cells(assessment, r, covered.get(r)) for r in StatutoryRequirement)
    return table_of_rows("Statutory checklist", STATUTORY_TABLE, STATUTORY_ROW, assessment, cells)


def _criteria_table(assessment: Assessment) -> str:
    cells = (_criterion_cells(c) for c in assessment.priority_criteria.order_by("order", "pk"))
    return table_of_rows(
        "Criteria", CRITERIA_TABLE, CRITERION_ROW, assessment, cells, empty="No criteria yet."
    )


@admin.register(Assessment)
class AssessmentAdmin(ScopedAdmin):
    list_display = ["title", "partnership", "year", "status", "status_changed_at"]
    list_filter = ["status", "partnership", "year"]
    search_fields = ["title"]
    date_hierarchy = "status_changed_at"
    inlines = [PurposeInline, HorizonScanInline, AppendixInline]
    actions = ["prepare_pdfs", "start_next_assessment"]
    fieldsets = (
        (None, {"fields": ("partnership", "year", "title")}),
        ("Status", {"fields": ("status", "status_changed_at", "consultation_closes_on")}),
        ("Report author", {"fields": ("author_name", "author_role", "author_telephone")}),
        (
            "Report: front matter",
            {
                "fields": (
                    "introduction",
                    "introduction_reviewed",
                    "executive_summary",
                    "gaps_in_knowledge",
                    "front_matter_pages",
                ),
                "description": "Markdown. The horizon scan is the table further down; the "
                "editors on the site show a preview as you type.",
            },
        ),
        ("Cover paper", {"fields": ("background", "background_reviewed")}),
        ("Consultation", {"fields": ("consultation_pages",)}),
        ("Chapters", {"fields": ("chapter_list", "chapter_add")}),
        ("Statutory checklist (SI 2007/1830)", {"fields": ("statutory_list",)}),
        ("Priority-setting matrix", {"fields": ("criteria_list", "criterion_add")}),
    )
    # Status changes go through the site's workflow (consultation/services/workflow.py), which
    # checks roles and records each step; admin shows them but does not change them.
    readonly_fields = [
        "status",
        "status_changed_at",
        "consultation_closes_on",
        "consultation_pages",
        "front_matter_pages",
        "chapter_list",
        "chapter_add",
        "statutory_list",
        "criteria_list",
        "criterion_add",
    ]

    # The lists below change only with the partnership's data, and are read far more often
    # than it changes: each is kept under the partnership's cache version (core/cache_version),
    # which every change of a chapter, theme, organisation, requirement or criterion moves on.
    # Built afresh, the chapters' table alone took longer than the floor (issue 18).

    @admin.display(description="Chapters")
    def chapter_list(self, obj: Assessment) -> str:
        # A plain table, each chapter edited on its own page with its indicators and
        # recommendations. It was a read-only inline: a form, hidden boxes and admin's templates
        # for every row, about 4 ms a chapter, so the page grew with the chapters (issue 18).
        if obj.pk is None:
            return "Save the assessment first."
        return cached(obj.partnership, lambda: _chapter_table(obj), "admin-chapters", obj.pk)

    @admin.display(description="Requirements")
    def statutory_list(self, obj: Assessment) -> str:
        # Every requirement with the chapters that cover it, each edited on its own page: as an
        # inline, each row's horizontal filter listed every chapter (issue 18).
        if obj.pk is None:
            return "Save the assessment first."
        return cached(obj.partnership, lambda: _statutory_table(obj), "admin-statutory", obj.pk)

    @admin.display(description="Criteria")
    def criteria_list(self, obj: Assessment) -> str:
        # Listed like the chapters, each edited on its own page: as an inline of stacked forms
        # the five criteria took 60 of the page's 130 ms (issue 18).
        if obj.pk is None:
            return "Save the assessment first: it starts with the default criteria."
        return cached(obj.partnership, lambda: _criteria_table(obj), "admin-criteria", obj.pk)

    @admin.display(description="New criterion")
    def criterion_add(self, obj: Assessment) -> str:
        if obj.pk is None:
            return "Save the assessment first."
        return add_on_its_own_page("criterion", "Add a criterion to this matrix", assessment=obj.pk)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # A new assessment starts with the default priority-setting criteria (issue 20), unless
        # criteria were added with it.
        if not change:
            criteria_defaults_create(assessment=form.instance)

    @admin.display(description="New chapter")
    def chapter_add(self, obj: Assessment) -> str:
        # The chapters below are a list; each is edited, and a new one added, on its own page.
        if obj.pk is None:
            return "Save the assessment first."
        return add_on_its_own_page("chapter", "Add a chapter to this assessment", assessment=obj.pk)

    @admin.display(description="Edit with a preview")
    def front_matter_pages(self, obj: Assessment) -> str:
        if obj.pk is None:
            return "Save the assessment first."
        return format_html_join(
            " · ",
            '<a href="{}">{}</a>',
            (
                (reverse("assessment_text_edit", args=[obj.partnership.slug, obj.year, key]), label)
                for key, label in (
                    ("introduction", "Introduction"),
                    ("executive-summary", "Executive summary"),
                    ("gaps-in-knowledge", "Gaps in knowledge"),
                )
            ),
        )

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
                if not can_request_export(request.user, assessment, variant):
                    continue
                export = report_export_request(
                    assessment=assessment, user=request.user, variant=variant
                )
                link = format_html(
                    '<a href="{}">{} PDF of {}</a>: {}',
                    export.get_absolute_url(),
                    export.get_variant_display(),
                    assessment,
                    export.get_status_display().lower(),
                )
                self.message_user(request, link, messages.SUCCESS)

    @admin.action(description="Start next year's assessment from this one")
    def start_next_assessment(self, request, queryset):
        """Copy each selected assessment's structure into a draft for the following year."""
        for source in queryset.select_related("partnership"):
            if not can_start_next_assessment(request.user, source):
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


@admin.register(Chapter)
class ChapterAdmin(ScopedHistoryMixin, SimpleHistoryAdmin):
    list_display = ["title", "assessment", "order", "lead_organisation", "updated_at"]
    list_filter = ["assessment__partnership", "assessment__year", "lead_organisation"]
    search_fields = ["title", "summary", "narrative"]
    ordering = ["assessment", "order"]
    list_select_related = ["assessment", "lead_organisation"]
    autocomplete_fields = ["theme", "lead_organisation"]
    inlines = [RecommendationInline, ChapterMapInline]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["indicators"]

    def get_queryset(self, request):
        # Its indicators' list is cached under the partnership's version.
        return super().get_queryset(request).select_related("assessment__partnership")

    def get_fieldsets(self, request, obj=None):
        # The chapter's own boxes, then its indicators: a list, each edited on its own page.
        own = [name for name in self.get_fields(request, obj) if name != "indicators"]
        return [(None, {"fields": own}), ("Indicators", {"fields": ["indicators"]})]

    @admin.display(description="Indicators")
    def indicators(self, obj: Chapter) -> str:
        return selection_table(obj)


class RecommendationOutcomeInline(ScopedTabularInline):
    model = RecommendationOutcome
    extra = 0
    fields = ["recommendation", "outcome", "notes"]


@admin.register(BoardDecision)
class BoardDecisionAdmin(ScopedAdmin):
    form = BoardDecisionForm
    list_display = ["assessment", "met_on", "recorded_by", "recorded_at"]
    list_select_related = ["assessment__partnership", "recorded_by"]
    inlines = [RecommendationOutcomeInline]
    fields = [
        "assessment",
        "met_on",
        "minutes_reference",
        "ranking",
        "agreed_themes",
        "ranking_departure",
        "priorities",
        "notes",
    ]
    readonly_fields = ["ranking"]

    @admin.display(description="Ranking of the priority matrix")
    def ranking(self, obj: BoardDecision) -> str:
        if obj.pk is None:
            return "Save the decision to see the assessment's ranking here."
        rows = priority_matrix(obj.assessment).rows
        return "; ".join(f"{row.rank or '–'}. {row.theme} ({row.combined})" for row in rows)

    def save_model(self, request, obj, form, change):
        obj.recorded_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Adopted recommendations are accepted, rejected ones dropped: next year carries the rest.
        changed = board.board_outcomes_apply(decision=form.instance)
        board.board_priorities_from_themes(decision=form.instance)
        if changed:
            self.message_user(request, f"{changed} recommendation(s) moved on by the decision.")
