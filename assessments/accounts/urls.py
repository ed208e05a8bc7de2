"""URLs of the accounts pages."""

from django.urls import path

from assessments.accounts.views import invitation_accept, member_deactivate, people_page

urlpatterns = [
    path("partnerships/<slug:slug>/people/", people_page, name="people"),
    path(
        "partnerships/<slug:slug>/people/<int:user_id>/deactivate/",
        member_deactivate,
        name="member_deactivate",
    ),
    path("invitations/<str:token>/", invitation_accept, name="invitation_accept"),
]
