"""Charts: accessible self-contained SVG, the same figures as a table and CSV, suppression."""

import csv
import io
import re
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from assessments.core.models import User
from assessments.indicators.charts import (
    Chart,
    Point,
    Series,
    chart_csv,
    index_ticks,
    nice_ticks,
)
from assessments.indicators.suppression import suppress, suppress_list
from assessments.reporting.documents import report_html
from tests.factories import set_status


def chart(kind="line", **kwargs):
    points = [Point("2015/16", 10, "10"), Point("2016/17", None, "no data"),
              Point("2017/18", 14, "14")]  # fmt: skip
    defaults = dict(kind=kind, title="Burglary <by year>", description="Burglary rose.",
                    unit="offences", points=points, source="Police", period="Testville",
                    licence="Open Government Licence v3.0", slug="c1")  # fmt: skip
    return Chart(**(defaults | kwargs))


@pytest.mark.parametrize("kind", ["line", "bar"])
def test_an_svg_chart_is_accessible_and_self_contained(kind):
    svg = chart(kind).svg()
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert 'aria-labelledby="c1-title c1-desc"' in svg
    assert '<title id="c1-title">Burglary &lt;by year&gt;</title>' in svg
    assert '<desc id="c1-desc">Burglary rose.</desc>' in svg
    assert "Liberation Sans" in svg and "Arial" in svg
    assert not re.search(r"(href|src|url\(|@import|<script)", svg)


QUARTERS = [Point(f"Q{n} 20{n:02d}", n, str(n)) for n in range(1, 13)]
PLACES = [Point(name, value, str(value)) for name, value in
          [("Milton Keynes (this area)", 85), ("Wokingham", -4), ("Slough", 111)]]  # fmt: skip


@pytest.mark.parametrize(
    ("kind", "extra"),
    [
        ("line", {"points": QUARTERS}),
        ("bar", {}),
        ("ranked", {"points": PLACES}),
        ("lines", {"series": [Series("Testville", QUARTERS), Series("England", QUARTERS)]}),
    ],
)
def test_the_phones_drawing_is_narrow_with_ids_of_its_own_and_lettering_unshrunk(kind, extra):
    """Drawn 320 units wide, it shows at least at its size in a phone's 345-pixel column, so
    no letter is under 12 pixels; a page holding both drawings has no id twice."""
    wide, narrow = chart(kind, **extra).svg(), chart(kind, **extra).narrow_svg()
    assert 'viewBox="0 0 640 ' in wide and 'viewBox="0 0 320 ' in narrow
    assert 'aria-labelledby="c1-320-title c1-320-desc"' in narrow
    ids = re.findall(r' id="([^"]+)"', wide + narrow)
    assert len(ids) == len(set(ids)) == 4
    assert min(int(size) for size in re.findall(r'font-size="(\d+)"', narrow)) >= 12
    xs = [float(x) for x in re.findall(r'<text x="(-?[\d.]+)"', narrow)]
    assert min(xs) >= 0 and max(xs) <= 320


def test_the_phones_trend_labels_every_few_quarters_counted_back_from_the_latest():
    narrow = chart("line", points=QUARTERS).narrow_svg()
    labels = [p.label for p in QUARTERS if f">{p.label}<" in narrow]
    assert labels[-1] == "Q12 2012" and 3 <= len(labels) < len(QUARTERS)
    assert all(f">{p.label}<" in chart("line", points=QUARTERS).svg() for p in QUARTERS)


def test_the_phones_bars_have_their_labels_above_them_at_the_left_edge():
    narrow = chart("ranked", points=PLACES).narrow_svg()
    first_label = '<text x="0.0" y="26.0" text-anchor="start" font-size="13" font-weight="normal"'
    assert f'{first_label} fill="#0b0c0c">Milton Keynes (this area)</text>' in narrow


def test_a_line_chart_leaves_a_gap_where_there_is_no_data():
    svg = chart("line").svg()
    assert svg.count("<circle") == 2
    assert "<polyline" not in svg  # no two neighbouring values to join


def test_a_bar_chart_writes_hidden_values_instead_of_drawing_them():
    points = [Point("North", 3, "fewer than 5", hidden=True), Point("South", 40, "40")]
    svg = chart("bar", points=points).svg()
    assert svg.count("<rect") == 2  # the background and one bar
    assert "fewer than 5" in svg and ">40<" in svg


def test_axis_ticks_are_round_and_cover_the_maximum():
    assert nice_ticks(22480) == [0, 5000, 10000, 15000, 20000, 25000]
    assert nice_ticks(7)[-1] >= 7


def test_the_csv_carries_the_figures_and_attribution_and_no_formulas():
    points = [Point("=HYPERLINK(1)", 12, "12"), Point("South", 3, "fewer than 5", hidden=True)]
    rows = list(csv.reader(io.StringIO(chart_csv(chart(points=points)))))
    assert rows[0] == ["Period", "Offences"]
    assert rows[1] == ["'=HYPERLINK(1)", "12"]
    assert rows[2] == ["South", "fewer than 5"]
    assert rows[-1] == ["Attribution", "Source: Police. Testville. Contains public sector "
                        "information licensed under the Open Government Licence v3.0."]  # fmt: skip


