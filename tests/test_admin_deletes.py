"""A delete is authorised over everything it takes with it (issue 29, finding 2).

An organisation (or a person) once linked to two partnerships keeps rows in the one that
unlinked it: its scores, its answers to recommendations, the reminders sent to it, invitations,
the chapters it leads. The analyst of the partnership it still belongs to must not see those rows
on the delete page, nor delete them (nor set them to nothing) by deleting the organisation: the
page answers 404, as for any row of another partnership, and nothing changes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from assessments.accounts.models import Invitation
from assessments.consultation.models import ChaseReminder, RecommendationResponse
from assessments.core.models import Chapter, Organisation, Recommendation, User
from assessments.priorities.models import OrganisationScore

from .admin_world import MARKERS
from .factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def left_behind(world) -> dict:
    """The shared police force scored, answered, was chased and invited in b, leads b's
    chapter, and was then unlinked from b: it belongs to a alone now."""
    b, police = world["b"], world["shared_organisation"]
    OrganisationScore.objects.create(
        chapter=b["chapter"], criterion=b["criterion"], organisation=police, score=4
    )
    RecommendationResponse.objects.create(
        recommendation=b["recommendation"], organisation=police, answer="oppose",
        reason=f"{MARKERS['b']} does not support this",
    )  # fmt: skip
    ChaseReminder.objects.create(
        assessment=b["assessment"], organisation=police, sent_on=dt.date(2017, 5, 1)
    )
    Invitation.objects.create(
        partnership=b["partnership"], organisation=police, first_name="Ivy",
        last_name=MARKERS["b"], email="ivy@example.org", token="t" * 40,
    )  # fmt: skip
    Chapter.objects.filter(pk=b["chapter"].pk).update(lead_organisation=police)
    police.partnerships.remove(b["partnership"])
    return {"police": police, "b": b}


def _counts(left_behind) -> tuple:
    police, b = left_behind["police"], left_behind["b"]
    return (
        OrganisationScore.objects.filter(organisation=police).count(),
        RecommendationResponse.objects.filter(organisation=police).count(),
        ChaseReminder.objects.filter(organisation=police).count(),
        Invitation.objects.filter(organisation=police).count(),
        Chapter.objects.get(pk=b["chapter"].pk).lead_organisation_id,
    )


def test_deleting_an_organisation_that_left_rows_in_another_partnership_is_refused(
    client, world, left_behind
):
    police = left_behind["police"]
    before = _counts(left_behind)
    client.force_login(world["a"]["analyst"])
    url = reverse("admin:assessments_organisation_delete", args=[police.pk])

    page = client.get(url)
    confirmed = client.post(url, {"post": "yes"})

    assert page.status_code == confirmed.status_code == 404
    assert MARKERS["b"] not in page.content.decode()
    assert Organisation.objects.filter(pk=police.pk).exists()
    assert _counts(left_behind) == before


def test_the_delete_action_refuses_it_too(client, world, left_behind):
    police = left_behind["police"]
    before = _counts(left_behind)
    client.force_login(world["a"]["analyst"])
    changelist = reverse("admin:assessments_organisation_changelist")
    chosen = {"action": "delete_selected", "_selected_action": [police.pk]}

    page = client.post(changelist, chosen)
    confirmed = client.post(changelist, {**chosen, "post": "yes"})

    assert MARKERS["b"] not in page.content.decode() + confirmed.content.decode()
    assert Organisation.objects.filter(pk=police.pk).exists()
    assert _counts(left_behind) == before


def test_a_person_who_left_rows_in_another_partnership_is_not_deleted_with_them(client, world):
    """The same rule for people: a partner who commented in b, then left b, stays."""
    person, b = world["b"]["user"], world["b"]
    a = world["a"]
    person.memberships.filter(partnership=b["partnership"]).delete()
    person.memberships.create(partnership=a["partnership"], role="partner")
    client.force_login(a["analyst"])
    url = reverse("admin:assessments_user_delete", args=[person.pk])

    assert client.get(url).status_code == 404
    assert client.post(url, {"post": "yes"}).status_code == 404
    assert User.objects.filter(pk=person.pk).exists()
    assert b["comment"].__class__.objects.filter(pk=b["comment"].pk).exists()


def test_an_organisation_wholly_of_the_partnership_is_deleted_with_its_rows(client, world):
    a = world["a"]
    own = OrganisationFactory(name="Ambergate Youth Justice", kind="youth")
    own.partnerships.add(a["partnership"])
    OrganisationScore.objects.create(
        chapter=a["chapter"], criterion=a["criterion"], organisation=own, score=2
    )
    client.force_login(a["analyst"])
    url = reverse("admin:assessments_organisation_delete", args=[own.pk])

    assert client.get(url).status_code == 200
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not Organisation.objects.filter(pk=own.pk).exists()
    assert not OrganisationScore.objects.filter(organisation_id=own.pk).exists()


def test_an_organisation_leading_a_recommendation_of_another_partnership_is_not_deleted(
    client, world
):
    """Issue 32: a recommendation's own lead is a shared organisation like a chapter's: its
    deletion would set another partnership's row to nothing, so it is refused, where the same
    organisation without that lead is deleted (the test above)."""
    a, b = world["a"], world["b"]
    own = OrganisationFactory(name="Ambergate Youth Justice", kind="youth")
    own.partnerships.add(a["partnership"])
    Recommendation.objects.filter(pk=b["recommendation"].pk).update(lead_organisation=own)
    client.force_login(a["analyst"])
    url = reverse("admin:assessments_organisation_delete", args=[own.pk])
    assert client.get(url).status_code == client.post(url, {"post": "yes"}).status_code == 404
    assert Recommendation.objects.get(pk=b["recommendation"].pk).lead_organisation == own
