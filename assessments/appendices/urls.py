"""URLs of the appendices pages."""

from django.urls import path

from assessments.appendices.models import AppendixAccess
from assessments.appendices.views import appendix_detail, appendix_download, appendix_map_csv

urlpatterns = [
    path(
        "assessments/<slug:slug>/<int:year>/appendices/<slug:appendix_slug>/",
        appendix_detail,
        name="appendix",
    ),
    path(
        "assessments/<slug:slug>/<int:year>/appendices/<slug:appendix_slug>/download.csv",
        appendix_download,
        {"route": AppendixAccess.Route.CSV},
        name="appendix_csv",
    ),
    path(
        "assessments/<slug:slug>/<int:year>/appendices/<slug:appendix_slug>/download.xlsx",
        appendix_download,
        {"route": AppendixAccess.Route.XLSX},
        name="appendix_xlsx",
    ),
    path(
        "assessments/<slug:slug>/<int:year>/appendices/<slug:appendix_slug>/maps/<slug:map_slug>.csv",
        appendix_map_csv,
        name="appendix_map_csv",
    ),
]
