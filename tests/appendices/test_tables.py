"""The two appendices built from observations, their CSV download and the access log."""

import csv
import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.html import escape
from openpyxl import load_workbook

from assessments.appendices.models import Appendix, AppendixAccess
from assessments.appendices.permissions import grant_appendix, revoke_appendix
from assessments.core.periods import Period
from assessments.indicators.models import Geography
from assessments.indicators.selectors import indicator_totals_by_geography

from ..factories import (
    AppendixFactory,
    AssessmentFactory,
    GeographyFactory,
    IndicatorFactory,
    ObservationFactory,
)

pytestmark = pytest.mark.django_db

THIS_YEAR = Period.financial_year(2016)
LAST_YEAR = Period.financial_year(2015)


@pytest.fixture
def places(partnership):
    area = GeographyFactory(partnership=partnership, name="Testville", population=200_000)
    estate = GeographyFactory(
        partnership=partnership, level="estate", name="Fishermead", parent=area, population=4_000
    )
    quiet = GeographyFactory(
        partnership=partnership, level="estate", name="Quietside", parent=area, population=None
    )

    def lsoa(name, parent):
        return GeographyFactory(partnership=partnership, level="lsoa", name=name, parent=parent)

    return {
        "area": area,
        "fishermead": estate,
        "quietside": quiet,
        "lsoa_a": lsoa("Testville 001A", estate),
        "lsoa_b": lsoa("Testville 001B", estate),
        "lsoa_q": lsoa("Testville 002A", quiet),
    }


@pytest.fixture
def burglary(partnership):
    return IndicatorFactory(partnership=partnership, code="police-uk-burglary", name="Burglary")


def observe(indicator, place, month: dt.date, value, period_type="m"):
    return ObservationFactory(
        indicator=indicator,
        geography=place,
        period_start=month,
        period_type=period_type,
        value=value,
    )


def test_lsoa_counts_add_up_to_their_estate_and_to_the_area(places, burglary):
    observe(burglary, places["lsoa_a"], dt.date(2016, 4, 1), 3)
    observe(burglary, places["lsoa_a"], dt.date(2017, 3, 1), 4)
    observe(burglary, places["lsoa_b"], dt.date(2016, 9, 1), 2)
    observe(burglary, places["lsoa_q"], dt.date(2016, 9, 1), 1)
    observe(burglary, places["lsoa_a"], dt.date(2017, 4, 1), 50)  # the next year: left out
    by_estate = indicator_totals_by_geography([burglary], "estate", THIS_YEAR)
    assert by_estate == {burglary.pk: {places["fishermead"].pk: 9, places["quietside"].pk: 1}}
    by_area = indicator_totals_by_geography([burglary], "area", THIS_YEAR)
    assert by_area == {burglary.pk: {places["area"].pk: 10}}


def test_a_year_stored_whole_is_not_added_to_its_months(places, burglary):
    observe(burglary, places["fishermead"], THIS_YEAR.start, 40, period_type="fy")
    observe(burglary, places["fishermead"], dt.date(2016, 5, 1), 7)
    totals = indicator_totals_by_geography([burglary], "estate", THIS_YEAR)
    assert totals == {burglary.pk: {places["fishermead"].pk: 40}}


@pytest.fixture
def estate_appendix(partnership, places, burglary):
    assessment = AssessmentFactory(partnership=partnership, status="consultation")
    appendix = AppendixFactory(
        assessment=assessment,
        kind=Appendix.Kind.ESTATE,
        slug="by-estate",
        current_period_start=THIS_YEAR.start,
        comparison_period_start=LAST_YEAR.start,
    )
    appendix.indicators.add(burglary)
    # Whole years (a small number: shown), so that the two compare.
    observe(burglary, places["lsoa_a"], THIS_YEAR.start, 2, period_type="fy")
    observe(burglary, places["lsoa_a"], LAST_YEAR.start, 4, period_type="fy")
    observe(burglary, places["lsoa_q"], dt.date(2016, 6, 1), 1)
    return appendix


def test_the_estate_appendix_shows_counts_changes_and_rates_without_suppression(
    analyst_client, estate_appendix
):
    response = analyst_client.get(estate_appendix.get_absolute_url())
    assert response.status_code == 200
    rows = _table_rows(response.content.decode())
    assert rows == [
        ["Fishermead", "2", "4", "−50.0%", "0.5"],
        ["Quietside", "1", "no data", "–", "not known"],
    ]
    assert "fewer than 5" not in response.content.decode()


def test_an_estate_whose_year_lacks_months_shows_no_change(
    analyst_client, estate_appendix, places, burglary
):
    """Quietside has June 2016 and, now, June 2015 alone: 1 against 3 is no fall of 66.7%."""
    observe(burglary, places["lsoa_q"], dt.date(2015, 6, 1), 3)
    rows = _table_rows(analyst_client.get(estate_appendix.get_absolute_url()).content.decode())
    assert rows[1] == ["Quietside", "1", "3", "Not comparable", "not known"]
    assert rows[0][3] == "−50.0%"  # Fishermead's whole years still compare


