"""URLs of the workspace pages."""

from django.urls import path

from assessments.workspace.views import (
    assessment_text_edit,
    assessment_text_preview,
    chapter_comparators,
    chapter_edit,
    chapter_pdf_preview,
    chapter_preview,
    chase_silent,
    dashboard,
    figure_upload,
)

urlpatterns = [
    path(
        "assessments/<slug:slug>/<int:year>/dashboard/",
        dashboard,
        name="dashboard",
    ),
    path(
        "assessments/<slug:slug>/<int:year>/dashboard/chase/",
        chase_silent,
        name="chase_silent",
    ),
    path(
        "assessments/<slug:slug>/<int:year>/dashboard/text/<slug:text>/",
        assessment_text_edit,
        name="assessment_text_edit",
    ),
    path(
        "assessments/<slug:slug>/<int:year>/dashboard/text/<slug:text>/preview/",
        assessment_text_preview,
        name="assessment_text_preview",
    ),
    path(
        "assessments/<slug:slug>/<int:year>/<slug:chapter_slug>/edit/",
        chapter_edit,
        name="chapter_edit",
    ),
    path(
        "assessments/<slug:slug>/<int:year>/<slug:chapter_slug>/edit/preview/",
        chapter_preview,
        name="chapter_preview",
    ),
    path(
        "assessments/<slug:slug>/<int:year>/<slug:chapter_slug>/edit/figures/",
        figure_upload,
        name="figure_upload",
    ),
    path(
        "assessments/<slug:slug>/<int:year>/<slug:chapter_slug>/edit/comparators/",
        chapter_comparators,
        name="chapter_comparators",
    ),
    path(
        "assessments/<slug:slug>/<int:year>/<slug:chapter_slug>/edit/pdf/",
        chapter_pdf_preview,
        name="chapter_pdf_preview",
    ),
]
