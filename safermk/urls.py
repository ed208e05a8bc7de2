from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from assessments.admin import view_on_site_in_scope

urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Before admin's own "view on site", which would redirect any staff user to any row's page.
    path(
        "admin/r/<int:content_type_id>/<path:object_id>/",
        admin.site.admin_view(view_on_site_in_scope),
        name="view_on_site_in_scope",
    ),
    path("admin/", admin.site.urls),
    path("", include("assessments.urls")),
]
