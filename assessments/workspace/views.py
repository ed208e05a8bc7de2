"""The analyst's workspace: the assessment dashboard, the chapter editor with its live preview,
figure uploads and the chapter's PDF preview.

The editor is a plain form that works without JavaScript; the Markdown widget and the htmx
preview are enhancements on top of the same textarea.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from assessments.consultation import readiness
from assessments.consultation.permissions import can_chase_organisations
from assessments.consultation.selectors import (
    consultation_responses,
    discussions_by_chapter,
    discussions_by_organisation,
)
from assessments.consultation.services import workflow
from assessments.consultation.services.chasing import silent_organisations_chase
from assessments.core.cache_version import cached, version_of
from assessments.core.chapter_figures import site_narrative
from assessments.core.idempotency import idempotent
from assessments.core.markdown import render_markdown
from assessments.core.models import Role
from assessments.core.permissions import active_members_with_roles, can_edit_assessment
from assessments.core.rate_limits import limit_pdf_requests
from assessments.core.selectors import chapter_of
from assessments.core.storage import StorageFault, storage_refusal
from assessments.core.uploads import upload_form_is_valid
from assessments.core.views import assessment_context, form_errors, refuse, visible_assessment
from assessments.data_returns.permissions import can_manage_data_requests
from assessments.data_returns.selectors import data_requests_owed
from assessments.indicators.selectors import comparator_places
from assessments.publication.services.editions import changes_since
from assessments.reporting.editions import latest_edition
from assessments.reporting.exports import report_export_request
from assessments.reporting.models import ReportExport
from assessments.reporting.selectors import latest_exports
from assessments.workspace.forms import ComparatorsForm, FigureForm, NarrativeForm
from assessments.workspace.permissions import can_view_dashboard
from assessments.workspace.selectors import dashboard_chapters, organisations_overview
from assessments.workspace.services import (
    ASSESSMENT_TEXTS,
    EditConflict,
    TextConflict,
    assessment_text_save,
    chapter_comparators_save,
    chapter_figure_add,
    chapter_narrative_save,
    edit_token,
    text_token,
)


def dashboard(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    assessment = visible_assessment(request, slug, year)
    if assessment is None or not can_view_dashboard(request.user, assessment):
        return refuse(request)
    rows = dashboard_chapters(assessment)
    comments = discussions_by_chapter(assessment)  # a defaultdict: none yet is 0 and 0
    rows = [(row, comments[row.pk]) for row in rows]
    responses = consultation_responses(assessment)
    context = assessment_context(request, assessment) | {
        "actions": (actions := workflow.available_actions(request.user, assessment)),
        "can_start_correction": workflow.Action.CORRECT in dict(actions),
        "rows": rows,
        # The chapters table is a fragment cached under the data version, the reader's links
        # (editor or chapter) and the comment counts, which do not bump the version.
        "data_version": version_of(assessment.partnership),
        "comment_counts": ",".join(f"{c['open']}:{c['resolved']}" for _, c in rows),
        "horizon_scan_comments": comments[None],  # the discussions on the horizon scan
        # One reading of the responses, as the approve page's (consultation_responses).
        "recommendation_count": responses.recommendation_count,
        "organisations": organisations_overview(
            assessment, discussions_by_organisation(assessment), responses
        ),
        "can_chase": can_chase_organisations(request.user, assessment),
        "exports": latest_exports(assessment, request.user),
        "data_returns": data_requests_owed(assessment, timezone.localdate()),
        # The chair sees the dashboard too, but only the analyst may open the tracking page.
        "can_track_returns": can_manage_data_requests(request.user, assessment),
    }
    # The gaps of the next checked step, up front rather than only when the step is tried.
    next_step, failures = readiness.next_step_failures(assessment)
    context |= {
        "next_step": next_step,
        "failures": failures,
        "analysts": active_members_with_roles(assessment.partnership_id, {Role.ANALYST}),
    }
    context |= _since_the_edition(assessment)
    return render(request, "assessments/dashboard.html", context)


def _since_the_edition(assessment) -> dict:
    """What the working copy says otherwise than the latest edition: built again only when the
    data changes (the comparison renders the whole document)."""
    edition = latest_edition(assessment)
    if edition is None:
        return {}
    changes = cached(
        assessment.partnership, lambda: changes_since(edition), "changes-since", edition.pk
    )
    return {"edition": edition, "changes_since": changes}


@require_POST
def chase_silent(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """The analyst's reminder to every organisation that has not responded yet."""
    assessment = visible_assessment(request, slug, year)
    if assessment is None or not can_chase_organisations(request.user, assessment):
        return refuse(request)
    reminded, skipped = silent_organisations_chase(assessment=assessment, by=request.user)
    if reminded:
        names = ", ".join(org.name for org in reminded)
        messages.success(
            request,
            f"A reminder is on its way to {len(reminded)} "
            f"organisation{'s' if len(reminded) != 1 else ''}: {names}",
        )
    if skipped:
        messages.info(
            request,
            f"{len(skipped)} organisation{'s have' if len(skipped) != 1 else ' has'}"
            " already been reminded today, so no second email was sent",
        )
    if not reminded and not skipped:
        messages.info(request, "Every organisation has responded: nobody to remind")
    return redirect(reverse("dashboard", args=[slug, year]) + "#consultation")


