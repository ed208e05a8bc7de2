"""URLs of the publication pages."""

from django.urls import path

from assessments.publication.edition_views import (
    edition_chapter,
    edition_chart_csv,
    edition_detail,
    edition_pdf,
)
from assessments.publication.views import (
    accessibility_statement,
    assessment_detail,
    board_meeting,
    chapter_compare,
    chapter_detail,
    chapter_figure,
    cover_paper_page,
    home,
)

urlpatterns = [
    path("", home, name="home"),
    path("assessments/<slug:slug>/<int:year>/", assessment_detail, name="assessment"),
    path("accessibility/", accessibility_statement, name="accessibility"),
    path(
        "assessments/<slug:slug>/<int:year>/cover/",
        cover_paper_page,
        name="cover_paper",
    ),
    path(
        "assessments/<slug:slug>/<int:year>/meeting/",
        board_meeting,
        name="board_meeting",
    ),
    path(
        "assessments/<slug:slug>/<int:year>/<slug:chapter_slug>/compare/",
        chapter_compare,
        name="chapter_compare",
    ),
    # A chapter's uploaded images, for whoever may read the chapter.
    path(
        "assessments/<slug:slug>/<int:year>/<slug:chapter_slug>/figures/<int:number>/",
        chapter_figure,
        name="chapter_figure",
    ),
    # Each edition ever published, at its own address for good ("editions" is no chapter slug).
    path(
        "assessments/<slug:slug>/<int:year>/editions/<int:number>/",
        edition_detail,
        name="edition",
    ),
    path(
        "assessments/<slug:slug>/<int:year>/editions/<int:number>/pdf/",
        edition_pdf,
        name="edition_pdf",
    ),
    path(
        "assessments/<slug:slug>/<int:year>/editions/<int:number>/<slug:chapter_slug>/",
        edition_chapter,
        name="edition_chapter",
    ),
    path(
        "assessments/<slug:slug>/<int:year>/editions/<int:number>/<slug:chapter_slug>/"
        "charts/<int:chart>.csv",
        edition_chart_csv,
        name="edition_chart_csv",
    ),
    # Last: chapter slugs may not take the reserved words used by the routes above.
    path(
        "assessments/<slug:slug>/<int:year>/<slug:chapter_slug>/",
        chapter_detail,
        name="chapter",
    ),
]