def test_the_appendix_page_carries_the_partnerships_marking_above_and_below(
    analyst_client, estate_appendix
):
    def banners() -> list[str]:
        html = analyst_client.get(estate_appendix.get_absolute_url()).content.decode()
        return re.findall(r'<div class="app-restricted-banner[^"]*">([^<]*)</div>', html)

    assert banners() == ["OFFICIAL-SENSITIVE", "OFFICIAL-SENSITIVE"]
    partnership = estate_appendix.assessment.partnership
    partnership.restricted_marking = "OFFICIAL-SENSITIVE PERSONAL"
    partnership.save()
    assert banners() == ["OFFICIAL-SENSITIVE PERSONAL", "OFFICIAL-SENSITIVE PERSONAL"]


def _table_rows(html: str) -> list[list[str]]:
    from html.parser import HTMLParser

    class Cells(HTMLParser):
        def __init__(self):
            super().__init__()
            self.rows, self.cell, self.in_body = [], None, False

        def handle_starttag(self, tag, attrs):
            if tag == "tbody":
                self.in_body = True
            elif tag == "tr" and self.in_body:
                self.rows.append([])
            elif tag in ("th", "td") and self.in_body:
                self.cell = ""

        def handle_endtag(self, tag):
            if tag in ("th", "td") and self.cell is not None:
                self.rows[-1].append(self.cell.strip())
                self.cell = None
            elif tag == "tbody":
                self.in_body = False

        def handle_data(self, data):
            if self.cell is not None:
                self.cell += data

    parser = Cells()
    parser.feed(html)
    return parser.rows


def test_the_crime_category_appendix_has_a_rate_per_thousand_residents(
    analyst_client, partnership, places, burglary
):
    assessment = AssessmentFactory(partnership=partnership, status="consultation")
    appendix = AppendixFactory(
        assessment=assessment,
        kind=Appendix.Kind.CRIME_CATEGORY,
        current_period_start=THIS_YEAR.start,
        comparison_period_start=LAST_YEAR.start,
    )
    theft = IndicatorFactory(partnership=partnership, name="Theft Offences")
    appendix.indicators.add(burglary, theft)
    observe(theft, places["area"], THIS_YEAR.start, 1000, period_type="fy")
    observe(theft, places["area"], LAST_YEAR.start, 800, period_type="fy")
    observe(burglary, places["lsoa_b"], dt.date(2016, 4, 1), 30)
    rows = _table_rows(analyst_client.get(appendix.get_absolute_url()).content.decode())
    assert rows == [
        ["Theft Offences", "1,000", "800", "+25.0%", "5.0"],
        ["Burglary", "30", "no data", "–", "0.2"],
    ]


def test_the_csv_has_every_figure_and_neutralises_formulas(
    client, estate_appendix, police_partner, police_org, places
):
    places["fishermead"].name = '=HYPERLINK("http://evil.example")'
    places["fishermead"].save()
    grant_appendix(estate_appendix, organisation=police_org)
    client.force_login(police_partner)
    response = client.get(_csv_url(estate_appendix))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    # The partnership's marking, OFFICIAL-SENSITIVE unless it sets another.
    assert rows[0] == [f"OFFICIAL-SENSITIVE: {estate_appendix.title}"]
    assert rows[2][:5] == ["Burglary", "'=HYPERLINK(\"http://evil.example\")", rows[2][2],
                           "2016/17", "2"]  # fmt: skip
    assert rows[2][5:] == ["2015/16", "4", "-50.0", "0.5"]
    assert rows[3][1:2] == ["Quietside"] and rows[3][6:] == ["", "", ""]


def _csv_url(appendix, name="appendix_csv"):
    a = appendix.assessment
    return reverse(name, args=[a.partnership.slug, a.year, appendix.slug])