def _editable_chapter(request: HttpRequest, slug: str, year: int, chapter_slug: str):
    assessment = visible_assessment(request, slug, year)
    if assessment is None or not can_edit_assessment(request.user, assessment):
        return None
    return chapter_of(assessment, chapter_slug)


def chapter_edit(request: HttpRequest, slug: str, year: int, chapter_slug: str) -> HttpResponse:
    chapter = _editable_chapter(request, slug, year, chapter_slug)
    if chapter is None:
        return refuse(request)
    initial = {"narrative": chapter.narrative, "token": edit_token(chapter)}
    form = NarrativeForm(request.POST or None, initial=initial)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            chapter_narrative_save(
                chapter=chapter,
                narrative=form.cleaned_data["narrative"],
                token=form.cleaned_data["token"],
                by=request.user,
            )
        except EditConflict as error:
            # Keep the user's text in the editor, ready to save over theirs once compared.
            conflict = error.chapter
            mine = {"narrative": form.cleaned_data["narrative"]}
            form = NarrativeForm(mine | {"token": edit_token(conflict)})
            form.is_valid()
            form.add_error(None, error.messages)
        else:
            messages.success(request, "The chapter has been saved")
            return redirect("chapter_edit", slug=slug, year=year, chapter_slug=chapter_slug)
    return _editor_page(request, chapter, form, FigureForm(), conflict=conflict)


def _comparators_form(chapter, data=None) -> ComparatorsForm:
    selections = chapter.selections.select_related("indicator").prefetch_related("comparators")
    places = comparator_places(chapter.assessment.partnership_id)
    return ComparatorsForm(data, selections=selections, places=places)


@require_POST
def chapter_comparators(request: HttpRequest, slug: str, year: int, chapter_slug: str):
    chapter = _editable_chapter(request, slug, year, chapter_slug)
    if chapter is None:
        return refuse(request)
    comparators_form = _comparators_form(chapter, request.POST)
    if comparators_form.is_valid():
        chapter_comparators_save(chosen=comparators_form.chosen())
        messages.success(request, "The places to compare with have been saved")
        url = reverse("chapter_edit", args=[slug, year, chapter_slug])
        return redirect(f"{url}#compare")
    initial = {"narrative": chapter.narrative, "token": edit_token(chapter)}
    return _editor_page(
        request, chapter, NarrativeForm(initial=initial), FigureForm(),
        comparators_form=comparators_form, status=400,
    )  # fmt: skip


def _editor_page(
    request, chapter, form, figure_form, *, conflict=None, comparators_form=None, status=200
):
    narrative = form["narrative"].value() or ""
    context = assessment_context(request, chapter.assessment) | {
        "chapter": chapter,
        "form": form,
        "figure_form": figure_form,
        "comparators_form": comparators_form or _comparators_form(chapter),
        "conflict": conflict,
        "preview": site_narrative(chapter, narrative),
        "figures": chapter.images.all(),
    }
    return render(request, "assessments/chapter_edit.html", context, status=status)


