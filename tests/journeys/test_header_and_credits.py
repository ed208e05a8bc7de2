"""One consistent header: the service's name once, the same black bar on every page; and each
police.uk chart credits the Open Government Licence once."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from assessments.indicators.police_uk import SOURCE

from .demo_states import signed_in

pytestmark = pytest.mark.django_db

HEADER = re.compile(r"<header.*?</section>", re.S)
BLACK_BAR = re.compile(r'class="govuk-generic-header__homepage-link">([^<]*)<')


def header_of(client, url) -> str:
    return HEADER.search(client.get(url).content.decode()).group(0)


def pages(demo) -> list[str]:
    args = [demo.partnership.slug, demo.year]
    return [reverse("home"), reverse("assessment", args=args), reverse("dashboard", args=args)]


def test_the_service_name_appears_once_in_the_header(client, demo):
    client = signed_in(client, "analyst")
    for url in pages(demo):
        assert header_of(client, url).count("Strategic Assessments") == 1, url


def test_the_black_bar_says_the_same_on_every_page(client, demo):
    client = signed_in(client, "analyst")
    bars = {BLACK_BAR.search(header_of(client, url)).group(1) for url in pages(demo)}
    assert len(bars) == 1, bars


def test_the_partnership_is_named_in_the_header_of_its_pages(client, demo):
    client = signed_in(client, "analyst")
    assert demo.partnership.name in header_of(client, pages(demo)[1])


def test_each_police_uk_chart_credits_the_licence_once(client, demo):
    client = signed_in(client, "analyst")
    checked = 0
    for chapter in demo.chapters.all():
        body = client.get(chapter.get_absolute_url()).content.decode()
        for figure in re.findall(r"<figure.*?</figure>", body, re.S):
            if SOURCE in figure:
                checked += 1
                assert figure.count("Open Government Licence") == 1, chapter.title
    assert checked, "the demo has police.uk charts"
