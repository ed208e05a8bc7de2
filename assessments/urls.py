from django.urls import path

from . import views, views_reports

urlpatterns = [
    path("", views.home, name="home"),
    path("assessments/<slug:slug>/<int:year>/", views.assessment_detail, name="assessment"),
    path(
        "assessments/<slug:slug>/<int:year>/appendices/<slug:appendix_slug>/",
        views.appendix_detail,
        name="appendix",
    ),
    # --- Report exports (PDF) ---
    path(
        "assessments/<slug:slug>/<int:year>/pdf/",
        views_reports.export_request,
        name="export_request",
    ),
    path(
        "assessments/<slug:slug>/<int:year>/exports/<int:pk>/",
        views_reports.export_status,
        name="export_status",
    ),
    path(
        "assessments/<slug:slug>/<int:year>/exports/<int:pk>/download/",
        views_reports.export_download,
        name="export_download",
    ),
    # Last: chapter slugs may not take the reserved words used by the routes above.
    path(
        "assessments/<slug:slug>/<int:year>/<slug:chapter_slug>/",
        views.chapter_detail,
        name="chapter",
    ),
]