@require_POST
def chapter_preview(request: HttpRequest, slug: str, year: int, chapter_slug: str) -> HttpResponse:
    """The narrative being edited, through the same renderer as the site and the PDF."""
    chapter = _editable_chapter(request, slug, year, chapter_slug)
    if chapter is None:
        return refuse(request)
    preview = site_narrative(chapter, request.POST.get("narrative", ""))
    return render(request, "assessments/includes/chapter_preview.html", {"preview": preview})


@require_POST
@idempotent
def figure_upload(request: HttpRequest, slug: str, year: int, chapter_slug: str) -> HttpResponse:
    chapter = _editable_chapter(request, slug, year, chapter_slug)
    if chapter is None:
        return refuse(request)
    figure_form = FigureForm(request.POST, request.FILES)
    status = 400
    if upload_form_is_valid(figure_form, request, "image"):
        try:
            figure = chapter_figure_add(
                chapter=chapter, by=request.user, **figure_form.cleaned_data
            )
        except ValidationError as error:
            form_errors(error, figure_form)
        except StorageFault as fault:
            figure_form.add_error("image", storage_refusal(fault))
            status = 503  # the site cannot keep files just now
        else:
            messages.success(
                request,
                f"Figure {figure.number} has been uploaded: put {figure.reference} "
                "on a line of its own where it belongs",
            )
            return redirect("chapter_edit", slug=slug, year=year, chapter_slug=chapter_slug)
    initial = {"narrative": chapter.narrative, "token": edit_token(chapter)}
    return _editor_page(
        request, chapter, NarrativeForm(initial=initial), figure_form, status=status
    )


@require_POST
@limit_pdf_requests
def chapter_pdf_preview(
    request: HttpRequest, slug: str, year: int, chapter_slug: str
) -> HttpResponse:
    chapter = _editable_chapter(request, slug, year, chapter_slug)
    if chapter is None:
        return refuse(request)
    export = report_export_request(
        assessment=chapter.assessment,
        user=request.user,
        variant=ReportExport.Variant.PUBLIC,
        chapter=chapter,
    )
    return redirect(export.status_url(next_url=reverse("chapter_edit", args=chapter.url_args)))


# The front matter's texts (issue 32) ---------------------------------------------------------


def _editable_text(request: HttpRequest, slug: str, year: int, text: str):
    """The assessment and the field of one of its front matter's texts, for an editor of it."""
    assessment = visible_assessment(request, slug, year)
    if text not in ASSESSMENT_TEXTS or assessment is None:
        return None, None
    if not can_edit_assessment(request.user, assessment):
        return None, None
    return assessment, ASSESSMENT_TEXTS[text][0]


def assessment_text_edit(request: HttpRequest, slug: str, year: int, text: str) -> HttpResponse:
    """The introduction, executive summary or gaps in knowledge in the chapter editor."""
    assessment, field = _editable_text(request, slug, year, text)
    if assessment is None:
        return refuse(request)
    current = getattr(assessment, field)
    initial = {"narrative": current, "token": text_token(current)}
    form = NarrativeForm(request.POST or None, initial=initial)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            assessment_text_save(
                assessment=assessment,
                field=field,
                text=form.cleaned_data["narrative"],
                token=form.cleaned_data["token"],
            )
        except TextConflict as error:
            conflict = error.text
            mine = {"narrative": form.cleaned_data["narrative"]}
            form = NarrativeForm(mine | {"token": text_token(conflict)})
            form.is_valid()
            form.add_error(None, error.messages)
        else:
            messages.success(request, f"The {ASSESSMENT_TEXTS[text][1].lower()} has been saved")
            return redirect("assessment_text_edit", slug=slug, year=year, text=text)
    context = assessment_context(request, assessment) | {
        "form": form,
        "text": text,
        "name": ASSESSMENT_TEXTS[text][1],
        "conflict": conflict,
        "preview": render_markdown(form["narrative"].value() or ""),
    }
    return render(request, "assessments/assessment_text_edit.html", context)


@require_POST
def assessment_text_preview(request: HttpRequest, slug: str, year: int, text: str) -> HttpResponse:
    """The text being edited, through the renderer of the site and the PDF."""
    assessment, _ = _editable_text(request, slug, year, text)
    if assessment is None:
        return refuse(request)
    preview = render_markdown(request.POST.get("narrative", ""))
    return render(request, "assessments/includes/chapter_preview.html", {"preview": preview})