def test_each_download_is_a_personal_copy_named_in_the_file_and_the_log(
    client, estate_appendix, police_partner, police_org, places
):
    grant_appendix(estate_appendix, organisation=police_org)
    partnership = estate_appendix.assessment.partnership
    partnership.restricted_marking = "OFFICIAL-SENSITIVE PERSONAL"
    partnership.save()
    client.force_login(police_partner)
    issued_to = f"Issued to {police_partner.get_full_name()}, {police_org.name}"
    csv_response = client.get(_csv_url(estate_appendix))
    xlsx_response = client.get(_csv_url(estate_appendix, "appendix_xlsx"))
    log = list(AppendixAccess.objects.order_by("pk"))
    assert [a.route for a in log] == ["csv", "xlsx"]
    csv_id, xlsx_id = (a.copy_id for a in log)
    assert csv_id and xlsx_id and csv_id != xlsx_id
    # The CSV: the copy in its name and on its last line, a comment after the figures.
    assert f"-police-{csv_id}.csv" in csv_response["Content-Disposition"]
    last = csv_response.content.decode().splitlines()[-1]
    assert last.startswith(f"# {issued_to}") and csv_id in last
    assert last.endswith("OFFICIAL-SENSITIVE PERSONAL. Copy " + csv_id + ".")
    # The XLSX: a header block above the figures, and the copy id in its properties.
    assert f"-police-{xlsx_id}.xlsx" in xlsx_response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(xlsx_response.content))
    header = [row[0] for row in workbook.active.iter_rows(max_row=2, values_only=True)]
    assert header[0] == f"OFFICIAL-SENSITIVE PERSONAL: {estate_appendix.title}"
    assert header[1].startswith(issued_to) and xlsx_id in header[1]
    assert workbook.properties.identifier == xlsx_id
    figures = list(workbook.active.iter_rows(min_row=4, values_only=True))
    assert figures[0][0] == "indicator" and len(figures) > 1


def test_every_view_and_download_is_logged_and_shown_to_the_analyst(
    client, estate_appendix, police_partner, police_org, analyst, fire_partner
):
    grant_appendix(estate_appendix, organisation=police_org)
    client.force_login(police_partner)
    client.get(estate_appendix.get_absolute_url())
    client.get(_csv_url(estate_appendix))
    client.force_login(fire_partner)
    assert client.get(_csv_url(estate_appendix)).status_code == 404  # refused: not logged
    log = list(AppendixAccess.objects.order_by("pk"))
    assert [(a.username, a.route, a.appendix_id) for a in log] == [
        ("police", "page", estate_appendix.pk),
        ("police", "csv", estate_appendix.pk),
    ]
    assert log[1].path == _csv_url(estate_appendix)
    client.force_login(analyst)
    page = client.get(reverse("admin:assessments_appendixaccess_changelist")).content.decode()
    assert page.count(estate_appendix.title) >= 2 and "CSV download" in page
    assert escape(f"{police_partner} ({police_org})") in page


def test_revocation_closes_the_page_and_the_download_at_once(
    client, estate_appendix, police_partner, police_org
):
    grant_appendix(estate_appendix, organisation=police_org)
    client.force_login(police_partner)
    assert client.get(estate_appendix.get_absolute_url()).status_code == 200
    assert client.get(_csv_url(estate_appendix)).status_code == 200
    revoke_appendix(estate_appendix, organisation=police_org)
    assert client.get(estate_appendix.get_absolute_url()).status_code == 404
    response = client.get(_csv_url(estate_appendix))
    assert response.status_code == 404
    assert estate_appendix.title not in response.content.decode()


def test_the_demo_appendices_are_filled(demo):
    from assessments.appendices.services import appendix_content

    category = appendix_content(demo.appendices.get(slug="crime-category"))
    rows = {row.indicator.name: row for row in category.rows}
    total = sum(row.current for row in category.rows)
    assert total == 22480  # the categories add up to All Crime in 2016/17
    assert rows["Violence against the Person"].current > rows["Theft Offences"].current
    assert rows["Violence against the Person"].rate == Decimal("26.1")

    estate = appendix_content(demo.appendices.get(slug="estate"))
    asb = [r for r in estate.rows if r.indicator.name == "Anti-social behaviour (police.uk)"]
    highest_rates = sorted(asb, key=lambda r: -r.rate)[:3]
    assert {r.geography.name for r in highest_rates} == {
        "Fishermead",
        "Netherfield",
        "Conniburrow",
    }
    violence = next(
        t for t in estate.tables if t.rows[0].indicator.code.endswith("sexual-offences")
    )
    assert violence.rows[0].geography.name == "Central Milton Keynes"
    fishermead = Geography.objects.filter(level="lsoa", parent__name="Fishermead")
    assert fishermead.filter(code__startswith="E01016").count() == 3


@pytest.mark.parametrize(
    "current,comparison,message",
    [
        ("2016-05-01", "", "A financial year starts on 1 April"),
        ("2016-04-01", "2016-04-01", "The comparison must come before the current period."),
        ("", "2015-04-01", "Choose the current period to compare with."),
    ],
)
def test_admin_refuses_impossible_periods_and_saves_nothing(
    analyst_client, partnership, current, comparison, message
):
    appendix = AppendixFactory(assessment=AssessmentFactory(partnership=partnership))
    form = {
        "assessment": appendix.assessment_id,
        "order": 1,
        "title": "Changed title",
        "slug": appendix.slug,
        "kind": "estate",
        "period_type": "fy",
        "current_period_start": current,
        "comparison_period_start": comparison,
    }
    url = reverse("admin:assessments_appendix_change", args=[appendix.pk])
    response = analyst_client.post(url, form)
    assert response.status_code == 200
    assert message in response.content.decode()
    appendix.refresh_from_db()
    assert appendix.title != "Changed title" and appendix.current_period_start is None
