"""Finding 4 of issue 15: an invitation never touches an existing account, and the database
holds nothing that opens an invitation by itself."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessments.accounts.models import Invitation
from assessments.accounts.services import people
from assessments.core.models import Membership, User

from ..factories import UserFactory
from .test_people import path_of_link_in

pytestmark = pytest.mark.django_db

PASSWORD = "Violet harbour 1917"


def _invite(analyst, partnership, police_org, email):
    return people.invitation_create(
        partnership=partnership,
        by=analyst,
        email=email,
        first_name="Pat",
        last_name="Lee",
        organisation=police_org,
    )


def _snapshot(user: User) -> tuple:
    user.refresh_from_db()
    memberships = set(user.memberships.values_list("partnership_id", "role"))
    return (user.password, user.email, user.organisation_id, user.is_active, memberships)


@pytest.mark.parametrize(
    "existing",
    [
        {"username": "pat@example.org", "email": "pat.private@example.net"},  # the username
        {"username": "pat", "email": "Pat@Example.org"},  # the email, any case
        {"username": "pat", "email": "pat@example.org", "is_active": False},  # a leaver
    ],
)
def test_inviting_an_existing_username_or_email_is_refused(
    analyst, partnership, police_org, outsider, existing
):
    person = UserFactory(**existing)
    before = _snapshot(person)
    with pytest.raises(ValidationError, match="already has an account"):
        _invite(analyst, partnership, police_org, "pat@example.org")
    assert not Invitation.objects.exists()
    assert _snapshot(person) == before


def test_the_invitation_form_says_why_it_refused(analyst_client, partnership, police_org):
    UserFactory(username="pat@example.org", email="pat.private@example.net")
    response = analyst_client.post(
        reverse("people", args=[partnership.slug]),
        {
            "first_name": "Pat",
            "last_name": "Lee",
            "email": "pat@example.org",
            "role": "partner",
            "organisation": police_org.pk,
        },
    )
    assert response.status_code == 200
    assert "already has an account" in response.content.decode()


def test_accepting_never_takes_over_an_account_made_since_the_invitation(
    client, analyst, partnership, police_org, other_partnership, mailoutbox, jobs
):
    with jobs():
        _invite(analyst, partnership, police_org, "pat@example.org")
    # Meanwhile the operator made Pat an account elsewhere (or someone registered the name).
    pat = UserFactory(username="pat@example.org", email="pat@example.org")
    Membership.objects.create(user=pat, partnership=other_partnership, role="chair")
    before = _snapshot(pat)

    accept = path_of_link_in(mailoutbox[0])
    response = client.post(accept, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert response.status_code == 200
    assert "already has an account" in response.content.decode()
    assert _snapshot(pat) == before
    assert not pat.check_password(PASSWORD)


def test_the_stored_token_does_not_open_the_invitation(
    client, analyst, partnership, police_org, mailoutbox, jobs
):
    with jobs():
        invitation = _invite(analyst, partnership, police_org, "pat@example.org")
    stored = Invitation.objects.get(pk=invitation.pk).token
    assert client.get(reverse("invitation_accept", args=[stored])).status_code == 404
    emailed = path_of_link_in(mailoutbox[0])
    assert stored not in emailed
    assert client.get(emailed).status_code == 200


def test_a_tampered_token_is_refused(client, analyst, partnership, police_org, mailoutbox, jobs):
    with jobs():
        _invite(analyst, partnership, police_org, "pat@example.org")
    emailed = path_of_link_in(mailoutbox[0])
    tampered = emailed[:-3] + ("A" if emailed[-3] != "A" else "B") + emailed[-2:]
    assert client.get(tampered).status_code == 404


@pytest.fixture
def jobs(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)