def shown(table):
    return [[cell.display(table.threshold) for cell in row] for row in table.cells]


def test_small_counts_are_suppressed_and_totals_cannot_reveal_them(settings):
    settings.SUPPRESSION_THRESHOLD = 5
    table = suppress_list([3, 20, 8, 0])
    assert shown(table) == [["fewer than 5"], ["20"], ["withheld"], ["0"]]
    assert table.column_totals[0].value == 31 and not table.column_totals[0].hidden


def test_secondary_suppression_works_across_rows_and_columns():
    table = suppress([[2, 10, 12], [9, 30, 7], [11, 6, 40]], limit=5)
    hidden = [[cell.hidden for cell in row] for row in table.cells]
    for line in hidden + [list(column) for column in zip(*hidden, strict=True)]:
        assert sum(line) != 1  # no line has a single hidden cell a total would give away
    assert table.cells[0][0].reason == "small"


def test_a_single_hidden_cell_with_nothing_else_to_hide_hides_the_total():
    table = suppress_list([3, 0], limit=5)
    assert table.column_totals[0].hidden


def test_the_threshold_is_configurable(settings):
    settings.SUPPRESSION_THRESHOLD = 10
    table = suppress_list([7, 7, 30])
    assert shown(table)[0] == ["fewer than 10"]


@pytest.mark.django_db
def test_the_chapter_page_shows_charts_with_tables_and_csv_links(client, demo):
    client.force_login(User.objects.get(username="police"))
    page = client.get(reverse("chapter", args=["safermk", 2017, "violence"])).content.decode()
    assert page.count('<svg xmlns="http://www.w3.org/2000/svg"') >= 3
    assert "Possession of weapons (police.uk) by estate, 2016/17" in page
    assert "fewer than 5" in page  # small estate counts are suppressed on public pages
    assert "Open Government Licence v3.0" in page
    assert "as a table" in page and "<caption" in page
    csv_url = reverse("chapter_chart_csv", args=["safermk", 2017, "violence", 1])
    assert csv_url in page
    download = client.get(csv_url)
    assert download["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(download.content.decode())))
    assert rows[0] == ["Quarter starting", "Offences"]
    assert sum(Decimal(value) for _, value in rows[1:5]) == 6120  # 2015/16 from its quarters


def test_an_edition_frozen_without_the_phones_drawing_scrolls_its_chart_in_a_named_box():
    frozen = {"title": "Burglary", "svg": chart("bar").svg()}  # as editions froze it before
    html = render_to_string("assessments/includes/chart_image.html", {"chart": frozen})
    assert 'role="region" aria-label="Chart: Burglary" tabindex="0"' in html
    assert html.count("<svg") == 1
    printed = render_to_string(
        "assessments/includes/chart_image.html", {"chart": chart("bar"), "is_print": True}
    )
    assert printed.count("<svg") == 1 and "region" not in printed


@pytest.mark.slow(reason="builds the demo's whole report as HTML: 3-6 s")
@pytest.mark.django_db
def test_the_pdf_prints_the_wide_drawing_alone_where_the_site_has_the_phones_too(client, demo):
    client.force_login(User.objects.get(username="police"))
    page = client.get(reverse("chapter", args=["safermk", 2017, "crime"])).content.decode()
    assert page.count("app-chart-figure__image--narrow") == page.count("--wide") > 0
    pdf_html = report_html(assessment=demo, variant="public", appendices=[])
    assert "--narrow" not in pdf_html and 'viewBox="0 0 320' not in pdf_html
    assert pdf_html.count('viewBox="0 0 640') == 1  # the priority matrix; charts are images


@pytest.mark.django_db
def test_chart_csvs_follow_the_chapter_permissions(client, demo, outsider):
    url = reverse("chapter_chart_csv", args=["safermk", 2017, "crime", 1])
    assert client.get(url).status_code == 302  # not published: sign in first
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.force_login(User.objects.get(username="police"))
    assert (
        client.get(reverse("chapter_chart_csv", args=["safermk", 2017, "crime", 99])).status_code
        == 404
    )
    set_status(demo, "published")
    client.logout()
    # The working copy's figures stay with the members; the public download the edition's.
    assert client.get(url).status_code == 302
    edition_csv = client.get(reverse("edition_chart_csv", args=["safermk", 2017, 1, "crime", 1]))
    assert edition_csv.status_code == 200
    member = Client()
    member.force_login(User.objects.get(username="police"))
    assert edition_csv.content.decode() == member.get(url).content.decode()


def test_an_index_axis_spans_the_values_around_100_not_from_zero():
    assert index_ticks(100, 105.5) == [100, 102, 104, 106]
    assert index_ticks(94.2, 103.1)[0] == 92.5 and index_ticks(94.2, 103.1)[-1] >= 103.1
