"""The chair records the board's decision on the board meeting page (issue 33), not in the
admin: the meeting's date and minutes reference, the themes agreed from the ranking and each
recommendation's outcome; approval freezes it into the edition."""

from __future__ import annotations

import pytest
from django.urls import reverse

from assessments.core.models import Recommendation, User
from assessments.publication.models import BoardDecision
from assessments.reporting.editions import approved_edition, edition_document
from tests.factories import set_status

pytestmark = pytest.mark.django_db

URL = reverse("board_meeting", args=["safermk", 2017])


def signed_in(client, username):
    client.force_login(User.objects.get(username=username))
    return client


def decision_data(demo, **changes):
    violence = demo.chapters.get(slug="violence").recommendations.order_by("order")
    data = {
        "met_on": "2017-10-12",
        "minutes_reference": "SMK/2017/10 item 4",
        "notes": "The board thanked the analyst.",
        f"outcome_{violence[0].pk}": "adopted",
        f"outcome_{violence[1].pk}": "rejected",
    }
    return data | changes


def test_the_chair_records_the_decision_and_the_recommendations_move_on(client, demo):
    signed_in(client, "chair")
    page = client.get(URL).content.decode()
    assert "Record the board's decision" in page and 'name="minutes_reference"' in page
    response = client.post(URL, decision_data(demo))
    assert response.status_code == 302, response.content.decode()[:3000]
    decision = BoardDecision.objects.get(assessment=demo)
    assert decision.minutes_reference == "SMK/2017/10 item 4"
    assert decision.recorded_by.username == "chair"
    adopted, rejected, noted = demo.chapters.get(slug="violence").recommendations.order_by("order")
    statuses = Recommendation.objects.in_bulk([adopted.pk, rejected.pk, noted.pk])
    assert [statuses[r.pk].status for r in (adopted, rejected, noted)] == [
        "accepted",
        "dropped",
        "proposed",
    ]
    page = client.get(URL).content.decode()
    assert (
        "considered the assessment on 12 October 2017 (minutes reference SMK/2017/10 item 4)"
        in page
    )
    assert "Change the board's decision" in page


def test_themes_below_the_top_of_the_ranking_need_the_boards_reason(client, demo):
    from assessments.priorities.selectors import priority_matrix  # noqa: PLC0415

    rows = [row for row in priority_matrix(demo).rows if row.combined is not None]
    lowest = rows[-1].chapter.theme
    signed_in(client, "chair")
    page = client.post(URL, decision_data(demo, agreed_themes=[lowest.pk])).content.decode()
    assert "These are not the top of the ranking: say why the board chose them." in page
    assert not BoardDecision.objects.exists()
    data = decision_data(demo, agreed_themes=[lowest.pk], ranking_departure="A rising trend.")
    assert client.post(URL, data).status_code == 302
    assert BoardDecision.objects.get().priority_list == [lowest.name]
    # Chosen again, the priorities written out from the themes follow the new choice.
    top = rows[0].chapter.theme
    data |= {"agreed_themes": [top.pk], "priorities": f"{lowest.name}\r\n"}
    assert client.post(URL, data).status_code == 302
    assert BoardDecision.objects.get().priority_list == [top.name]


@pytest.mark.parametrize("username", ["police", "fire"])
def test_partners_cannot_record_it(client, demo, username):
    signed_in(client, username)
    assert "Record the board's decision" not in client.get(URL).content.decode()
    assert client.post(URL, decision_data(demo)).status_code == 404
    assert not BoardDecision.objects.exists()


def test_once_approved_the_decision_is_the_editions_and_the_form_is_gone(client, demo):
    signed_in(client, "chair")
    assert client.post(URL, decision_data(demo)).status_code == 302
    set_status(demo, "approved")
    page = client.get(URL).content.decode()
    assert "Record the board's decision" not in page and "Change the board's decision" not in page
    assert client.post(URL, decision_data(demo, minutes_reference="Changed")).status_code == 404
    assert BoardDecision.objects.get().minutes_reference == "SMK/2017/10 item 4"
    frozen = edition_document(approved_edition(demo))["board_decision"]
    assert (frozen["met_on"], frozen["minutes_reference"]) == (
        "12 October 2017",
        "SMK/2017/10 item 4",
    )


def test_someone_signed_out_is_sent_to_sign_in(client, demo):
    response = client.post(URL, decision_data(demo))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert not BoardDecision.objects.exists()
