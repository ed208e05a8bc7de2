from django.urls import path

from . import views, views_appendices

urlpatterns = [
    path("", views.home, name="home"),
    path("assessments/<slug:slug>/<int:year>/", views.assessment_detail, name="assessment"),
    path(
        "assessments/<slug:slug>/<int:year>/appendices/<slug:appendix_slug>/",
        views.appendix_detail,
        name="appendix",
    ),
    # --- Restricted appendices ---
    path(
        "assessments/<slug:slug>/<int:year>/appendices/<slug:appendix_slug>/download.csv",
        views_appendices.appendix_csv,
        name="appendix_csv",
    ),
    # Last: chapter slugs may not take the reserved words used by the routes above.
    path(
        "assessments/<slug:slug>/<int:year>/<slug:chapter_slug>/",
        views.chapter_detail,
        name="chapter",
    ),
]
