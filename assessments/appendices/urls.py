"""URLs of the appendices pages."""

from django.urls import path

from assessments.appendices.views import appendix_csv, appendix_detail

urlpatterns = [
    path(
        "assessments/<slug:slug>/<int:year>/appendices/<slug:appendix_slug>/",
        appendix_detail,
        name="appendix",
    ),
    path(
        "assessments/<slug:slug>/<int:year>/appendices/<slug:appendix_slug>/download.csv",
        appendix_csv,
        name="appendix_csv",
    ),
]
