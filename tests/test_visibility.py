"""The visibility table of the foundation issue, cell by cell, through real requests.

| status       | analyst, chair       | board member, partner | anyone else            |
| draft        | read, analyst edits  | nothing (404)         | nothing                |
| consultation | read, analyst edits  | read, comment         | nothing                |
| approved     | read                 | read                  | nothing                |
| published    | read                 | read                  | chapters, without login|

Members read the working copy; anyone else reads a published assessment's published edition,
never the working copy (`can_view_assessment` is the working copy's permission).
"""

import pytest
from django.urls import reverse

from assessments.consultation.permissions import can_comment_on_assessment
from assessments.core.permissions import can_edit_assessment, can_view_assessment

from .factories import AssessmentFactory, ChapterFactory, refreeze

pytestmark = pytest.mark.django_db

SECRET = "The unpublished narrative of this chapter."

READ, NOTHING, LOGIN = "read", "nothing", "login"
TABLE = {
    # status: {role: outcome}
    "draft": {"analyst": READ, "chair": READ, "board": NOTHING, "partner": NOTHING,
              "outsider": NOTHING, "anonymous": LOGIN},
    "consultation": {"analyst": READ, "chair": READ, "board": READ, "partner": READ,
                     "outsider": NOTHING, "anonymous": LOGIN},
    "approved": {"analyst": READ, "chair": READ, "board": READ, "partner": READ,
                 "outsider": NOTHING, "anonymous": LOGIN},
    "published": {"analyst": READ, "chair": READ, "board": READ, "partner": READ,
                  "outsider": READ, "anonymous": READ},
}  # fmt: skip
CELLS = [(status, role, outcome) for status, row in TABLE.items() for role, outcome in row.items()]

EDITS = {("draft", "analyst"), ("consultation", "analyst")}
COMMENTS = {("consultation", role) for role in ("analyst", "chair", "board", "partner")}


@pytest.fixture
def people(people):
    """conftest's people, and someone not signed in."""
    return {**people, "anonymous": None}


def make_chapter(partnership, status):
    assessment = AssessmentFactory(partnership=partnership, status=status)
    chapter = ChapterFactory(assessment=assessment, slug="violence", narrative=SECRET)
    refreeze(assessment)  # a published edition holds the chapter
    return chapter


@pytest.mark.parametrize("status,role,outcome", CELLS)
@pytest.mark.parametrize("page", ["assessment", "chapter"])
def test_visibility_table(client, partnership, people, status, role, outcome, page):
    chapter = make_chapter(partnership, status)
    assessment = chapter.assessment
    if people[role]:
        client.force_login(people[role])
    url = chapter.get_absolute_url() if page == "chapter" else assessment.get_absolute_url()

    response = client.get(url)

    if outcome == READ:
        assert response.status_code == 200
        assert chapter.title in response.content.decode()
    elif outcome == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == 404
    if outcome != READ:
        assert SECRET not in response.content.decode()


@pytest.mark.parametrize("status,role,outcome", CELLS)
def test_edit_and_comment_rights_follow_the_table(partnership, people, status, role, outcome):
    assessment = AssessmentFactory(partnership=partnership, status=status)
    user = people[role]
    from django.contrib.auth.models import AnonymousUser

    user = user or AnonymousUser()
    reads_the_edition = status == "published" and role in ("outsider", "anonymous")
    assert can_view_assessment(user, assessment) == (outcome == READ and not reads_the_edition)
    assert can_edit_assessment(user, assessment) == ((status, role) in EDITS)
    assert can_comment_on_assessment(user, assessment) == ((status, role) in COMMENTS)


def test_the_home_page_lists_exactly_what_each_person_may_read(client, partnership, people):
    titles = {}
    for year, status in enumerate(TABLE, start=2014):
        titles[status] = AssessmentFactory(
            partnership=partnership, status=status, year=year, title=f"Assessment {status}"
        ).title
    for role in people:
        if people[role]:
            client.force_login(people[role])
        else:
            client.logout()
        page = client.get(reverse("home")).content.decode()
        for status, title in titles.items():
            assert (title in page) == (TABLE[status][role] == READ), (role, status)


def test_a_missing_assessment_sends_anonymous_users_to_login_without_revealing_it(client):
    response = client.get("/assessments/nowhere/2017/")
    assert response.status_code == 302


def test_a_missing_chapter_is_404_for_a_member(client, partnership, police_partner):
    chapter = make_chapter(partnership, "consultation")
    client.force_login(police_partner)
    response = client.get(chapter.assessment.get_absolute_url() + "no-such-chapter/")
    assert response.status_code == 404
