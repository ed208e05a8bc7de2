"""URLs of the priority-setting pages."""

from django.urls import path

from assessments.priorities.views import (
    priorities,
    priorities_chase,
    priorities_matrix_csv,
    priorities_override,
    priorities_score,
    priorities_score_theme,
)

PREFIX = "assessments/<slug:slug>/<int:year>/priorities/"

urlpatterns = [
    path(PREFIX, priorities, name="priorities"),
    path(f"{PREFIX}score/", priorities_score, name="priorities_score"),
    path(
        f"{PREFIX}score/<slug:chapter_slug>/", priorities_score_theme, name="priorities_score_theme"
    ),
    path(f"{PREFIX}override/", priorities_override, name="priorities_override"),
    path(f"{PREFIX}chase/", priorities_chase, name="priorities_chase"),
    path(f"{PREFIX}matrix.csv", priorities_matrix_csv, name="priorities_matrix_csv"),
]
