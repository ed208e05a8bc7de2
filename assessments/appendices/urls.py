"""URLs of the appendices pages."""

from django.urls import path

from assessments.appendices.models import AppendixAccess
from assessments.appendices.views import appendix_detail, appendix_download

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
]
