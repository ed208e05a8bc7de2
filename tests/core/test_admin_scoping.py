"""The analyst's workspace: staff, not superuser, scoped to their own partnerships."""

import pytest
from django.urls import reverse

from assessments.appendices.permissions import grant_appendix
from assessments.core.models import Chapter

from ..factories import AppendixFactory, AssessmentFactory, ChapterFactory

pytestmark = pytest.mark.django_db


def test_the_demo_analyst_sees_the_assessment_with_its_chapters_in_admin(client, demo):
    from assessments.core.models import User

    client.force_login(User.objects.get(username="analyst"))
    page = client.get(reverse("admin:assessments_assessment_change", args=[demo.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    for chapter in demo.chapters.all():
        assert chapter.title in html
    for appendix in demo.appendices.all():
        assert appendix.title in html
    chapter = demo.chapters.get(slug="crime")
    page = client.get(reverse("admin:assessments_chapter_change", args=[chapter.pk]))
    html = page.content.decode()
    assert "All Crime" in html  # indicator selection inline
    assert chapter.recommendations.first().text in html
    assert client.get(reverse("admin:assessments_indicator_changelist")).status_code == 200


def test_an_analyst_sees_only_their_partnerships_records(
    analyst_client, partnership, other_partnership
):
    mine = ChapterFactory(assessment=AssessmentFactory(partnership=partnership), title="Ours")
    theirs = ChapterFactory(
        assessment=AssessmentFactory(partnership=other_partnership), title="Theirs"
    )
    listing = analyst_client.get(reverse("admin:assessments_chapter_changelist")).content.decode()
    assert mine.title in listing and theirs.title not in listing
    response = analyst_client.get(reverse("admin:assessments_chapter_change", args=[theirs.pk]))
    assert response.status_code == 302  # "does not exist" and back to the index
    assert Chapter.objects.get(pk=theirs.pk).title == "Theirs"


def test_choices_in_forms_are_limited_to_the_analysts_partnerships(
    analyst_client, partnership, other_partnership
):
    AssessmentFactory(partnership=other_partnership, title="Elsewhere 2017")
    ours = AssessmentFactory(partnership=partnership, title="Ours 2017")
    page = analyst_client.get(reverse("admin:assessments_appendix_add")).content.decode()
    assert ours.title in page and "Elsewhere 2017" not in page


def test_partners_cannot_use_admin(client, police_partner):
    police_partner.is_staff = True  # even if staff by mistake, without the analyst role
    police_partner.save()
    client.force_login(police_partner)
    response = client.get(reverse("admin:assessments_chapter_changelist"))
    assert response.status_code == 403


def test_the_appendix_admin_lists_who_can_see_it_and_offers_guardian_screens(
    analyst_client, partnership, police_org
):

    appendix = AppendixFactory(assessment=AssessmentFactory(partnership=partnership))
    grant_appendix(appendix, organisation=police_org)
    page = analyst_client.get(reverse("admin:assessments_appendix_change", args=[appendix.pk]))
    assert "Organisation: Test Police" in page.content.decode()
    screen = analyst_client.get(
        reverse("admin:assessments_appendix_permissions", args=[appendix.pk])
    )
    assert screen.status_code == 200
    assert "Object permissions" in screen.content.decode()


def test_analysts_cannot_make_operators(analyst_client, analyst):
    page = analyst_client.get(reverse("admin:assessments_user_change", args=[analyst.pk]))
    assert page.status_code == 200
    assert "is_superuser" not in page.content.decode()
