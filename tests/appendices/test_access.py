"""Appendices are never public: analyst and chair by role, others only by grant."""

import pytest
from django.urls import reverse

from assessments.appendices.permissions import (
    appendices_visible_to,
    grant_appendix,
    revoke_appendix,
)
from assessments.reporting.permissions import can_download_export

from ..factories import AppendixFactory, AssessmentFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def appendix(partnership, police_org):
    assessment = AssessmentFactory(partnership=partnership, status="published")
    appendix = AppendixFactory(assessment=assessment, narrative="Estate figures: Fishermead.")
    grant_appendix(appendix, organisation=police_org)
    return appendix


@pytest.mark.parametrize(
    "who,expected",
    [
        ("analyst", 200),
        ("chair", 200),
        ("police_partner", 200),  # through the police organisation's grant
        ("fire_partner", 404),
        ("board_member", 404),
        ("outsider", 404),
        ("other_analyst", 404),
        (None, 302),
    ],
)
def test_appendix_page(client, request, appendix, who, expected):
    if who:
        client.force_login(request.getfixturevalue(who))
    response = client.get(appendix.get_absolute_url())
    assert response.status_code == expected
    body = response.content.decode()
    assert ("Fishermead" in body) == (expected == 200)
    assessment_page = client.get(appendix.assessment.get_absolute_url()).content.decode()
    assert (appendix.title in assessment_page) == (expected == 200)


def test_a_user_granted_individually_sees_it_and_loses_it_on_revocation(
    client, partnership, appendix
):
    from ..factories import MembershipFactory

    person = UserFactory()
    MembershipFactory(user=person, partnership=partnership, role="board")
    client.force_login(person)
    assert client.get(appendix.get_absolute_url()).status_code == 404
    grant_appendix(appendix, user=person)
    assert client.get(appendix.get_absolute_url()).status_code == 200
    revoke_appendix(appendix, user=person)
    assert client.get(appendix.get_absolute_url()).status_code == 404


def test_a_grant_outside_the_partnership_opens_nothing(client, appendix, outsider):
    grant_appendix(appendix, user=outsider)
    client.force_login(outsider)
    assert client.get(appendix.get_absolute_url()).status_code == 404


def test_a_model_wide_permission_opens_no_appendix(client, appendix, fire_partner):
    from django.contrib.auth.models import Permission

    fire_partner.user_permissions.add(Permission.objects.get(codename="view_appendix"))
    client.force_login(fire_partner)
    assert client.get(appendix.get_absolute_url()).status_code == 404


def test_anonymous_users_go_to_login_whether_or_not_the_appendix_exists(client, appendix):
    page = appendix.get_absolute_url()
    download = page + "download.csv"
    urls = [page, download] + [
        u.replace(appendix.slug, "no-such-appendix") for u in (page, download)
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_the_list_of_appendices_takes_a_fixed_number_of_queries(
    partnership, police_partner, police_org, django_assert_max_num_queries
):
    assessment = AssessmentFactory(partnership=partnership, status="consultation")

    def visible_count():
        police_partner._partnership_roles = None  # a fresh request
        return len(appendices_visible_to(police_partner, assessment))

    for _ in range(3):
        grant_appendix(AppendixFactory(assessment=assessment), organisation=police_org)
    with django_assert_max_num_queries(2):  # the roles, then the appendices with their grants
        assert visible_count() == 3
    for _ in range(12):
        appendix = AppendixFactory(assessment=assessment)
        grant_appendix(appendix, organisation=police_org)
        grant_appendix(appendix, user=police_partner)
    with django_assert_max_num_queries(2):  # the roles, then the appendices with their grants
        assert visible_count() == 15


@pytest.mark.parametrize("who", ["police_partner", "analyst"])
def test_the_assessment_page_takes_the_same_queries_for_2_or_20_appendices(
    client, request, partnership, police_org, who
):
    """The page's query count does not depend on the number of appendices and grants."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    user = request.getfixturevalue(who)
    client.force_login(user)
    counts = {}
    for year, how_many in ((2016, 2), (2017, 20)):
        assessment = AssessmentFactory(partnership=partnership, status="consultation", year=year)
        for _ in range(how_many):
            appendix = AppendixFactory(assessment=assessment)
            grant_appendix(appendix, organisation=police_org)
            grant_appendix(appendix, user=user)
        client.get(assessment.get_absolute_url())  # warm the session
        with CaptureQueriesContext(connection) as queries:
            response = client.get(assessment.get_absolute_url())
        assert len(response.context["appendices"]) == how_many
        assert appendix.title in response.content.decode()
        counts[how_many] = len(queries)
    assert counts[2] == counts[20], counts


def test_a_document_rendered_before_a_revocation_can_no_longer_be_downloaded(
    appendix, police_partner, police_org, fire_partner
):
    from assessments.reporting.models import ReportExport

    export = ReportExport.objects.create(
        assessment=appendix.assessment,
        variant=ReportExport.Variant.RESTRICTED,
        audience=[appendix.pk],
        status=ReportExport.Status.DONE,
        requested_by=police_partner,
    )
    assert can_download_export(police_partner, export)
    assert not can_download_export(fire_partner, export)
    revoke_appendix(appendix, organisation=police_org)
    police_partner._partnership_roles = None  # the next request
    assert not can_download_export(police_partner, export)


def test_downloading_a_restricted_pdf_is_logged_for_each_appendix(client, appendix, police_partner):
    from django.core.files.base import ContentFile

    from assessments.appendices.models import AppendixAccess
    from assessments.reporting.models import ReportExport

    export = ReportExport.objects.create(
        assessment=appendix.assessment,
        variant=ReportExport.Variant.RESTRICTED,
        audience=[appendix.pk],
        status=ReportExport.Status.DONE,
    )
    export.file.save("restricted.pdf", ContentFile(b"%PDF-1.7"))
    client.force_login(police_partner)
    url = export.get_download_url()
    response = client.get(url)
    assert response.status_code == 200
    [access] = AppendixAccess.objects.filter(route=AppendixAccess.Route.PDF)
    assert (access.appendix, access.user, access.path) == (appendix, police_partner, url)
