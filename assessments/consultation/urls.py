"""URLs of the consultation pages."""

from django.urls import path

from assessments.consultation.views import (
    chapter_comments,
    comment_delete,
    comment_edit,
    comment_link,
    comment_resolve,
    feedback,
    feedback_export,
    horizon_comments,
    notification_settings,
    recommendation_response,
    transition,
)

urlpatterns = [
    path(
        "assessments/<slug:slug>/<int:year>/transition/",
        transition,
        name="transition",
    ),
    path(
        "assessments/<slug:slug>/<int:year>/feedback/",
        feedback,
        name="feedback",
    ),
    path(
        "assessments/<slug:slug>/<int:year>/feedback/export.<str:file_format>",
        feedback_export,
        name="feedback_export",
    ),
    # Before the chapters' comments, whose slug it would otherwise be taken for.
    path(
        "assessments/<slug:slug>/<int:year>/horizon-scan/comments/",
        horizon_comments,
        name="horizon_comments",
    ),
    path(
        "assessments/<slug:slug>/<int:year>/<slug:chapter_slug>/comments/",
        chapter_comments,
        name="chapter_comments",
    ),
    path(
        "assessments/<slug:slug>/<int:year>/<slug:chapter_slug>/recommendations/<int:pk>/response/",
        recommendation_response,
        name="recommendation_response",
    ),
    path("comments/<int:pk>/", comment_link, name="comment_link"),
    path("comments/<int:pk>/edit/", comment_edit, name="comment_edit"),
    path("comments/<int:pk>/delete/", comment_delete, name="comment_delete"),
    path("comments/<int:pk>/resolve/", comment_resolve, name="comment_resolve"),
    path(
        "accounts/notifications/",
        notification_settings,
        name="notification_settings",
    ),
]
