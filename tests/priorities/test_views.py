"""The scoring and results pages over HTTP: who scores for which organisation and when, one
theme a page, who sees which scores and when the ranking shows, overrides, chasing and the CSV."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from assessments.consultation.models import ChaseReminder
from assessments.core.models import Chapter
from assessments.priorities.models import OrganisationScore, ScoreOverride

from ..factories import member, set_status

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    """A client of its own per person: the conftest's *_client fixtures share one."""
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def police(police_partner):
    return signed_in(police_partner)


@pytest.fixture
def fire_c(fire_partner):
    return signed_in(fire_partner)


@pytest.fixture
def analyst_c(analyst):
    return signed_in(analyst)


def url(name, assessment, *more):
    return reverse(name, args=[assessment.partnership.slug, assessment.year, *more])


def theme_url(world, theme):
    return url("priorities_score_theme", world["assessment"], world[theme].slug)


def field(world, theme, criterion, kind="score"):
    return f"{kind}-{world[theme].pk}-{world[criterion].pk}"


def score(client, world, *answers):
    """Send each theme's answers from its own page, as "Save and next" does; the last response."""
    by_theme: dict[str, dict] = {}
    for theme, criterion, value, comment in answers:
        data = by_theme.setdefault(theme, {})
        data[field(world, theme, criterion)] = value
        data[field(world, theme, criterion, "comment")] = comment
    for theme, data in by_theme.items():
        response = client.post(theme_url(world, theme), data)
    return response


def test_a_partner_scores_for_their_own_organisation_only(
    police, police_partner, fire_partner, matrix_world
):
    page = police.get(url("priorities_score", matrix_world["assessment"]))
    assert page.status_code == 200
    assert "Score the themes for Test Police" in page.content.decode()
    html = police.get(theme_url(matrix_world, "violence")).content.decode()
    assert "<legend" in html and 'type="radio"' in html
    assert "4: Severe or lasting harm" in html  # the level described beside its radio
    response = score(
        police,
        matrix_world,
        ("violence", "Harm to victims", "4", "Knife crime is rising."),
        ("burglary", "Harm to victims", "2", ""),
    )
    assert response.status_code == 302
    rows = OrganisationScore.objects.order_by("chapter__order")
    assert [(r.organisation, r.score, r.comment) for r in rows] == [
        (police_partner.organisation, 4, "Knife crime is rising."),
        (police_partner.organisation, 2, ""),
    ]
    assert not OrganisationScore.objects.filter(organisation=fire_partner.organisation).exists()
    # Back on the theme's page, the scores given are checked.
    again = police.get(theme_url(matrix_world, "violence")).content.decode()
    assert 'value="4" checked' in again and "Knife crime is rising." in again


def test_one_theme_a_page_save_and_next_goes_on_and_says_how_far_the_organisation_has_got(
    police, matrix_world
):
    assessment = matrix_world["assessment"]
    overview = police.get(url("priorities_score", assessment)).content.decode()
    assert "0 of 2 themes scored" in overview
    assert overview.count("Not scored</strong>") == 2
    assert f'href="{theme_url(matrix_world, "violence")}"' in overview  # start with the first
    page = police.get(theme_url(matrix_world, "violence")).content.decode()
    assert "Theme 1 of 2" in page and "Save and next" in page
    assert field(matrix_world, "burglary", "Volume") not in page  # the other theme: its own page

    response = score(police, matrix_world, ("violence", "Harm to victims", "3", ""))
    assert response["Location"] == theme_url(matrix_world, "burglary")
    followed = police.get(response["Location"]).content.decode()
    assert "Violence saved: 1 of 2 themes scored" in followed
    assert "Theme 2 of 2" in followed and "Save and finish" in followed

    # After the last theme, back to the list, every theme scored.
    response = score(police, matrix_world, ("burglary", "Community concern", "2", ""))
    assert response["Location"] == url("priorities_score", assessment)
    overview = police.get(response["Location"]).content.decode()
    assert "Burglary saved: 2 of 2 themes scored" in overview
    assert "2 of 2 themes scored" in overview and "Not scored</strong>" not in overview
    assert "Scored (1 of 5 criteria)" in overview and "See the ranking" in overview


