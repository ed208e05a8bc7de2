"""Invitations, leavers and password reset."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessments.accounts.models import Invitation
from assessments.accounts.services import people
from assessments.core.models import Membership, User

from ..factories import OrganisationFactory

pytestmark = pytest.mark.django_db

INVITE = {
    "first_name": "Pat",
    "last_name": "Lee",
    "email": "Pat.Lee@example.org",
    "role": "partner",
}


def path_of_link_in(mail) -> str:
    return re.search(r"https?://[^/\s]+(/\S+)", mail.body).group(1)


def test_analyst_invites_and_partner_accepts(
    analyst_client, client, partnership, police_org, mailoutbox, django_capture_on_commit_callbacks
):
    people_url = reverse("people", args=[partnership.slug])
    with django_capture_on_commit_callbacks(execute=True):
        response = analyst_client.post(people_url, {**INVITE, "organisation": police_org.pk})
    assert response.status_code == 302
    assert [m.to for m in mailoutbox] == [["pat.lee@example.org"]]
    accept = path_of_link_in(mailoutbox[0])
    client.logout()
    page = client.get(accept)
    assert "Accept your invitation" in page.content.decode()
    mismatch = client.post(accept, {"new_password1": "long enough pass 1", "new_password2": "x"})
    assert "The two password fields didn’t match" in mismatch.content.decode()
    assert not User.objects.filter(username="pat.lee@example.org").exists()
    response = client.post(
        accept, {"new_password1": "Violet harbour 1917", "new_password2": "Violet harbour 1917"}
    )
    assert response.status_code == 302
    user = User.objects.get(username="pat.lee@example.org")
    assert user.organisation == police_org
    assert Membership.objects.get(user=user).role == "partner"
    assert client.get(reverse("home")).context["user"] == user
    # The link works once.
    client.logout()
    assert client.get(accept).status_code == 404


def test_invitation_to_an_organisation_outside_the_partnership_is_refused(
    analyst_client, partnership
):
    stranger = OrganisationFactory(name="Not ours")
    response = analyst_client.post(
        reverse("people", args=[partnership.slug]), {**INVITE, "organisation": stranger.pk}
    )
    assert response.status_code == 200
    assert not Invitation.objects.exists()


def test_the_analyst_cannot_invite_someone_as_analyst_or_chair(analyst, partnership, police_org):
    """Partners and board members only: the analyst and the chair are set by the operator."""
    for role in ("analyst", "chair"):
        with pytest.raises(ValidationError):
            people.invitation_create(
                partnership=partnership,
                by=analyst,
                email="pat.lee@example.org",
                first_name="Pat",
                last_name="Lee",
                organisation=police_org,
                role=role,
            )
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("who", ["chair", "police_partner", "other_analyst"])
def test_only_the_analyst_manages_people(client, request, partnership, police_org, who):
    client.force_login(request.getfixturevalue(who))
    url = reverse("people", args=[partnership.slug])
    assert client.get(url).status_code == 404
    assert client.post(url, {**INVITE, "organisation": police_org.pk}).status_code == 404
    assert not Invitation.objects.exists()


def test_analyst_deactivates_a_leaver(analyst_client, client, partnership, police_partner):
    url = reverse("member_deactivate", args=[partnership.slug, police_partner.pk])
    assert analyst_client.post(url).status_code == 302
    police_partner.refresh_from_db()
    assert not police_partner.is_active
    assert not Membership.objects.filter(user=police_partner).exists()
    client.logout()
    response = client.post(reverse("login"), {"username": "police", "password": "safermk-demo"})
    assert response.status_code == 200  # the form again: inactive users cannot sign in


def test_partner_cannot_deactivate(police_client, partnership, fire_partner):
    url = reverse("member_deactivate", args=[partnership.slug, fire_partner.pk])
    assert police_client.post(url).status_code == 404
    fire_partner.refresh_from_db()
    assert fire_partner.is_active


def test_password_reset_by_email(client, police_partner, mailoutbox):
    response = client.post(reverse("password_reset"), {"email": police_partner.email})
    assert response.status_code == 302
    assert [m.to for m in mailoutbox] == [[police_partner.email]]
    reset = path_of_link_in(mailoutbox[0])
    form_page = client.get(reset, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Violet harbour 1917", "new_password2": "Violet harbour 1917"},
    )
    police_partner.refresh_from_db()
    assert police_partner.check_password("Violet harbour 1917")


def test_login_page_links_to_password_reset(client):
    assert reverse("password_reset") in client.get(reverse("login")).content.decode()
