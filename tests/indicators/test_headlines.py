"""Headline figures from the data, the `headlines` command, and cover wording checked against it."""

import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from assessments.core.models import User
from assessments.indicators.headlines import cover_headlines
from assessments.indicators.models import Headline, Observation

pytestmark = pytest.mark.django_db


def headlines_json(*args) -> dict:
    out = io.StringIO()
    call_command("headlines", *args, json=True, stdout=out)
    return {figure["indicator"]: figure for figure in json.loads(out.getvalue())}


def test_the_command_reproduces_the_reference_headline_figures(demo):
    figures = headlines_json("safermk", "2017")
    assert (figures["all-crime"]["change"], figures["all-crime"]["change_unit"]) == (4.8, "%")
    assert figures["all-crime"]["direction"] == "increase"
    assert figures["all-crime"]["is_good"] is False
    assert figures["hate-crime"]["change"] == -5.1
    assert figures["drug-offences"]["change"] == -6.8
    assert figures["cannabis-possession"]["share"] == 53
    assert figures["cannabis-possession"]["share_of"] == "drug-offences"
    reoffending = figures["juvenile-reoffending-rate"]
    assert (reoffending["change"], reoffending["change_unit"]) == (-0.9, "percentage points")
    assert reoffending["is_good"] is True
    fire = figures["fire-incidents"]
    assert (fire["comparison_period"], fire["current_period"], fire["change"]) == (
        "2015",
        "2016",
        7.0,
    )
    domestic = figures["domestic-abuse"]
    assert domestic["baseline"] and domestic["change"] is None and domestic["comparison"] is None
    assert figures["violence-against-the-person"]["caveat"]


def test_the_command_prints_statements_and_refuses_an_unknown_assessment(demo):
    out = io.StringIO()
    call_command("headlines", "safermk", "2017", stdout=out)
    assert (
        "Crime: Increase in All Crime of 4.8% (Thames Valley: +3.9%; England and Wales: +5.5%)."
        in out.getvalue()
    )
    with pytest.raises(Exception, match="No assessment 2030"):
        call_command("headlines", "safermk", "2030")


def test_cover_wording_that_no_longer_matches_the_data_is_flagged(client, demo):
    assert not any(item.is_flagged for item in cover_headlines(demo))
    headline = Headline.objects.get(assessment=demo, text__startswith="Hate Crime")
    headline.text = "Hate Crime reduced by 6.2%."
    headline.save()
    flagged = [item for item in cover_headlines(demo) if item.is_flagged]
    assert [(item.headline, item.mismatches) for item in flagged] == [(headline, ["6.2"])]

    client.force_login(User.objects.get(username="analyst"))
    admin_page = client.get(reverse("admin:assessments_headline_changelist")).content.decode()
    assert "Does not match the data: 6.2." in admin_page
    page = client.get(demo.get_absolute_url()).content.decode()
    assert "Check: 6.2 no longer matches the data" in page


def test_changed_data_flags_wording_that_was_right(demo):
    hate = Observation.objects.filter(indicator__code="hate-crime", period_start__year=2017)
    hate.filter(period_start__month=1).update(value=200)
    flagged = {item.headline.text: item.mismatches for item in cover_headlines(demo)}
    assert flagged["Hate Crime reduced by 5.1%."] == ["5.1"]


def test_partners_do_not_see_the_analysts_flags(client, demo):
    Headline.objects.filter(text__startswith="Hate Crime").update(text="Hate Crime fell 9.9%.")
    client.force_login(User.objects.get(username="police"))
    page = client.get(demo.get_absolute_url()).content.decode()
    assert "Hate Crime fell 9.9%." in page and "no longer matches" not in page
