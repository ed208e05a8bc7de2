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
from assessments.core.admin import PurposeInline, RecommendationInline
from assessments.core.admin_base import (
    ScopedAdmin,
    ScopedHistoryMixin,
    ScopedMixin,
    ScopedTabularInline,
)
from assessments.core.models import (
    Assessment,
    Chapter,
)
from assessments.indicators.admin import SelectionInline
from assessments.priorities.models import Criterion
from assessments.priorities.selectors import departs_from_ranking, priority_matrix
from assessments.priorities.services.criteria import criteria_defaults_create
from assessments.publication.models import BoardDecision, RecommendationOutcome, StatutoryCoverage
from assessments.publication.permissions import can_start_next_assessment
from assessments.publication.services import board
from assessments.publication.services import rollover as rollover_service
from assessments.reporting.exports import report_export_request
from assessments.reporting.models import ReportExport
from assessments.reporting.permissions import can_request_export


class StatutoryCoverageInline(ScopedMixin, admin.StackedInline):
    model = StatutoryCoverage
    extra = 0
    fields = ["requirement", "chapters", "note"]
    filter_horizontal = ["chapters"]
    classes = ["collapse"]
    verbose_name = "statutory requirement covered"
    verbose_name_plural = "statutory checklist (SI 2007/1830): the chapters that cover each"


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


def _scrolling(label: str, table: str) -> str:
    """On a phone the table scrolls inside its own box, which the keyboard can reach and which
    is named for screen readers, so that the page itself never scrolls sideways."""
    return format_html(
        '<div class="app-admin-table-scroll" role="region" aria-label="{}" tabindex="0">{}</div>',
        label,
        table,
    )


def _add_on_its_own_page(assessment: Assessment, model: str, text: str) -> str:
    """A link to adding a row of `model` on its own admin page, the assessment already chosen."""
    if assessment.pk is None:
        return "Save the assessment first."
    url = f"{reverse(f'admin:assessments_{model}_add')}?assessment={assessment.pk}"
    return format_html('<a href="{}">{}</a>', url, text)


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


@admin.register(Assessment)
class AssessmentAdmin(ScopedAdmin):
    list_display = ["title", "partnership", "year", "status", "status_changed_at"]
    list_filter = ["status", "partnership", "year"]
    search_fields = ["title"]
    date_hierarchy = "status_changed_at"
    inlines = [PurposeInline, AppendixInline, StatutoryCoverageInline]
    actions = ["prepare_pdfs", "start_next_assessment"]
    fieldsets = (
        (None, {"fields": ("partnership", "year", "title")}),
        ("Status", {"fields": ("status", "status_changed_at", "consultation_closes_on")}),
        ("Report author", {"fields": ("author_name", "author_role", "author_telephone")}),
        ("Cover paper", {"fields": ("background",)}),
        ("Consultation", {"fields": ("consultation_pages",)}),
        ("Chapters", {"fields": ("chapter_list", "chapter_add")}),
        ("Priority-setting matrix", {"fields": ("criteria_list", "criterion_add")}),
    )
    # Status changes go through the site's workflow (consultation/services/workflow.py), which
    # checks roles and records each step; admin shows them but does not change them.
    readonly_fields = [
        "status",
        "status_changed_at",
        "consultation_closes_on",
        "consultation_pages",
        "chapter_list",
        "chapter_add",
        "criteria_list",
        "criterion_add",
    ]

    @admin.display(description="Chapters")
    def chapter_list(self, obj: Assessment) -> str:
        # A plain table, each chapter edited on its own page with its indicators and
        # recommendations. It was a read-only inline: a form, hidden boxes and admin's templates
        # for every row, about 4 ms a chapter, so the page grew with the chapters (issue 18).
        if obj.pk is None:
            return "Save the assessment first."
        chapters = obj.chapters.select_related(
            "assessment__partnership", "theme", "lead_organisation"
        ).order_by("order")
        rows = format_html_join("", CHAPTER_ROW, (_chapter_cells(c) for c in chapters))
        if not rows:
            return "No chapters yet."
        return _scrolling("Chapters", format_html(CHAPTER_TABLE, obj, rows))

    @admin.display(description="Criteria")
    def criteria_list(self, obj: Assessment) -> str:
        # Listed like the chapters, each edited on its own page: as an inline of stacked forms
        # the five criteria took 60 of the page's 130 ms (issue 18).
        if obj.pk is None:
            return "Save the assessment first: it starts with the default criteria."
        criteria = obj.priority_criteria.order_by("order", "pk")
        rows = format_html_join("", CRITERION_ROW, (_criterion_cells(c) for c in criteria))
        if not rows:
            return "No criteria yet."
        return _scrolling("Criteria", format_html(CRITERIA_TABLE, obj, rows))

    @admin.display(description="New criterion")
    def criterion_add(self, obj: Assessment) -> str:
        return _add_on_its_own_page(obj, "criterion", "Add a criterion to this matrix")

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # A new assessment starts with the default priority-setting criteria (issue 20), unless
        # criteria were added with it.
        if not change:
            criteria_defaults_create(assessment=form.instance)

    @admin.display(description="New chapter")
    def chapter_add(self, obj: Assessment) -> str:
        # The chapters below are a list; each is edited, and a new one added, on its own page.
        return _add_on_its_own_page(obj, "chapter", "Add a chapter to this assessment")

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
    inlines = [SelectionInline, RecommendationInline]
    prepopulated_fields = {"slug": ["title"]}


class RecommendationOutcomeInline(ScopedTabularInline):
    model = RecommendationOutcome
    extra = 0
    fields = ["recommendation", "outcome", "notes"]


class BoardDecisionForm(forms.ModelForm):
    """The themes agreed are chosen from the priority matrix's ranking; choosing otherwise than
    its top needs the board's reason (issue 20)."""

    class Meta:
        model = BoardDecision
        fields = [
            "assessment",
            "met_on",
            "agreed_themes",
            "ranking_departure",
            "priorities",
            "notes",
        ]
        widgets = {"agreed_themes": forms.CheckboxSelectMultiple}

    def clean(self):
        cleaned = super().clean()
        assessment, themes = cleaned.get("assessment"), cleaned.get("agreed_themes")
        if assessment is not None and themes:
            # Someone who administers several partnerships is offered all their themes.
            foreign = [t.name for t in themes if t.partnership_id != assessment.partnership_id]
            if foreign:
                self.add_error(
                    "agreed_themes",
                    f"Not themes of {assessment.partnership.name}: {', '.join(foreign)}.",
                )
                return cleaned
        if (
            assessment is not None
            and themes
            and departs_from_ranking(assessment, {theme.pk for theme in themes})
            and not cleaned.get("ranking_departure", "").strip()
        ):
            self.add_error(
                "ranking_departure",
                "These are not the top of the ranking: say why the board chose them.",
            )
        return cleaned


@admin.register(BoardDecision)
class BoardDecisionAdmin(ScopedAdmin):
    form = BoardDecisionForm
    list_display = ["assessment", "met_on", "recorded_by", "recorded_at"]
    list_select_related = ["assessment__partnership", "recorded_by"]
    inlines = [RecommendationOutcomeInline]
    fields = [
        "assessment",
        "met_on",
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
