"""Figures behind the charts: each chart of a chapter as a CSV download."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from assessments.core.views import refuse, visible_assessment
from assessments.indicators.chapter_charts import chapter_charts
from assessments.indicators.selectors import chapter_for_page, partnership_area


def chapter_chart_csv(
    request: HttpRequest, slug: str, year: int, chapter_slug: str, number: int
) -> HttpResponse:
    assessment = visible_assessment(request, slug, year)
    chapter = assessment and chapter_for_page(assessment, chapter_slug)
    if not chapter:
        return refuse(request)
    charts = chapter_charts(chapter, partnership_area(assessment.partnership_id))
    if not 1 <= number <= len(charts):
        return refuse(request)
    response = HttpResponse(charts[number - 1].csv(), content_type="text/csv; charset=utf-8")
    name = f"{assessment.partnership.slug}-{assessment.year}-{chapter.slug}-chart-{number}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
