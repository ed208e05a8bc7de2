from django.urls import path

from . import (
    views,
    views_appendices,
    views_consultation,
    views_data_returns,
    views_figures,
    views_publication,
    views_reports,
    views_workspace,
)

urlpatterns = [
    path("", views.home, name="home"),
    path("assessments/<slug:slug>/<int:year>/", views.assessment_detail, name="assessment"),
    path(
        "assessments/<slug:slug>/<int:year>/appendices/<slug:appendix_slug>/",
        views.appendix_detail,
        name="appendix",
    ),
    # --- Restricted appendices ---
    path(
        "assessments/<slug:slug>/<int:year>/appendices/<slug:appendix_slug>/download.csv",
        views_appendices.appendix_csv,
        name="appendix_csv",
    ),
    # --- Partner consultation ---
    path(
        "assessments/<slug:slug>/<int:year>/transition/",
        views_consultation.transition,
        name="transition",
    ),
    path(
        "assessments/<slug:slug>/<int:year>/feedback/",
        views_consultation.feedback,
        name="feedback",
    ),
    path(
        "assessments/<slug:slug>/<int:year>/feedback/export.<str:file_format>",
        views_consultation.feedback_export,
        name="feedback_export",
    ),
    path(
        "assessments/<slug:slug>/<int:year>/<slug:chapter_slug>/comments/",
        views_consultation.comment_post,
        name="comment_post",
    ),
    path(
        "assessments/<slug:slug>/<int:year>/<slug:chapter_slug>/recommendations/<int:pk>/response/",
        views_consultation.recommendation_response,
        name="recommendation_response",
    ),
    path("comments/<int:pk>/edit/", views_consultation.comment_edit, name="comment_edit"),
    path("comments/<int:pk>/delete/", views_consultation.comment_delete, name="comment_delete"),
    path("comments/<int:pk>/resolve/", views_consultation.comment_resolve, name="comment_resolve"),
    path("partnerships/<slug:slug>/people/", views_consultation.people_page, name="people"),
    path(
        "partnerships/<slug:slug>/people/<int:user_id>/deactivate/",
        views_consultation.member_deactivate,
        name="member_deactivate",
    ),
    path(
        "invitations/<str:token>/", views_consultation.invitation_accept, name="invitation_accept"
    ),
    path(
        "accounts/notifications/",
        views_consultation.notification_settings,
        name="notification_settings",
    ),
    # --- Indicator data: the figures behind a chapter's charts ---
    path(
        "assessments/<slug:slug>/<int:year>/<slug:chapter_slug>/charts/<int:number>.csv",
        views_figures.chapter_chart_csv,
        name="chapter_chart_csv",
    ),
    # --- Report exports (PDF) ---
    path(
        "assessments/<slug:slug>/<int:year>/pdf/",
        views_reports.export_request,
        name="export_request",
    ),
    path(
        "assessments/<slug:slug>/<int:year>/exports/<int:pk>/",
        views_reports.export_status,
        name="export_status",
    ),
    path(
        "assessments/<slug:slug>/<int:year>/exports/<int:pk>/download/",
        views_reports.export_download,
        name="export_download",
    ),
    # --- Partner data returns ---
    path("returns/", views_data_returns.request_list, name="data_requests"),
    path("returns/<int:pk>/", views_data_returns.request_detail, name="data_request"),
    path(
        "returns/<int:pk>/template.<str:file_format>",
        views_data_returns.template_download,
        name="data_request_template",
    ),
    path("returns/<int:pk>/upload/", views_data_returns.upload, name="data_return_upload"),
    path("returns/<int:pk>/confirm/", views_data_returns.confirm, name="data_return_confirm"),
    path("returns/files/<int:pk>/", views_data_returns.return_file, name="data_return_file"),
    path(
        "assessments/<slug:slug>/<int:year>/returns/",
        views_data_returns.tracking,
        name="data_returns_tracking",
    ),
    path(
        "assessments/<slug:slug>/<int:year>/returns/<int:pk>/send/",
        views_data_returns.send,
        name="data_request_send",
    ),
    path(
        "assessments/<slug:slug>/<int:year>/returns/<int:pk>/correction/",
        views_data_returns.correction,
        name="data_return_correction",
    ),
    # --- Analyst's workspace ---
    path(
        "assessments/<slug:slug>/<int:year>/dashboard/",
        views_workspace.dashboard,
        name="dashboard",
    ),
    path(
        "assessments/<slug:slug>/<int:year>/<slug:chapter_slug>/edit/",
        views_workspace.chapter_edit,
        name="chapter_edit",
    ),
    path(
        "assessments/<slug:slug>/<int:year>/<slug:chapter_slug>/edit/preview/",
        views_workspace.chapter_preview,
        name="chapter_preview",
    ),
    path(
        "assessments/<slug:slug>/<int:year>/<slug:chapter_slug>/edit/figures/",
        views_workspace.figure_upload,
        name="figure_upload",
    ),
    path(
        "assessments/<slug:slug>/<int:year>/<slug:chapter_slug>/edit/pdf/",
        views_workspace.chapter_pdf_preview,
        name="chapter_pdf_preview",
    ),
    path(
        "assessments/<slug:slug>/<int:year>/<slug:chapter_slug>/figures/<int:number>/",
        views_workspace.chapter_figure,
        name="chapter_figure",
    ),
    # --- Publication and the yearly cycle ---
    path("accessibility/", views_publication.accessibility_statement, name="accessibility"),
    path(
        "assessments/<slug:slug>/<int:year>/cover/",
        views_publication.cover_paper_page,
        name="cover_paper",
    ),
    path(
        "assessments/<slug:slug>/<int:year>/meeting/",
        views_publication.board_meeting,
        name="board_meeting",
    ),
    path(
        "assessments/<slug:slug>/<int:year>/<slug:chapter_slug>/compare/",
        views_publication.chapter_compare,
        name="chapter_compare",
    ),
    # Last: chapter slugs may not take the reserved words used by the routes above.
    path(
        "assessments/<slug:slug>/<int:year>/<slug:chapter_slug>/",
        views.chapter_detail,
        name="chapter",
    ),
]
