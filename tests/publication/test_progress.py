"""Progress against last year's priorities (issue 32): each priority's indicators, latest
against previous with the change, and "Not comparable" with what a period lacks where the
periods are not both complete. The PDF's part is read back in
tests/reporting/test_pdf_document.py."""

import datetime as dt
import html
import re

import pytest
from django.test import Client

from assessments.core.models import User
from assessments.publication.models import BoardDecision
from assessments.publication.services.progress import progress_data

from ..factories import AssessmentFactory

pytestmark = pytest.mark.django_db


def _rows(figures: list[dict]) -> list[tuple]:
    return [
        (f["indicator"]["name"], f["comparison"], f["current"], f["change_in_words"], f["gaps"])
        for f in figures
    ]


def test_each_priority_lists_every_indicator_of_its_theme_with_its_change(demo):
    priorities = {item["priority"]: item for item in progress_data(demo)["progress"]["priorities"]}
    violence = priorities["Reducing the number of violent incidences"]
    assert _rows(violence["figures"]) == [
        ("Violence against the Person", 6120, 6905, "+12.8%", []),
        ("Sexual Offences", 402, 486, "+20.9%", []),
        # 2015/16 lacks a quarter: no percentage change (it would read +25.0%).
        ("Possession of weapons (police.uk)", 48, 60, "Not comparable",
         ["2015/16 lacks January to March", "2016/17 lacks March"]),
    ]  # fmt: skip
    drugs = priorities["Tackling and enforcing substance misuse"]
    assert [row[3] for row in _rows(drugs["figures"])] == ["−6.8%", "−6.9%"]  # minus signs
    # A priority linked to no theme has no figures, only its sentence.
    fear = priorities["Enhance community engagement to reduce fear of crime"]
    assert fear["figures"] == [] and fear["movement"] == "No figure on it in this assessment yet."


def test_the_assessment_page_shows_how_each_agreed_prioritys_indicators_moved(demo):
    last_year = AssessmentFactory(partnership=demo.partnership, year=demo.year - 1)
    decision = BoardDecision.objects.create(assessment=last_year, met_on=dt.date(2016, 10, 1))
    decision.agreed_themes.set([demo.chapters.get(slug="violence").theme])
    client = Client()
    client.force_login(User.objects.get(username="police"))
    page = client.get(demo.get_absolute_url()).content.decode()
    section = page[page.index('id="last-year-priorities"') :].split("</section>")[0]
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", section)).split())
    assert "Violence Indicator Previous Latest Change" in text
    assert "Violence against the Person 6,120 2015/16 6,905 2016/17 +12.8%" in text
    assert "Sexual Offences 402 2015/16 486 2016/17 +20.9%" in text
    weapons = text[text.index("Possession of weapons (police.uk)") :]
    assert "48 2015/16 60 2016/17" in weapons
    assert "Not comparable 2015/16 lacks January to March 2016/17 lacks March" in weapons
    assert "+25.0%" not in text
