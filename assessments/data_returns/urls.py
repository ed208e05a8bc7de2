"""URLs of the data_returns pages."""

from django.urls import path

from assessments.data_returns.views import (
    confirm,
    correction,
    request_detail,
    request_list,
    return_file,
    send,
    template_download,
    tracking,
    upload,
)

urlpatterns = [
    path("returns/", request_list, name="data_requests"),
    path("returns/<int:pk>/", request_detail, name="data_request"),
    path(
        "returns/<int:pk>/template.<str:file_format>",
        template_download,
        name="data_request_template",
    ),
    path("returns/<int:pk>/upload/", upload, name="data_return_upload"),
    path("returns/<int:pk>/confirm/", confirm, name="data_return_confirm"),
    path("returns/files/<int:pk>/", return_file, name="data_return_file"),
    path(
        "assessments/<slug:slug>/<int:year>/returns/",
        tracking,
        name="data_returns_tracking",
    ),
    path(
        "assessments/<slug:slug>/<int:year>/returns/<int:pk>/send/",
        send,
        name="data_request_send",
    ),
    path(
        "assessments/<slug:slug>/<int:year>/returns/<int:pk>/correction/",
        correction,
        name="data_return_correction",
    ),
]
