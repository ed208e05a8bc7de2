"""URLs of the reporting pages."""

from django.urls import path

from assessments.reporting.views import export_download, export_request, export_status

urlpatterns = [
    path(
        "assessments/<slug:slug>/<int:year>/pdf/",
        export_request,
        name="export_request",
    ),
    path(
        "assessments/<slug:slug>/<int:year>/exports/<int:pk>/",
        export_status,
        name="export_status",
    ),
    path(
        "assessments/<slug:slug>/<int:year>/exports/<int:pk>/download/",
        export_download,
        name="export_download",
    ),
]
