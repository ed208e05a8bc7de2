"""URLs of the indicators pages."""

from django.urls import path

from assessments.indicators.views import chapter_chart_csv

urlpatterns = [
    path(
        "assessments/<slug:slug>/<int:year>/<slug:chapter_slug>/charts/<int:number>.csv",
        chapter_chart_csv,
        name="chapter_chart_csv",
    ),
]
