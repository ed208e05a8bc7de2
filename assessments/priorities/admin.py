"""Admin of the priority matrix's criteria: on their own list and inline on the assessment.

Scores and overrides are given on the site (the scoring and priorities pages), where the rules
of who may score and when are applied; admin sets the questions."""

from __future__ import annotations

from django.contrib import admin

from assessments.core.admin_base import ScopedAdmin
from assessments.priorities.models import Criterion

CRITERION_FIELDSETS = (
    (None, {"fields": ("order", "name", "question", "weight", "axis")}),
    ("What each level means", {"fields": ("level_1", "level_2", "level_3", "level_4")}),
    (
        "Scores the data proposes",
        {
            "fields": ("data_source", "band_2", "band_3", "band_4"),
            "description": (
                "For volume and trend: a value over the band of level 2 scores 2, over that of "
                "level 3 scores 3, over that of level 4 scores 4; anything else scores 1. Trend "
                "bands are in per cent (percentage points for rates)."
            ),
        },
    ),
)


@admin.register(Criterion)
class CriterionAdmin(ScopedAdmin):
    list_display = ["name", "assessment", "weight", "data_source", "axis", "order"]
    list_filter = ["assessment"]
    list_select_related = ["assessment__partnership"]
    search_fields = ["name", "question"]
    fieldsets = ((None, {"fields": ("assessment",)}), *CRITERION_FIELDSETS)