def test_a_theme_page_shows_what_the_data_proposes_beside_volume_and_trend(police, matrix_world):
    page = police.get(theme_url(matrix_world, "violence")).content.decode()
    hints = dict(re.findall(r'id="id_score-\d+-(\d+)-hint">(.*?)</div>', page, re.S))
    volume, trend = hints[str(matrix_world["Volume"].pk)], hints[str(matrix_world["Trend"].pk)]
    assert "The data proposes 3 from Violence offences, 2016/17: 1,200" in volume
    assert "The data proposes 4 from Violence offences, 2016/17 against 2015/16: +20" in trend
    assert "The data proposes" not in hints[str(matrix_world["Harm to victims"].pk)]


def test_a_chapter_that_is_not_a_theme_has_no_scoring_page(police, matrix_world):
    Chapter.objects.filter(pk=matrix_world["burglary"].pk).update(kind=Chapter.Kind.CONTEXT)
    assert police.get(theme_url(matrix_world, "burglary")).status_code == 404
    overview = police.get(url("priorities_score", matrix_world["assessment"])).content.decode()
    assert "0 of 1 theme scored" in overview and "Burglary" not in overview


def test_scoring_is_refused_once_consultation_has_closed(police, matrix_world):
    assessment = matrix_world["assessment"]
    assessment.status = "approved"
    assessment.save()
    page = police.get(url("priorities_score", assessment))
    assert page.status_code == 200
    assert (
        "Scoring has closed" in page.content.decode()
        and 'type="radio"' not in page.content.decode()
    )
    theme_page = police.get(theme_url(matrix_world, "violence")).content.decode()
    assert "Scoring has closed" in theme_page and 'type="radio"' not in theme_page
    response = score(police, matrix_world, ("violence", "Volume", "2", ""))
    assert response.status_code == 403 and "Scoring has closed" in response.content.decode()
    assert not OrganisationScore.objects.exists()


def test_once_closed_the_list_shows_the_scores_the_organisation_gave(police, matrix_world):
    score(police, matrix_world, ("violence", "Harm to victims", "4", "Knives."))
    set_status(matrix_world["assessment"], "approved")
    page = police.get(url("priorities_score", matrix_world["assessment"])).content.decode()
    assert "Harm to victims: 4 (“Knives.”)" in page and "Volume: Not scored" in page


def test_others_cannot_reach_the_scoring_page(analyst, matrix_world, other_analyst):
    assessment = matrix_world["assessment"]
    client = Client()
    assert client.get(url("priorities_score", assessment)).status_code == 302  # sign in
    client.force_login(analyst)
    assert client.get(url("priorities_score", assessment)).status_code == 404
    client.force_login(other_analyst)
    assert client.get(url("priorities_score", assessment)).status_code == 404
    assert client.get(url("priorities", assessment)).status_code == 404


def test_the_analyst_sees_every_organisations_score_the_spread_and_the_silent(
    police, analyst_c, matrix_world, fire_partner
):
    score(police, matrix_world, ("burglary", "Harm to victims", "4", "Repeat victims."))
    page = analyst_c.get(url("priorities", matrix_world["assessment"])).content.decode()
    assert "Themes ranked by combined score" in page
    assert "Test Police: 4" in page and "Repeat victims." in page
    not_scored = page[page.index('id="not-scored"') : page.index('id="disagreement"')]
    assert "Test Fire" in not_scored and "Test Police" not in not_scored
    assert matrix_world["assessment"].priority_criteria.first().name in page


def test_a_partner_sees_the_ranking_once_their_organisation_has_scored_every_theme(
    police, fire_c, matrix_world
):
    assessment = matrix_world["assessment"]
    score(police, matrix_world, ("burglary", "Harm to victims", "4", "Repeat victims."))
    page = police.get(url("priorities", assessment)).content.decode()
    assert "Themes ranked by combined score" not in page and 'id="ranking"' not in page
    assert "The ranking is shown once your organisation has scored every theme" in page
    assert "1 of 2 themes scored so far" in page
    assert f'href="{url("priorities_score", assessment)}"' in page
    assert "Harm to victims" in page  # the criteria stay: they say what scoring asks
    assert police.get(url("priorities_matrix_csv", assessment)).status_code == 404

    score(police, matrix_world, ("violence", "Community concern", "2", ""))
    page = police.get(url("priorities", assessment)).content.decode()
    assert "Themes ranked by combined score" in page and "ranking-hidden" not in page
    assert police.get(url("priorities_matrix_csv", assessment)).status_code == 200
    # Still no other organisation's scores for a partner; fire has not scored, so no ranking.
    assert "Repeat victims." not in page and "Test Police: 4" not in page
    assert (
        "Themes ranked by combined score"
        not in fire_c.get(url("priorities", assessment)).content.decode()
    )


