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
        "assessments/<slug:slug>/<int:year>/exports/<uuid:token>/",
        export_status,
        name="export_status",
    ),
    path(
        "assessments/<slug:slug>/<int:year>/exports/<uuid:token>/download/",
        export_download,
        name="export_download",
    ),
]
