from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import TemplateView

from assessments.accounts.views import keep_alive, second_factor
from assessments.core.admin_base import view_on_site_in_scope
from assessments.core.rate_limits import limit_password_resets
from assessments.ops.views import healthz

urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # --- Partner consultation: password reset by email, on the site's own templates ---
    path(
        "accounts/password-reset/",
        limit_password_resets(auth_views.PasswordResetView.as_view()),
        name="password_reset",
    ),
    path(
        "accounts/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("accounts/two-factor/", second_factor, name="two_factor"),
    path("accounts/keep-alive/", keep_alive, name="keep_alive"),
    # In front of admin's own "view on site", which would redirect any staff user to any row's
    # page; the same pattern as admin's, so that every address admin's would take comes here.
    path(
        "admin/r/<path:content_type_id>/<path:object_id>/",
        admin.site.admin_view(view_on_site_in_scope),
        name="view_on_site_in_scope",
    ),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("privacy/", TemplateView.as_view(template_name="privacy.html"), name="privacy"),
    path("", include("assessments.urls")),
]