def test_the_ranking_shows_to_every_member_once_the_consultation_has_closed(fire_c, matrix_world):
    assessment = matrix_world["assessment"]
    assessment.consultation_closes_on = dt.date(2000, 1, 1)
    assessment.save(update_fields=["consultation_closes_on"])
    page = fire_c.get(url("priorities", assessment)).content.decode()
    assert "Themes ranked by combined score" in page and "ranking-hidden" not in page


@pytest.mark.parametrize("who", ["analyst", "chair"])
def test_the_analyst_and_chair_always_see_the_ranking(request, who, matrix_world):
    client = signed_in(request.getfixturevalue(who))
    assert (
        "Themes ranked by combined score"
        in client.get(url("priorities", matrix_world["assessment"])).content.decode()
    )


def test_the_cover_paper_leaves_the_ranking_out_for_a_partner_still_scoring(police, matrix_world):
    cover = url("cover_paper", matrix_world["assessment"])
    page = police.get(cover).content.decode()
    assert "Themes ranked by combined score" not in page and "ranking-hidden" in page
    score(
        police,
        matrix_world,
        ("violence", "Community concern", "2", ""),
        ("burglary", "Community concern", "2", ""),
    )
    assert "Themes ranked by combined score" in police.get(cover).content.decode()


def test_the_public_sees_the_ranking_only_as_the_published_edition_holds_it(client, matrix_world):
    assessment = matrix_world["assessment"]
    assert client.get(url("priorities", assessment)).status_code == 302
    assert client.get(url("priorities_matrix_csv", assessment)).status_code == 302
    set_status(assessment, "published")
    # The working ranking stays a working paper after publication ...
    assert client.get(url("priorities", assessment)).status_code == 302
    assert client.get(url("priorities_matrix_csv", assessment)).status_code == 302
    # ... the public read the ranking the board approved, on the published assessment's page.
    html = client.get(assessment.get_absolute_url()).content.decode()
    assert "Themes ranked by combined score" in html and "Priority matrix" in html
    assert "The scores behind the ranking" not in html


def test_the_analyst_overrides_with_a_reason(analyst_c, analyst, matrix_world):
    data = {
        "chapter": matrix_world["burglary"].pk,
        "criterion": matrix_world["Trend"].pk,
        "score": "4",
        "reason": "",
    }
    analyst_c.post(url("priorities_override", matrix_world["assessment"]), data)
    assert not ScoreOverride.objects.exists()
    data["reason"] = "A spike since April."
    analyst_c.post(url("priorities_override", matrix_world["assessment"]), data)
    override = ScoreOverride.objects.get()
    assert (override.score, override.by, override.reason) == (4, analyst, "A spike since April.")
    page = analyst_c.get(url("priorities", matrix_world["assessment"])).content.decode()
    assert "Analyst's override by" in page and "A spike since April." in page


def test_partners_cannot_override(police, matrix_world):
    data = {"chapter": matrix_world["burglary"].pk, "criterion": matrix_world["Trend"].pk,
            "score": "4", "reason": "Mine"}  # fmt: skip
    response = police.post(url("priorities_override", matrix_world["assessment"]), data)
    assert response.status_code == 404 and not ScoreOverride.objects.exists()


def test_the_analyst_chases_those_that_have_not_scored(
    police, analyst_c, matrix_world, fire_partner
):
    score(police, matrix_world, ("violence", "Volume", "3", ""))
    response = analyst_c.post(url("priorities_chase", matrix_world["assessment"]))
    assert response.status_code == 302
    assert [r.organisation for r in ChaseReminder.objects.all()] == [fire_partner.organisation]


