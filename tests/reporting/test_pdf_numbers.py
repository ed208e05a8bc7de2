"""Numbers, sources and words in the demo's public PDF, read back out of the file (pypdf): no
change between periods that cannot be compared, every source with its licence, every
abbreviation of the narratives in the glossary, numbers in GOV.UK style."""

import io
import re

import pytest
from pypdf import PdfReader

from assessments.core.glossary import NEEDS_NO_EXPANSION, abbreviations_in
from assessments.core.periods import Period
from assessments.indicators.headlines import headline_figures
from assessments.reporting.documents import render_report

from ..worlds import kept_for_the_module

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.xdist_group("pdf_numbers"),
    pytest.mark.slow(reason="renders the demo's public PDF once for the module: 20 s"),
]


def _read(assessment) -> dict:
    _, rendered = render_report(assessment=assessment, variant="public", appendices=[], copy=None)
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(rendered.content)).pages]
    figures = {figure.indicator.name: figure for figure in headline_figures(assessment)}
    texts = [assessment.introduction]
    for chapter in assessment.chapters.all():
        texts += [chapter.summary, chapter.narrative]
        texts += [r.text for r in chapter.recommendations.all()]
    return {"pages": pages, "figures": figures, "narratives": texts}


@pytest.fixture(scope="module")
def public(demo_snapshot, django_db_blocker):
    yield from kept_for_the_module(django_db_blocker, lambda: _read(demo_snapshot.put_in()))


def _flat(text: str) -> str:
    return " ".join(text.split())


def _section(public, heading: str) -> str:
    """The text of one part of the report: from the line that heads it, after the contents, to
    the line that heads the next part (parts follow on, so a page may hold the end of one and
    the start of the next)."""
    lines = "\n".join(public["pages"][2:]).splitlines()
    parts = [line.strip() for line in "\n".join(public["pages"][1:2]).splitlines()]
    titles = [line.rstrip(" .0123456789") for line in parts if "..." in line]
    assert heading in titles, f"no part is called {heading}"
    following = titles[titles.index(heading) + 1 :]
    start = next((i for i, line in enumerate(lines) if line.strip() == heading), None)
    assert start is not None, f"no line heads {heading}"
    end = next(
        (i for i in range(start + 1, len(lines)) if lines[i].strip() in following[:1]),
        len(lines),
    )
    return _flat(" ".join(lines[start:end]))


def test_the_weapons_figure_shows_no_change_while_2015_16_lacks_a_quarter(public):
    weapons = public["figures"]["Possession of weapons (police.uk)"]
    # The demo's police.uk data has no weapons offence in January to March 2016.
    assert "2015/16 lacks January to March" in weapons.lacks
    assert (weapons.comparison, weapons.current) == (48, 60)  # +25.0% if compared
    text = _section(public, "Violence")
    start = text.index("Possession of weapons (police.uk) police.uk street-level crime")
    row = text[start : text.index(" lacks ", start)]
    assert "48 2015/16 60 2016/17" in row  # the figures, then the change column
    assert row.endswith("Not comparable 2015/16") and "%" not in row
    assert "+25.0%" not in " ".join(public["pages"])


def test_police_uk_figures_say_they_are_not_the_measure_of_record(public):
    text = _flat(" ".join(public["pages"]))
    # All crime: Home Office 22,480 against police.uk 10,803 in the Crime chapter; weapons 60.
    assert text.count("it is not the measure of record") >= 2
    assert "Home Office police recorded crime is, and counts more" in text


def test_every_source_is_credited_with_its_licence_and_its_own_publisher(public):
    sources = _section(public, "Data sources and licences")
    assert "Not stated" not in sources
    assert sources.count("Open Government Licence v3.0") >= 5
    assert "Shared under the SaferMK information sharing agreement" in sources
    # The England and Wales series is the Home Office's, not Thames Valley Police's.
    text = _flat(" ".join(public["pages"]))
    assert "recorded crime (Thames Valley Police)" not in text


def test_every_abbreviation_of_the_narratives_is_in_the_glossary(public):
    glossary = _section(public, "Glossary")
    used = set().union(*(abbreviations_in(text) for text in public["narratives"]))
    assert {"BFRS", "MARAC", "FGM"} <= used
    undefined = sorted(a for a in used - NEEDS_NO_EXPANSION if f" {a} " not in f" {glossary} ")
    assert undefined == []
    for term in ("County lines", "Cuckooing", "BFRS", "MARAC"):
        assert term in glossary


def test_numbers_are_in_govuk_style(public):
    text = " ".join(public["pages"])
    assert not re.search(r"\d %", text)  # no space before the per cent sign
    assert not re.search(r"\d per cent", text)  # "%", not "per cent" mixed in
    assert not re.search(r"(?<![\w/])-\d[\d,.]*%", text)  # a minus sign, not a hyphen
    assert "−9.7%" in text  # robbery, in the Crime chapter's key figures
    assert Period.financial_year(2015).label in text
