"""One test per admin finding of issue 15's attack run (findings 1, 2, 6, 7, 8 and 9), on the
world of two partnerships that share a police force and a person (`tests/admin_world.py`)."""

from __future__ import annotations

import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from assessments.core.models import Organisation, Recommendation, User

from .admin_world import MARKERS, SHARED_ORGANISATION

pytestmark = pytest.mark.django_db


def _as(client, user):
    client.force_login(user)
    return client


def _body(response) -> str:
    return response.content.decode(errors="replace")


# Finding 1: account takeover across partnerships --------------------------------------------


@pytest.mark.parametrize("target", ["shared_person", "operator"])
def test_finding_1_an_analyst_cannot_take_over_a_person_shared_with_another_partnership(
    client, world, target
):
    """A partner of a who chairs b (or an operator with a role in a) is the operator's to change:
    a's analyst cannot set the password, change the email, switch the account off, make it
    staff, delete it or reset its two-factor sign-in."""
    person = world[target]
    TOTPDevice.objects.create(user=person, name="phone", confirmed=True)
    _as(client, world["a"]["analyst"])
    password_url = reverse("admin:auth_user_password_change", args=[person.pk])
    assert client.get(password_url).status_code in (403, 404)
    client.post(
        password_url,
        {"password1": "Takeover-2025!", "password2": "Takeover-2025!", "usable_password": "true"},
    )
    change_url = reverse("admin:assessments_user_change", args=[person.pk])
    client.post(
        change_url,
        {
            "username": person.username,
            "email": "attacker@example.org",
            "first_name": "Sam",
            "last_name": "Shared",
            "is_staff": "on",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    client.post(
        reverse("admin:assessments_user_changelist"),
        {"action": "reset_two_factor", "_selected_action": [person.pk]},
    )
    delete_url = reverse("admin:assessments_user_delete", args=[person.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code in (403, 404)
    person.refresh_from_db()
    assert person.check_password("Takeover-2025!") is False
    assert person.email != "attacker@example.org"
    assert person.is_active
    assert TOTPDevice.objects.filter(user=person).exists()
    page = _body(client.get(change_url))
    assert MARKERS["b"] not in page  # not even the name of the other partnership


def test_finding_1_the_analyst_still_ends_a_shared_persons_role_in_their_own_partnership(
    client, world
):
    person = world["shared_person"]
    membership = person.memberships.get(partnership=world["a"]["partnership"])
    _as(client, world["a"]["analyst"])
    response = client.post(
        reverse("admin:assessments_user_change", args=[person.pk]),
        {
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "1",
            "memberships-0-id": membership.pk,
            "memberships-0-user": person.pk,
            "memberships-0-partnership": membership.partnership_id,
            "memberships-0-role": "partner",
            "memberships-0-DELETE": "on",
        },
    )
    assert response.status_code == 302, _body(response)
    person.refresh_from_db()
    assert list(person.memberships.values_list("partnership__slug", "role")) == [("beta", "chair")]
    assert person.is_active


# Finding 2: the recommendation import reads and moves other partnerships' rows --------------


def _import(client, model: str, csv: str):
    upload = SimpleUploadedFile("rows.csv", csv.encode(), content_type="text/csv")
    return client.post(
        reverse(f"admin:assessments_{model}_import"),
        {"import_file": upload, "format": "0", "resource": "0"},
    )


def test_finding_2_an_import_cannot_read_or_move_another_partnerships_recommendation(client, world):
    theirs = world["b"]["recommendation"]
    own_chapter = world["a"]["chapter"]
    _as(client, world["a"]["analyst"])
    preview = _import(
        client,
        "recommendation",
        f"id,chapter_id,order,text,status\n{theirs.pk},{own_chapter.pk},1,Mine now,provisional\n",
    )
    body = _body(preview)
    # The diff of the preview would show the other partnership's wording, letter by letter.
    assert [row.diff for row in preview.context["result"].rows if row.diff] == []
    assert MARKERS["b"] not in body
    assert f"No recommendation with id {theirs.pk}" in body
    theirs.refresh_from_db()
    assert theirs.chapter_id == world["b"]["chapter"].pk and MARKERS["b"] in theirs.text
    history = client.get(reverse("admin:assessments_recommendation_history", args=[theirs.pk]))
    assert history.status_code == 404 and MARKERS["b"] not in _body(history)


def test_finding_2_a_chapter_of_another_partnership_is_an_error_row(client, world):
    _as(client, world["a"]["analyst"])
    preview = _import(
        client,
        "recommendation",
        f"chapter_id,order,text,status\n{world['b']['chapter'].pk},1,New,provisional\n",
    )
    assert f"No chapter {world['b']['chapter'].pk} in your partnerships" in _body(preview)
    assert not Recommendation.objects.filter(text="New").exists()


# Finding 6: saving a shared organisation drops it from the other partnerships ----------------


def _organisation_form(org: Organisation, **changes) -> dict:
    data = {
        "name": org.name,
        "short_name": org.short_name,
        "kind": org.kind,
        "partnerships": [p.pk for p in org.partnerships.all()],
    }
    return data | changes


def test_finding_6_saving_a_shared_organisation_keeps_the_other_partnerships_link(client, world):
    org = world["shared_organisation"]
    alpha, beta = world["a"]["partnership"], world["b"]["partnership"]
    _as(client, world["a"]["analyst"])
    url = reverse("admin:assessments_organisation_change", args=[org.pk])
    page = client.get(url)
    assert page.status_code == 200 and MARKERS["b"] not in _body(page)
    # What the browser sends back: only the choices it was shown.
    client.post(url, _organisation_form(org, partnerships=[alpha.pk], name="Renamed Police"))
    org.refresh_from_db()
    assert set(org.partnerships.all()) == {alpha, beta}
    assert org.name == SHARED_ORGANISATION
    delete = client.post(
        reverse("admin:assessments_organisation_delete", args=[org.pk]), {"post": "yes"}
    )
    assert delete.status_code == 403
    assert Organisation.objects.filter(pk=org.pk).exists()


def test_finding_6_the_analyst_can_unlink_their_own_partnership_only(client, world):
    org = world["shared_organisation"]
    _as(client, world["a"]["analyst"])
    client.post(
        reverse("admin:assessments_organisation_change", args=[org.pk]),
        _organisation_form(org, partnerships=[]),
    )
    assert list(org.partnerships.values_list("slug", flat=True)) == ["beta"]


# Finding 7: odd spellings of ids bypass the scoped "view on site" ----------------------------

ODD_SPELLINGS = ["%20{}", "+{}", "0{}", "00{}", "{}%20", "%09{}", "{}.0", "{}/"]


@pytest.mark.parametrize("spelling", ODD_SPELLINGS)
def test_finding_7_view_on_site_cannot_be_reached_with_odd_id_spellings(client, world, spelling):
    theirs = world["b"]["appendix"]
    content_type = ContentType.objects.get_for_model(theirs).pk
    _as(client, world["a"]["analyst"])
    for ct, pk in [
        (spelling.format(content_type), theirs.pk),
        (content_type, spelling.format(theirs.pk)),
    ]:
        response = client.get(f"/admin/r/{ct}/{pk}/")
        assert response.status_code == 404, (ct, pk, response.get("Location"))


# Finding 8: filter sidebars list every partnership's records ---------------------------------


@pytest.mark.parametrize(
    "model",
    [
        "organisation",
        "user",
        "theme",
        "chapter",
        "recommendation",
        "assessment",
        "geography",
        "indicator",
        "importbatch",
        "observation",
        "headline",
        "comment",
        "datarequest",
        "appendix",
        "appendixaccess",
        "reportexport",
        "boarddecision",
    ],
)
def test_finding_8_filter_sidebars_list_only_the_analysts_partnership(client, world, model):
    _as(client, world["a"]["analyst"])
    page = client.get(reverse(f"admin:assessments_{model}_changelist"))
    assert page.status_code == 200
    assert MARKERS["b"] not in _body(page)


# Finding 9: guardian's screens enumerate users and organisations ------------------------------


def test_finding_9_guardian_screens_do_not_show_other_partnerships_people_or_organisations(
    client, world
):
    appendix = world["a"]["appendix"]
    _as(client, world["a"]["analyst"])
    foreign_user = reverse(
        "admin:assessments_appendix_permissions_manage_user",
        args=[appendix.pk, world["b"]["user"].pk],
    )
    foreign_group = reverse(
        "admin:assessments_appendix_permissions_manage_group",
        args=[appendix.pk, world["b"]["organisation"].group_id],
    )
    for url in (foreign_user, foreign_group):
        response = client.get(url)
        assert response.status_code == 404 and MARKERS["b"] not in _body(response)


CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def test_finding_9_the_grant_form_does_not_say_whether_a_username_exists(client, world):
    appendix = world["a"]["appendix"]
    _as(client, world["a"]["analyst"])
    url = reverse("admin:assessments_appendix_permissions", args=[appendix.pk])
    answers = []
    for username in (world["b"]["user"].username, "nobody-at-all"):
        response = client.post(url, {"user": username, "submit_manage_user": "1"})
        assert response.status_code == 200  # the form again, not the foreign user's screen
        answers.append(CSRF_TOKEN.sub("", _body(response)).replace(username, "USERNAME"))
    assert answers[0] == answers[1]
    assert "does not exist" not in answers[0]
    own = client.post(url, {"user": world["a"]["user"].username, "submit_manage_user": "1"})
    assert own.status_code == 302


def test_an_operator_still_manages_everyone(client, world):
    person = world["shared_person"]
    _as(client, world["operator"])
    assert (
        client.get(reverse("admin:auth_user_password_change", args=[person.pk])).status_code == 200
    )
    assert User.objects.filter(pk=person.pk).exists()


@pytest.mark.parametrize("model", ["user", "organisation"])
def test_findings_1_and_6_the_list_action_delete_spares_shared_rows(client, world, model):
    row = {"user": world["shared_person"], "organisation": world["shared_organisation"]}[model]
    _as(client, world["a"]["analyst"])
    changelist = reverse(f"admin:assessments_{model}_changelist")
    asked = {"action": "delete_selected", "_selected_action": [row.pk]}
    confirmation = client.post(changelist, asked)
    client.post(changelist, asked | {"post": "yes"})
    assert type(row).objects.filter(pk=row.pk).exists()
    assert MARKERS["b"] not in _body(confirmation)