def test_a_reminder_to_score_asks_for_scores_and_does_not_use_up_the_days_comment_reminder(
    police, analyst_c, matrix_world, fire_partner, django_capture_on_commit_callbacks
):
    assessment = matrix_world["assessment"]
    score(police, matrix_world, ("violence", "Volume", "3", ""))
    with django_capture_on_commit_callbacks(execute=True):
        analyst_c.post(url("priorities_chase", assessment))
    to_fire = [m for m in mail.outbox if fire_partner.email in m.to]
    assert len(to_fire) == 1
    assert to_fire[0].subject.startswith("Your scores please")
    assert url("priorities_score", assessment) in to_fire[0].body
    assert "comment on anything" not in to_fire[0].body

    # The consultation's own reminder the same day is another matter, and still goes.
    with django_capture_on_commit_callbacks(execute=True):
        analyst_c.post(reverse("chase_silent", args=[assessment.partnership.slug, assessment.year]))
    to_fire = [m for m in mail.outbox if fire_partner.email in m.to]
    assert [m.subject.split(":")[0] for m in to_fire] == [
        "Your scores please",
        "Your comments please",
    ]


def test_the_matrix_csv_has_every_theme_with_its_axis_scores(analyst_c, matrix_world):
    response = analyst_c.get(url("priorities_matrix_csv", matrix_world["assessment"]))
    lines = response.content.decode().splitlines()
    assert lines[0] == "Mark,Rank,Theme,Volume,Harm to victims,Combined score"
    assert lines[1] == "1,1,Violence,3,,3.50"
    assert lines[2] == "2,2,Burglary,1,,1.00"


def test_a_member_whose_organisation_is_not_the_partnerships_cannot_score(
    police, police_partner, matrix_world
):
    assessment = matrix_world["assessment"]
    assessment.partnership.organisations.remove(police_partner.organisation)
    assert police.get(url("priorities_score", assessment)).status_code == 404
    response = score(police, matrix_world, ("violence", "Volume", "3", ""))
    assert response.status_code == 404
    assert not OrganisationScore.objects.exists()


# Issue 29, finding 8: a scoring page opened before a colleague scored changes only the answers
# its own user changed.


def _form_as_shown(page) -> dict:
    """Every field of the scoring form with the value the page showed (checked radios, text
    boxes, hidden fields), as a browser would send it untouched."""
    html = page.content.decode()
    data = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))
    data |= dict(re.findall(r'<input[^>]*name="(score-[^"]+)"[^>]*value="(\d)"[^>]*checked', html))
    data |= {
        name: text.strip()
        for name, text in re.findall(r'<textarea name="(comment-[^"]+)"[^>]*>(.*?)</textarea>',
                                     html, re.S)
    }  # fmt: skip
    data.pop("csrfmiddlewaretoken", None)
    return data


def test_a_page_opened_before_a_colleague_scored_keeps_the_colleagues_scores(
    client, police_partner, partnership, police_org, matrix_world
):
    colleague = member(partnership, "partner", username="colleague", organisation=police_org)
    stale = signed_in(police_partner).get(theme_url(matrix_world, "violence"))
    colleagues = [
        (theme, criterion, "3", f"{theme} {criterion}")
        for theme in ("violence", "burglary")
        for criterion in ("Harm to victims", "Community concern")
    ]
    assert score(signed_in(colleague), matrix_world, *colleagues).status_code == 302

    data = _form_as_shown(stale) | {field(matrix_world, "violence", "Harm to victims"): "4"}
    signed_in(police_partner).post(theme_url(matrix_world, "violence"), data)

    given = {
        (row.chapter.title, row.criterion.name): row.score
        for row in OrganisationScore.objects.filter(organisation=police_org)
    }
    assert given == {
        ("Violence", "Harm to victims"): 4,
        ("Violence", "Community concern"): 3,
        ("Burglary", "Harm to victims"): 3,
        ("Burglary", "Community concern"): 3,
    }


def test_clearing_an_answer_the_page_showed_still_withdraws_it(police, matrix_world):
    assert score(police, matrix_world, ("violence", "Harm to victims", "4", "")).status_code == 302
    data = _form_as_shown(police.get(theme_url(matrix_world, "violence")))
    data.pop(field(matrix_world, "violence", "Harm to victims"))
    police.post(theme_url(matrix_world, "violence"), data)
    assert not OrganisationScore.objects.exists()
