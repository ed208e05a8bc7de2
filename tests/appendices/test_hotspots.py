"""Issue 34: the restricted appendix "Hotspots by neighbourhood", from real police.uk months and the
real Milton Keynes boundaries. For every chapter with a hotspot map, in chapter order, partners
granted the appendix see the LSOA map with every count (none hidden as "fewer than 5"), the
map of the grid's squares and the hotspot analysis as tables; nobody else sees any of it, on the
site, in its downloads, in the edition or in a restricted PDF."""

from __future__ import annotations

import csv
import datetime as dt
import io
import lzma
import re
from pathlib import Path
from xml.etree import ElementTree

import pytest
from django.urls import reverse
from pypdf import PdfReader

from assessments.appendices.models import Appendix
from assessments.appendices.permissions import grant_appendix
from assessments.core.models import Role
from assessments.core.personal_copy import personal_copy
from assessments.indicators.models import ChapterMap
from assessments.reporting.documents import render_report, report_appendices

from ..factories import (
    AppendixFactory,
    AssessmentFactory,
    ChapterFactory,
    OrganisationFactory,
    member,
)
from ..real_data import hotspot_counts as hotspots
from ..real_data import import_real_months, load_real_boundaries
from ..worlds import kept_for_the_module

pytestmark = [pytest.mark.django_db]

DATA = Path(__file__).resolve().parent.parent / "data"
SVG = "{http://www.w3.org/2000/svg}"
MONTHS = ("2018-12", "2024-02", "2024-03")
TITLE = "Appendix C: Hotspots by neighbourhood"
BURGLARY_GRID = "Burglary by 250-metre square, March 2024"
BURGLARY_LSOA = "Burglary by neighbourhood (LSOA), March 2024, every count shown"


def _world(folder: Path) -> dict:
    assessment = AssessmentFactory(
        partnership__slug="safermk", partnership__area_name="Elsewhere", status="consultation"
    )
    partnership = assessment.partnership
    import_real_months(partnership, folder, MONTHS)
    load_real_boundaries(partnership, 2021)
    # In chapter order: violence (whose periods are of two LSOA vintages), a chapter without a
    # map, then burglary, March 2024 against February.
    violence = ChapterFactory(assessment=assessment, order=1, slug="violence", title="Violence")
    ChapterMap.objects.create(
        chapter=violence, crime_types=["Violence and sexual offences"],
        first_month=dt.date(2021, 7, 1), last_month=dt.date(2024, 2, 1),
    )  # fmt: skip
    ChapterFactory(assessment=assessment, order=2, slug="drugs", title="Drugs")
    burglary = ChapterFactory(assessment=assessment, order=3, slug="burglary", title="Burglary")
    ChapterMap.objects.create(
        chapter=burglary, crime_types=["Burglary"],
        first_month=dt.date(2024, 3, 1), last_month=dt.date(2024, 3, 1),
    )  # fmt: skip
    police = OrganisationFactory(name="Thames Valley Police", kind="police")
    fire = OrganisationFactory(name="Fire and Rescue", kind="fire")
    police.partnerships.add(partnership)
    fire.partnerships.add(partnership)
    appendix = AppendixFactory(
        assessment=assessment, order=3, slug="hotspots", title=TITLE,
        kind=Appendix.Kind.HOTSPOTS, narrative="Where crime concentrates.",
    )  # fmt: skip
    grant_appendix(appendix, organisation=police)
    # The fire service may print a restricted copy, of another appendix only.
    estates = AppendixFactory(assessment=assessment, order=2, title="Appendix B: Estates")
    grant_appendix(estates, organisation=fire)
    other = AssessmentFactory(partnership__slug="elsewhere")
    return {
        "assessment": assessment,
        "appendix": appendix,
        "burglary": burglary,
        "police": member(partnership, Role.PARTNER, username="police", organisation=police),
        "fire": member(partnership, Role.PARTNER, username="fire", organisation=fire),
        "other_analyst": member(other.partnership, Role.ANALYST, username="other"),
    }


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    folder = tmp_path_factory.mktemp("hotspots-appendix")
    yield from kept_for_the_module(django_db_blocker, lambda: _world(folder))


def placed_burglaries_in_march_2024() -> int:
    """The file's own count: Milton Keynes burglaries of March 2024 with a location."""
    text = lzma.decompress(
        (DATA / "police-uk" / "2024-03-thames-valley-street.csv.xz").read_bytes()
    )
    rows = csv.DictReader(io.StringIO(text.decode()))
    return sum(
        1
        for row in rows
        if row["Crime type"] == "Burglary"
        and row["LSOA name"].startswith("Milton Keynes")
        and row["Longitude"]
    )


def drawings(html: str) -> list[ElementTree.Element]:
    """The page's wide drawings of maps, in order."""
    found = re.findall(
        r'<div class="app-chart-figure__image[^"]*--wide">\s*(<svg.*?</svg>)', html, re.S
    )
    return [ElementTree.fromstring(svg) for svg in found]


def _page(client, world, who: str):
    client.force_login(world[who])
    return client.get(world["appendix"].get_absolute_url())


def _csv_url(world, slug: str) -> str:
    assessment = world["assessment"]
    return reverse(
        "appendix_map_csv",
        args=[assessment.partnership.slug, assessment.year, world["appendix"].slug, slug],
    )


