"""Reads of restricted appendices."""

from __future__ import annotations

from assessments.appendices.models import Appendix


def appendix_by_url(slug: str, year: int, appendix_slug: str) -> Appendix | None:
    return (
        Appendix.objects.select_related("assessment__partnership")
        .filter(assessment__partnership__slug=slug, assessment__year=year, slug=appendix_slug)
        .first()
    )
