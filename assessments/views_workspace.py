"""The analyst's workspace: the assessment dashboard, the chapter editor with its live preview,
figure uploads and the chapter's PDF preview.

The editor is a plain form that works without JavaScript; the Markdown widget and the htmx
preview are enhancements on top of the same textarea.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from . import permissions, querysets
from .forms_workspace import FigureForm, NarrativeForm
from .models import ReportExport
from .services import reports, workflow, workspace
from .views import _assessment_context, refuse, visible_assessment
from .views_reports import export_status_url


def dashboard(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    assessment = visible_assessment(request, slug, year)
    if assessment is None or not permissions.can_view_dashboard(request.user, assessment):
        return refuse(request)
    context = _assessment_context(request, assessment) | {
        "actions": workflow.available_actions(request.user, assessment),
        "rows": querysets.dashboard_chapters(assessment),
        "organisations": querysets.consultation_by_organisation(assessment),
        "exports": querysets.latest_exports(assessment),
        "data_returns": querysets.data_returns_outstanding(assessment),
    }
    return render(request, "assessments/dashboard.html", context)


def _editable_chapter(request: HttpRequest, slug: str, year: int, chapter_slug: str):
    assessment = visible_assessment(request, slug, year)
    if assessment is None or not permissions.can_edit_assessment(request.user, assessment):
        return None
    chapter = assessment.chapters.filter(slug=chapter_slug).first()
    if chapter is not None:
        chapter.assessment = assessment
    return chapter


def chapter_edit(request: HttpRequest, slug: str, year: int, chapter_slug: str) -> HttpResponse:
    chapter = _editable_chapter(request, slug, year, chapter_slug)
    if chapter is None:
        return refuse(request)
    initial = {"narrative": chapter.narrative, "token": workspace.edit_token(chapter)}
    form = NarrativeForm(request.POST or None, initial=initial)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            workspace.chapter_narrative_save(
                chapter=chapter,
                narrative=form.cleaned_data["narrative"],
                token=form.cleaned_data["token"],
                by=request.user,
            )
        except workspace.EditConflict as error:
            # Keep the user's text in the editor, ready to save over theirs once compared.
            conflict = error.chapter
            mine = {"narrative": form.cleaned_data["narrative"]}
            form = NarrativeForm(mine | {"token": workspace.edit_token(conflict)})
            form.is_valid()
            form.add_error(None, error.messages)
        else:
            messages.success(request, "The chapter has been saved")
            return redirect("chapter_edit", slug=slug, year=year, chapter_slug=chapter_slug)
    return _editor_page(request, chapter, form, FigureForm(), conflict=conflict)


def _editor_page(request, chapter, form, figure_form, *, conflict=None, status=200):
    narrative = form["narrative"].value() or ""
    context = _assessment_context(request, chapter.assessment) | {
        "chapter": chapter,
        "form": form,
        "figure_form": figure_form,
        "conflict": conflict,
        "preview": workspace.site_narrative(chapter, narrative),
        "figures": chapter.images.all(),
    }
    return render(request, "assessments/chapter_edit.html", context, status=status)


@require_POST
def chapter_preview(request: HttpRequest, slug: str, year: int, chapter_slug: str) -> HttpResponse:
    """The narrative being edited, through the same renderer as the site and the PDF."""
    chapter = _editable_chapter(request, slug, year, chapter_slug)
    if chapter is None:
        return refuse(request)
    preview = workspace.site_narrative(chapter, request.POST.get("narrative", ""))
    return render(request, "assessments/includes/chapter_preview.html", {"preview": preview})


@require_POST
def figure_upload(request: HttpRequest, slug: str, year: int, chapter_slug: str) -> HttpResponse:
    chapter = _editable_chapter(request, slug, year, chapter_slug)
    if chapter is None:
        return refuse(request)
    figure_form = FigureForm(request.POST, request.FILES)
    if figure_form.is_valid():
        try:
            figure = workspace.chapter_figure_add(
                chapter=chapter, by=request.user, **figure_form.cleaned_data
            )
        except ValidationError as error:
            for field, errors in error.error_dict.items():
                figure_form.add_error(field, errors)
        else:
            messages.success(
                request,
                f"Figure {figure.number} has been uploaded: put {figure.reference} "
                "on a line of its own where it belongs",
            )
            return redirect("chapter_edit", slug=slug, year=year, chapter_slug=chapter_slug)
    initial = {"narrative": chapter.narrative, "token": workspace.edit_token(chapter)}
    return _editor_page(request, chapter, NarrativeForm(initial=initial), figure_form, status=400)


def chapter_figure(
    request: HttpRequest, slug: str, year: int, chapter_slug: str, number: int
) -> HttpResponse:
    """A figure's image, for whoever may read the chapter (media has no public URL)."""
    assessment = visible_assessment(request, slug, year)
    figure = assessment and querysets.chapter_figure_by_url(assessment, chapter_slug, number)
    if not figure:
        return refuse(request)
    return FileResponse(figure.image.open("rb"))


@require_POST
def chapter_pdf_preview(
    request: HttpRequest, slug: str, year: int, chapter_slug: str
) -> HttpResponse:
    chapter = _editable_chapter(request, slug, year, chapter_slug)
    if chapter is None:
        return refuse(request)
    export = reports.report_export_request(
        assessment=chapter.assessment,
        user=request.user,
        variant=ReportExport.Variant.PUBLIC,
        chapter=chapter,
    )
    return redirect(export_status_url(export))