def test_a_granted_partner_sees_each_chapters_maps_with_every_count(client, world):
    page = _page(client, world, "police")
    assert page.status_code == 200
    html = page.content.decode()
    # Chapters with a map, in chapter order; the chapter without one is not there.
    assert html.index('<h2 class="govuk-heading-l" id="violence">') < html.index(
        '<h2 class="govuk-heading-l" id="burglary">'
    )
    assert 'id="drugs"' not in html
    maps = {svg.find(f"{SVG}title").text: svg for svg in drawings(html)}
    lsoas, grid = maps[BURGLARY_LSOA], maps[BURGLARY_GRID]
    # Every LSOA with its true count, small ones too: nothing is "fewer than 5".
    counts = hotspots("2024-03", "2024-03", ["Burglary"])
    shown = {p.get("data-code"): p.get("data-count") for p in lsoas.iter(f"{SVG}path")}
    shown.pop(None, None)
    assert len(shown) == 166
    assert {code: int(count) for code, count in shown.items()} == {
        code: counts.get(code, 0) for code in shown
    }
    assert any(0 < counts.get(code, 0) < 5 for code in shown)
    assert "fewer than 5" not in ElementTree.tostring(lsoas, encoding="unicode").lower()
    # The grid: one square per 250 m cell with a burglary, adding up to the file's placed rows.
    squares = [r for r in grid.iter(f"{SVG}rect") if r.get("data-cell")]
    assert len(squares) > 20
    assert sum(int(r.get("data-count")) for r in squares) == placed_burglaries_in_march_2024()
    assert "Download the figures for “Burglary by 250-metre square, March 2024” (CSV)" in html
    # The analysis as tables, the top area first with its true count.
    top_code, top_count = max(counts.items(), key=lambda item: item[1])
    for caption in (
        "Burglary: the 10 areas with most crimes, March 2024",
        "Burglary: the 10 areas with the highest rate per 1,000 residents, March 2024",
        "Persistent hotspots",
        "Emerging hotspots",
        "Declining hotspots",
    ):
        assert caption in html
    assert re.search(rf"\({top_code}\)</th>\s*<td[^>]*>{top_count}</td>", html)
    assert re.search(r"[\d.]+% of the [\d,]+ crimes in March 2024 were in the top 10% of", html)
    # Periods of two LSOA vintages: said in words, not a failure.
    assert "hotspots compare periods of one LSOA vintage only" in html


def test_the_map_csv_is_the_granted_partners_own_copy(client, world):
    client.force_login(world["police"])
    response = client.get(_csv_url(world, "burglary-grid"))
    assert response.status_code == 200
    body = response.content.decode()
    lines = list(csv.reader(io.StringIO(body)))
    assert lines[0] == [f"OFFICIAL-SENSITIVE: {TITLE}"]
    assert lines[1][:2] == [
        "Square (south-west corner, British National Grid metres)",
        "Number of crimes",
    ]
    assert sum(int(line[1]) for line in lines[2:] if line and line[0][:1].isdigit()) == (
        placed_burglaries_in_march_2024()
    )
    assert body.rstrip().splitlines()[-1].startswith("# Issued to")
    assert "attachment" in response["Content-Disposition"]


@pytest.mark.parametrize("who", ["fire", "other_analyst"])
def test_a_partner_not_granted_gets_404_for_the_page_and_its_csv(client, world, who):
    assert _page(client, world, who).status_code == 404
    for slug in ("burglary-grid", "burglary-lsoa", "violence-grid"):
        response = client.get(_csv_url(world, slug))
        assert response.status_code == 404
        assert b"data-cell" not in response.content


def test_no_chapter_page_draws_the_grid(client, world):
    client.force_login(world["police"])
    html = client.get(world["burglary"].get_absolute_url()).content.decode()
    assert "data-cell" not in html and BURGLARY_GRID not in html


def test_the_edition_freezes_the_appendix_maps(world):
    from assessments.publication.services.editions import edition_freeze
    from assessments.reporting.models import EditionAppendix

    edition = edition_freeze(world["assessment"], by=None)
    frozen = EditionAppendix.objects.get(edition=edition, appendix=world["appendix"])
    assert "data-cell" in frozen.content and BURGLARY_GRID in frozen.content
    assert "one LSOA vintage only" in frozen.content


def _restricted_pdf_text(world, who: str) -> str:
    user, assessment = world[who], world["assessment"]
    appendices = report_appendices(user=user, assessment=assessment, variant="restricted")
    _, rendered = render_report(
        assessment=assessment, variant="restricted", appendices=appendices,
        copy=personal_copy(user, marking=assessment.partnership.restricted_marking),
    )  # fmt: skip
    pages = PdfReader(io.BytesIO(rendered.content)).pages
    return " ".join(" ".join(page.extract_text().split()) for page in pages)


@pytest.mark.slow(reason="renders two restricted PDFs with maps")
def test_the_restricted_pdf_carries_the_maps_for_the_granted_only(world):
    granted = _restricted_pdf_text(world, "police")
    assert TITLE in granted
    assert BURGLARY_GRID in granted and BURGLARY_LSOA in granted
    assert "Persistent hotspots" in granted
    ungranted = _restricted_pdf_text(world, "fire")
    assert "Appendix B: Estates" in ungranted
    assert TITLE not in ungranted
    assert BURGLARY_GRID not in ungranted and BURGLARY_LSOA not in ungranted
    assert "Persistent hotspots" not in ungranted
