"""The admin for analysts: staff, not superuser, scoped to their own partnerships."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from assessments.appendices.permissions import grant_appendix
from assessments.core.models import Chapter, User
from assessments.core.permissions import administers_row, administers_wholly, can_use_admin
from assessments.reporting.models import ReportExport

from ..factories import AppendixFactory, AssessmentFactory, ChapterFactory, CommentFactory

pytestmark = pytest.mark.django_db


def test_the_demo_analyst_sees_the_assessment_with_its_chapters_in_admin(client, demo):
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
    assert response.status_code == 404  # as for a row that does not exist
    assert "Theirs" not in response.content.decode()
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


def test_view_on_site_of_a_comment_or_an_export_is_refused_to_another_partnerships_analyst(
    client, analyst, other_analyst, assessment, police_partner
):
    """Comments and exports link to the site from admin; the link is the analyst's own only."""
    comment = CommentFactory(chapter=ChapterFactory(assessment=assessment), author=police_partner)
    export = ReportExport.objects.create(assessment=assessment, requested_by=analyst)
    for row in (comment, export):
        content_type = ContentType.objects.get_for_model(row)
        url = reverse("view_on_site_in_scope", args=[content_type.pk, row.pk])
        client.force_login(analyst)
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].endswith(row.get_absolute_url())
        client.force_login(other_analyst)
        assert client.get(url).status_code == 404


def test_admins_repeated_scope_checks_of_a_row_cost_no_further_query(
    analyst, partnership, django_assert_num_queries
):
    """Admin asks about the same row many times per request (issue 18 counts on it): the
    user's roles and each row's partnerships are read once, then remembered for the request."""
    chapter = ChapterFactory(assessment=AssessmentFactory(partnership=partnership))
    user = User.objects.get(pk=analyst.pk)  # as each request loads it
    with django_assert_num_queries(2):  # the user's roles, then the row's partnership
        assert can_use_admin(user) and administers_row(user, chapter)
    with django_assert_num_queries(0):
        for _ in range(10):
            assert can_use_admin(user) and administers_row(user, chapter)
            assert administers_wholly(user, chapter)
