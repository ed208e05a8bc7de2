from django.urls import path

from . import views, views_figures

urlpatterns = [
    path("", views.home, name="home"),
    path("assessments/<slug:slug>/<int:year>/", views.assessment_detail, name="assessment"),
    path(
        "assessments/<slug:slug>/<int:year>/appendices/<slug:appendix_slug>/",
        views.appendix_detail,
        name="appendix",
    ),
    # --- Indicator data: the figures behind a chapter's charts ---
    path(
        "assessments/<slug:slug>/<int:year>/<slug:chapter_slug>/charts/<int:number>.csv",
        views_figures.chapter_chart_csv,
        name="chapter_chart_csv",
    ),
    # Last: chapter slugs may not take the reserved words used by the routes above.
    path(
        "assessments/<slug:slug>/<int:year>/<slug:chapter_slug>/",
        views.chapter_detail,
        name="chapter",
    ),
]
