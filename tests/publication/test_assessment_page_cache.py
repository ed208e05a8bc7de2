"""The assessment page's headlines, last year's priorities, board's decision, statutory checklist
and purposes are template fragments cached under the partnership's data version (issue 18):
each change to what they show appears on the next view, and what differs by reader (the
analyst's headline checks, the checklist for members) never shows on another's page."""

import datetime as dt

import pytest
from django.test import Client

from assessments.core.models import Assessment, User
from assessments.publication.models import BoardDecision, StatutoryRequirement
from tests.factories import AssessmentFactory, UserFactory, set_status

pytestmark = pytest.mark.django_db

CHECK = "no longer matches the data"


def _signed_in(user: User | str) -> Client:
    client = Client()
    client.force_login(user if isinstance(user, User) else User.objects.get(username=user))
    return client


def _page(client: Client, demo) -> str:
    response = client.get(demo.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def _between(page: str, start: str, end: str) -> str:
    return page.split(start, 1)[1].split(end, 1)[0]


def _headlines(page: str) -> str:
    return _between(page, "Main headlines</h2>", "</ul>")


def _checklist(page: str) -> str:
    return _between(page, 'id="statutory-checklist"', "</table>")


@pytest.fixture
def police(demo):
    return _signed_in("police")


def test_a_reworded_headline_shows_at_once(police, demo):
    headline = demo.headlines.filter(on_cover=True).first()
    assert headline.text in _headlines(_page(police, demo))
    headline.text = "Violence fell by a third."
    headline.save()
    assert "Violence fell by a third." in _headlines(_page(police, demo))


def test_the_headline_check_is_the_analysts_alone(police, demo):
    analyst = _signed_in("analyst")
    headline = demo.headlines.filter(on_cover=True).first()
    headline.text = "Violence rose to 987,654 offences."
    headline.save()
    assert CHECK in _headlines(_page(analyst, demo))
    assert CHECK not in _headlines(_page(police, demo))  # after the analyst's view was cached
    assert CHECK in _headlines(_page(analyst, demo))


def test_last_years_agreed_priorities_show_at_once(police, demo):
    assert "Last year's agreed priorities" not in _page(police, demo)
    last_year = AssessmentFactory(partnership=demo.partnership, year=demo.year - 1)
    decision = BoardDecision.objects.create(assessment=last_year, met_on=dt.date(2016, 10, 1))
    decision.agreed_themes.set([demo.chapters.get(slug="violence").theme])
    page = _page(police, demo)
    priorities = _between(page, 'id="last-year-priorities"', "</section>")
    assert "Violence" in priorities
    decision.agreed_themes.set([demo.chapters.get(slug="crime").theme])
    priorities = _between(_page(police, demo), 'id="last-year-priorities"', "</section>")
    assert "Crime" in priorities and "Violence" not in priorities


def test_the_boards_decision_shows_at_once(police, demo):
    assert "The board's decision" not in _page(police, demo)
    decision = BoardDecision.objects.create(
        assessment=demo, met_on=dt.date(2017, 10, 12), notes="The board thanked the analyst."
    )
    assert "12 October 2017" in _page(police, demo)
    decision.notes = "The board asked for a second look at violence."
    decision.save()
    assert "a second look at violence" in _page(police, demo)
    recommendation = demo.chapters.get(slug="violence").recommendations.first()
    outcome = decision.outcomes.create(recommendation=recommendation, outcome="adopted")
    assert "Adopted as a priority" in _page(police, demo)
    outcome.outcome = "rejected"
    outcome.save()
    assert "Adopted as a priority" not in _page(police, demo)
    recommendation.text = "Open a youth centre in every ward."
    recommendation.save()
    assert "Open a youth centre in every ward." in _page(police, demo)


def test_the_checklist_follows_coverage_notes_and_titles_at_once(police, demo):
    community = StatutoryRequirement.COMMUNITY
    row = _between(_checklist(_page(police, demo)), community.label, "</tr>")
    assert "Not covered yet" in row
    coverage = demo.statutory_coverage.create(requirement=community, note="From the survey.")
    violence = demo.chapters.get(slug="violence")
    coverage.chapters.add(violence)
    row = _between(_checklist(_page(police, demo)), community.label, "</tr>")
    assert "Violence" in row and "From the survey." in row
    coverage.note = "From the residents panel."
    coverage.save()
    violence.title = "Violent crime"
    violence.save()
    row = _between(_checklist(_page(police, demo)), community.label, "</tr>")
    assert "Violent crime" in row and "From the residents panel." in row
    coverage.chapters.remove(violence)
    row = _between(_checklist(_page(police, demo)), community.label, "</tr>")
    assert "Not covered yet" in row


def test_the_checklist_stays_with_the_members(police, demo):
    set_status(demo, Assessment.Status.PUBLISHED)
    demo.refresh_from_db()
    assert "Statutory checklist" in _page(police, demo)
    # Signed in, so not served the public copy, but no member of this partnership.
    outsider = _signed_in(UserFactory())
    assert "Statutory checklist" not in _page(outsider, demo)
    assert "Statutory checklist" in _page(police, demo)


def test_purposes_show_at_once(police, demo):
    purpose = demo.purposes.filter(addressed=True).first()
    assert purpose.label in _page(police, demo)
    purpose.label = "Reducing reoffending by young adults"
    purpose.save()
    assert "Reducing reoffending by young adults" in _page(police, demo)
    purpose.addressed = False
    purpose.save()
    assert "Reducing reoffending by young adults" not in _page(police, demo)
