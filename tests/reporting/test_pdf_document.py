"""What a reader finds in the demo assessment's PDF, read back out of the file (pypdf, pikepdf).

The three documents are rendered once for the module: the public variant, the restricted variant
for `police` (granted both appendices) and for `fire` (granted here the crime-category appendix
only, never the estate one).
"""

import html
import io
import json
import re
import subprocess
from collections import Counter
from functools import cache
from typing import NamedTuple

import pdfplumber
import pikepdf
import pytest
from django.core.management import call_command
from pypdf import PdfReader

from assessments.appendices.permissions import grant_appendix
from assessments.appendices.services import appendix_content
from assessments.core.models import Organisation, User
from assessments.core.personal_copy import personal_copy
from assessments.demo.load import demo_load
from assessments.indicators.chapter_charts import chapter_charts
from assessments.indicators.headlines import approved_headlines, headline_figures
from assessments.indicators.selectors import chapters_for_report, partnership_area
from assessments.publication.services.cover_paper import cover_paper_html
from assessments.reporting.documents import (
    STYLESHEET,
    render_pdf,
    render_report,
    report_appendices,
)
from assessments.reporting.static_files import static_text

from ..worlds import kept_for_the_module


def _text(element) -> str:
    return " ".join(element.split())


@cache
def _pages(content: bytes) -> tuple[str, ...]:
    """Each page's text; read once per document, as the tests ask for the same few (3-6 s each)."""
    return tuple(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def _render(assessment, variant, username=None):
    user = User.objects.get(username=username) if username else None
    appendices = report_appendices(user=user, assessment=assessment, variant=variant)
    copy = personal_copy(user, copy_id=f"copy-of-{username}") if user else None
    _, rendered = render_report(
        assessment=assessment, variant=variant, appendices=appendices, copy=copy
    )
    return rendered.content


# Rendering takes seconds, so the module renders the documents once, and its tests read the same
# bytes. One group, so that a parallel run hands all of them to one process (--dist loadgroup).
pytestmark = [
    pytest.mark.xdist_group("pdf_document"),
    pytest.mark.slow(reason="four documents rendered and read before the first test: a minute"),
]


@pytest.fixture(scope="module")
def demo_report(demo_snapshot, django_db_blocker):
    yield from kept_for_the_module(django_db_blocker, lambda: _render_demo(demo_snapshot.put_in()))


@pytest.fixture(scope="module", autouse=True)
def _documents_read(demo_report):
    """Each document's text and the last lines of its pages, read once for the module's tests
    (pypdf and pdfplumber take seconds a document); _pages and _lines keep them."""
    for document in ("public", "police", "fire", "cover"):
        _pages(demo_report[document])
    for document in ("public", "police", "cover"):
        _lines(demo_report[document])
    for document in ("public", "police"):
        _words(demo_report[document])


def _render_demo(assessment) -> dict:
    fire = Organisation.objects.get(short_name="BFRS")
    grant_appendix(assessment.appendices.get(slug="crime-category"), organisation=fire)
    area = partnership_area(assessment.partnership_id)
    return {
        "closes_on": f"{assessment.consultation_closes_on:%-d %B %Y}",
        "headlines": approved_headlines(assessment),
        "charts": [
            chart.title
            for chapter in chapters_for_report(assessment)
            for chart in chapter_charts(chapter, area)
        ],
        "chapters": [c.title for c in assessment.chapters.order_by("order")],
        "chapter_slugs": [c.slug for c in assessment.chapters.order_by("order")],
        "recommendations": [
            r.text for c in assessment.chapters.all() for r in c.recommendations.all()
        ],
        "statements": [figure.statement() for figure in headline_figures(assessment)],
        "appendices": {a.slug: (a.title, a.summary) for a in assessment.appendices.all()},
        # What the appendix pages show, by the same roll-ups: (caption, the rows' names).
        "appendix_tables": [
            (table.caption, [_row_name(table, row) for row in table.rows])
            for appendix in assessment.appendices.all()
            # Appendix C (hotspots by neighbourhood) has maps, not these tables.
            for table in getattr(appendix_content(appendix), "tables", [])
        ],
        "ranking": _ranking(),
        "public": _render(assessment, "public"),
        "cover": render_pdf(
            cover_paper_html(assessment=assessment, variant="public", appendices=[])
        ).content,
        "police": _render(assessment, "restricted", "police"),
        "fire": _render(assessment, "restricted", "fire"),
    }


def _ranking() -> list[dict]:
    out = io.StringIO()
    call_command("priorities", "safermk", "2017", json=True, stdout=out)
    return json.loads(out.getvalue())


def _row_name(table, row) -> str:
    return row.geography.name if table.by_place else row.indicator.name


def test_the_cover_names_the_partnership_title_year_and_status_with_its_date(demo_report):
    cover = _text(_pages(demo_report["public"])[0])
    assert "SaferMK Partnership" in cover
    assert "Strategic Assessment 2017" in cover
    # The line under the title says what the document is rather than repeat the title.
    assert "Strategic assessment for 2017" not in cover
    assert "The evidence behind the partnership's priorities" in cover
    # The one status line of the assessment's pages, with its date.
    assert f"In consultation until {demo_report['closes_on']}" in cover
    assert "Alex Morgan" in cover and "Telephone 01632 960418" in cover
    assert "Issued to" not in cover  # the public variant names nobody


def _contents(pages: list[str]) -> dict[str, int]:
    """Title → page number, from the contents page's dotted leaders."""
    entries = re.findall(r"^(.+?)\s*\.{3,}\s*(\d+)\s*$", pages[1], re.MULTILINE)
    return {title.strip(): int(number) for title, number in entries}


@cache
def _outline(content: bytes) -> dict[str, int]:
    """Title → page number of each part's heading, from the PDF's outline (bookmarks), which
    WeasyPrint makes from the headings where they were laid out."""
    reader = PdfReader(io.BytesIO(content))
    return {
        item.title: reader.get_destination_page_number(item) + 1
        for item in reader.outline
        if not isinstance(item, list)
    }


FRONT_MATTER = [
    "Executive summary",
    "Introduction",
    "How this assessment was produced",
    "Priorities and statutory responsibilities",
    "Area profile",
    "Progress against last year's priorities",
    "Horizon scanning",
    "Gaps in knowledge",
    "Headline summary",
]
BACK_MATTER = [
    "Setting priorities",
    "All recommendations",
    "Statutory checklist",
    "Data sources and licences",
    "Glossary",
]
CHART_TABLES = "The charts' figures as tables"


def test_the_contents_lists_every_part_with_the_page_it_starts_on(demo_report):
    pages = _pages(demo_report["public"])
    contents = _contents(pages)
    assert list(contents) == [
        *FRONT_MATTER, *demo_report["chapters"], *BACK_MATTER, CHART_TABLES
    ]  # fmt: skip
    outline = _outline(demo_report["public"])
    for title, number in contents.items():
        assert outline[title] == number, title
        assert title in _text(pages[number - 1]), title
    # The front matter and the back matter each start a page; every other part follows on.
    first_pages = [contents[FRONT_MATTER[0]], contents[BACK_MATTER[0]]]
    for number in first_pages:
        assert _first_line(demo_report["public"], number) in contents, number


def test_the_headline_summary_is_the_analysts_wording_and_never_the_machines(demo_report):
    pages = _pages(demo_report["public"])
    start = _contents(pages)["Headline summary"]
    summary = _text(" ".join(pages[start - 1 : start + 1]))
    text = _text(" ".join(pages))
    assert len(demo_report["headlines"]) == 8
    for headline in demo_report["headlines"]:
        assert _text(headline) in summary
    assert len(demo_report["statements"]) > 10
    for statement in demo_report["statements"]:
        assert statement not in text
    assert "Decrease in Possession of Cannabis of 6.9%" not in text


def test_every_recommendation_is_in_its_chapter_and_in_the_summary_table(demo_report):
    pages = _pages(demo_report["public"])
    contents = _contents(pages)
    table_start = contents["All recommendations"]
    chapters = _text(" ".join(pages[contents[demo_report["chapters"][0]] - 1 : table_start - 1]))
    table = _text(" ".join(pages[table_start - 1 : contents["Statutory checklist"]]))
    for recommendation in demo_report["recommendations"]:
        assert _text(recommendation) in _unbroken(chapters)
        assert _text(recommendation) in _unbroken(table)


def _unbroken(text: str) -> str:
    """Words broken at their hyphen by a line end ("victim- based") made whole again."""
    return re.sub(r"(?<=\w)- (?=\w)", "-", text)


def test_the_front_and_back_matter_say_what_the_reader_needs(demo_report):
    text = _text(" ".join(_pages(demo_report["public"])))
    # The analyst's introduction, drawn from section 4 of the 2017 cover paper.
    assert "statutory obligation" in text or "Crime and Disorder Act 1998" in text
    assert "Partners consulted" in text and "Buckinghamshire Fire and Rescue Service" in text
    assert "Recording practice" in text
    assert "Reducing the number of violent incidences" in text  # a partnership priority
    assert "Anti-Social Behaviour" in text  # a statutory responsibility
    assert "SI 2007/1830" in text and "Levels and patterns of crime" in text
    assert "Open Government Licence" in text
    for term in ("LSOA", "ASB", "CSEW", "Baseline year", "Per 1,000 residents"):
        assert term in text


def test_the_front_matter_has_the_sections_a_board_and_an_inspector_expect(demo_report):
    text = _text(" ".join(_pages(demo_report["public"])))
    for heading in (
        "Executive summary",
        "Area profile",
        "Progress against",
        "Horizon scanning",
        "Gaps in knowledge",
    ):
        assert heading in text
    # The executive summary: the analyst's words, the proposed priorities with their scores
    # (the matrix's ranking), the main risks of the horizon scan.
    pages = _pages(demo_report["public"])
    summary = _text(pages[_contents(pages)["Executive summary"] - 1])
    assert "Recorded crime in Milton Keynes rose by 4.8%" in summary
    top = demo_report["ranking"][0]
    assert f"1 {top['theme']} {top['combined_score']:.2f}" in summary
    assert "Main risks" in summary and "Economic: Further reductions" in summary
    assert "Political: A new Police and Crime Plan" not in summary  # not marked a main risk
    # The area profile: the population estimate and the indicators marked as profile.
    assert "Resident population (mid-year estimate) 264,500 residents 2016" in text
    assert "LSOAs among the 20% most deprived in England (2015 index)" in text
    # Progress: the plan's priorities, with how their themes' indicators moved (the test below).
    assert "Reducing the number of violent incidences Indicator Previous Latest Change" in text
    # The horizon scan, all seven PESTELO headings, and the analyst's gaps in knowledge.
    for factor in ("Political", "Economic", "Social", "Technological", "Environmental",
                   "Legal", "Organisational"):  # fmt: skip
        assert f"{factor} " in text
    assert "Action Fraud reports are not broken down below the force area" in text


def test_progress_shows_how_each_prioritys_indicators_moved(demo_report):
    """Each indicator of a priority's theme, latest against previous with the change, read line
    by line; weapons, whose 2015/16 lacks a quarter, with no percentage change (+25.0%)."""
    content = demo_report["public"]
    start = _contents(_pages(content))["Progress against last year's priorities"]
    lines = [*_text_lines(content, start), *_text_lines(content, start + 1)]
    heading = lines.index("Progress against last year's priorities")
    section = lines[heading : lines.index("Horizon scanning", heading)]
    violence = section[section.index("Reducing the number of violent incidences") :]
    assert violence[1] == "Indicator Previous Latest Change"
    assert violence[2] == "Violence against the Person 6,120 6,905 +12.8%"
    assert "Sexual Offences 402 486 +20.9%" in violence
    weapons = violence[violence.index("Possession of weapons (police.uk) 48 60 Not comparable") :]
    assert weapons[1].endswith("2015/16 2016/17 2015/16 lacks January to March")
    assert weapons[2].endswith("2016/17 lacks March")
    assert not any("+25.0%" in line for line in section)
    drugs = section[section.index("Tackling and enforcing substance misuse") :]
    assert drugs[2] == "Drug Offences 1,032 962 \u22126.8%"  # a real minus sign
    assert (
        "Enhance community engagement to reduce fear of crime: No figure on it in this "
        "assessment yet." in section
    )


def test_recommendations_carry_their_lead_timescale_and_measure(demo_report):
    pages = _pages(demo_report["public"])
    contents = _contents(pages)
    # Chapters follow on: the next one may start on the page the Crime chapter ends on.
    chapter = _text(" ".join(pages[contents["Crime"] - 1 : contents["Violence"]]))
    # The first is led by the chapter's lead (not repeated), the second by the council.
    assert "By 31 March 2018. Measure of success: Quarterly victim-based crime report" in chapter
    assert "Lead: Milton Keynes Council. By 31 December 2017." in chapter
    table_start = contents["All recommendations"]
    table = _text(" ".join(pages[table_start - 1 : contents["Statutory checklist"] - 1]))
    assert "Lead and timescale" in table
    assert "Milton Keynes Council By 31 December 2017" in table
    assert "Measure of success: Fewer thefts from vehicles in Central Milton Keynes" in table
    cover = _text(" ".join(_pages(demo_report["cover"])))
    assert "The recommendations, who leads them and by when" in cover
    assert "Central Milton Keynes Milton Keynes Council 31 December 2017" in cover


def test_setting_priorities_ranks_the_themes_before_the_recommendations(demo_report):
    pages = _pages(demo_report["public"])
    contents = _contents(pages)
    assert contents["Setting priorities"] < contents["All recommendations"]
    section = _text(
        " ".join(pages[contents["Setting priorities"] - 1 : contents["All recommendations"] - 1])
    )
    assert "Themes ranked by combined score" in section and "weighted mean" in section
    # The ranking as the command gives it, theme by theme, each with its combined score.
    for row in demo_report["ranking"]:
        assert f"{row['rank']} {row['theme']} {row['combined_score']:.2f}" in section
    assert "Priority matrix: Volume by Harm to victims" in section


def test_the_cover_paper_has_the_ranking_too(demo_report):
    text = _text(" ".join(_pages(demo_report["cover"])))
    assert "6. Setting priorities" in text
    first = demo_report["ranking"][0]
    assert f"1 {first['theme']} {first['combined_score']:.2f}" in text


def test_every_chart_of_the_chapter_pages_is_in_the_pdf_with_its_source(demo_report):
    text = _text(" ".join(_pages(demo_report["public"])))
    assert len(demo_report["charts"]) >= 10
    for title in demo_report["charts"]:
        assert _text(title) in text
    assert "Source: Home Office police recorded crime" in text or "Source: " in text


def test_the_crime_chapter_prints_milton_keynes_beside_its_force_and_districts(demo_report):
    pages = _pages(demo_report["public"])
    contents = _contents(pages)
    crime = _text(" ".join(pages[contents["Crime"] - 1 : contents["Violence"]]))
    beside = "All Crime: Milton Keynes beside Thames Valley and England and Wales, indexed"
    ranked = "All Crime per 1,000 residents, 2016/17: the districts of Thames Valley"
    assert f"Figure 1.2: {beside}" in crime and f"Figure 1.3: {ranked}" in crime
    # Each chart's table, at the back: the index of each place, and the districts ranked.
    assert "Its figures as a table: Table 1.2, page" in crime
    tables = _text(" ".join(pages[contents[CHART_TABLES] - 1 :]))
    assert f"Table 1.2: {beside}" in tables and f"Table 1.3: {ranked}" in tables
    assert "2016/17 104.8 103.9 105.5" in tables
    assert "Slough 111.0" in tables and "85.0" in tables
    assert "Demo data: the figures for Thames Valley and England and Wales are made up" in crime
    assert "indexed to 100 in 2015/16" in crime
    # police.uk, Home Office and ONS figures: the OGL credited once under the ranked chart.
    assert "ONS mid-year population estimates (demo figures). Districts of Thames Valley" in crime


def test_every_page_is_marked_draft_and_numbered_after_the_cover(demo_report):
    pages = _pages(demo_report["public"])
    assert len(pages) > 10
    for number, text in enumerate(pages, start=1):
        assert "DRAFT" in text, number
        if number > 1:
            assert f"Page {number} of {len(pages)}" in text


def test_the_public_variant_has_no_appendix_text(demo_report):
    text = _text(" ".join(_pages(demo_report["public"])))
    for title, summary in demo_report["appendices"].values():
        assert title not in text
        assert summary not in text
    assert "Fishermead, Netherfield and Conniburrow" not in text
    assert "OFFICIAL-SENSITIVE" not in text
    # Nor does it send its readers to an appendix they cannot have.
    assert "Appendix" not in text


def test_the_restricted_variant_for_police_has_the_estate_appendix_on_marked_pages(demo_report):
    pages = _pages(demo_report["police"])
    text = _text(" ".join(pages))
    for title, summary in demo_report["appendices"].values():
        assert title in text
        assert summary in text
    assert "Fishermead, Netherfield and Conniburrow" in text
    # The partnership's protective marking at the head of every page, the recipient at the foot.
    marking = "OFFICIAL-SENSITIVE"
    for number, page in enumerate(_pages_by_poppler(demo_report["police"]), start=1):
        assert marking in page.split(), number
        assert "Issued to Sam Okafor, Thames Valley Police, " in _text(page), number
        assert f"— {marking}" in page, number
    assert "NOT FOR PUBLIC CIRCULATION" not in text
    contents = _contents(pages)
    title = "Appendix B: Crime by estate"
    assert _outline(demo_report["police"])[title] == contents[title]


def test_the_restricted_variant_for_fire_has_only_the_appendix_granted_to_fire(demo_report):
    pages = _pages(demo_report["fire"])
    text = _text(" ".join(pages))
    category_title, _ = demo_report["appendices"]["crime-category"]
    estate_title, estate_summary = demo_report["appendices"]["estate"]
    assert category_title in text
    assert estate_title not in text
    assert estate_summary not in text
    assert "Fishermead, Netherfield and Conniburrow" not in text
    assert all("OFFICIAL-SENSITIVE" in page for page in pages)


def test_the_appendix_tables_print_the_rows_their_pages_show(demo_report):
    text = _text(" ".join(_pages(demo_report["police"])))
    assert len(demo_report["appendix_tables"]) == 7  # A: by category; B: six crime types by estate
    for caption, names in demo_report["appendix_tables"]:
        assert _text(caption) in text
        assert len(names) >= 5
        for name in names:
            assert _text(name) in text
    for estate in ("Fishermead", "Netherfield", "Conniburrow", "Central Milton Keynes"):
        assert estate in text
    assert "Burglary" in text and "Rate per 1,000 residents" in text


def test_each_personal_copy_carries_its_copy_id_in_the_metadata(demo_report):
    ids = set()
    for who in ("police", "fire"):
        with pikepdf.open(io.BytesIO(demo_report[who])) as pdf:
            ids.add(str(pdf.docinfo["/copyid"]))
    assert ids == {"copy-of-police", "copy-of-fire"}
    with pikepdf.open(io.BytesIO(demo_report["public"])) as pdf:
        assert "/copyid" not in pdf.docinfo


def test_every_chart_is_a_figure_with_alternative_text(demo_report):
    with pikepdf.open(io.BytesIO(demo_report["public"])) as pdf:
        figures = [
            element
            for element in _struct_elements(pdf.Root.StructTreeRoot)
            if element.get("/S") == "/Figure"
        ]
        alts = [str(figure.get("/Alt", "")).strip() for figure in figures]
    assert len(figures) >= len(demo_report["charts"])
    assert all(alts), "a figure without alternative text"


def test_each_hotspot_map_is_a_figure_whose_alternative_text_names_its_top_areas(demo_report):
    with pikepdf.open(io.BytesIO(demo_report["public"])) as pdf:
        alts = [
            str(element.get("/Alt", "")).strip()
            for element in _struct_elements(pdf.Root.StructTreeRoot)
            if element.get("/S") == "/Figure"
        ]
    maps = [alt for alt in alts if alt.startswith("Map of 166 LSOAs (2021 LSOAs)")]
    assert len(maps) == 1  # the Crime chapter's
    assert all("Highest: Milton Keynes " in alt for alt in maps)
    text = _text(" ".join(_pages(demo_report["public"])))
    assert "Demo data: made-up counts spread over real LSOAs" in text


def test_the_pdf_is_tagged_pdf_ua_in_british_english_with_an_outline(demo_report):
    with pikepdf.open(io.BytesIO(demo_report["public"])) as pdf:
        root = pdf.Root
        assert str(root.Lang) == "en-GB"
        assert "/StructTreeRoot" in root
        assert bool(root.MarkInfo.Marked)
        with pdf.open_metadata() as xmp:
            assert xmp.get("pdfuaid:part") == "1"
            assert xmp.get("dc:title") == "SaferMK Partnership: Strategic Assessment 2017"
        with pdf.open_outline() as outline:
            titles = [item.title for item in outline.root]
        for chapter in demo_report["chapters"]:
            assert chapter in titles
        assert "Headline summary" in titles
        # Table headers are tagged as such.
        kinds = {str(element.get("/S")) for element in _struct_elements(root.StructTreeRoot)}
        assert {"/H1", "/H2", "/Table", "/TH", "/TD"} <= kinds


def _struct_elements(node, depth=0):
    kids = node.get("/K")
    if kids is None or depth > 50:
        return
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            yield kid
            yield from _struct_elements(kid, depth + 1)


def test_unchanged_content_renders_to_the_same_bytes(demo_report, db):
    assessment = demo_load()
    assert _render(assessment, "public") == demo_report["public"]


MM = 72 / 25.4
# What pdf.css sets: body text 10.5pt, headings 12pt and over; the page's margins (read from it).
LARGEST_BODY_TEXT = 11
_PAGE_MARGIN = r"@page \{[^}]*?margin: ([\d.]+)mm [\d.]+mm ([\d.]+)mm"
TOP_MARGIN, BOTTOM_MARGIN = (
    float(margin) * MM for margin in re.search(_PAGE_MARGIN, static_text(STYLESHEET)).groups()
)


PAGE_HEIGHT = 297 * MM


class Lines(NamedTuple):
    last: tuple[tuple[int, float, str], ...]  # (page, largest font size, text) per page
    largest_size: float  # of any text between the margins, anywhere
    images: tuple[tuple[int, float], ...]  # (page, bottom) of each image


@cache
def _lines(content: bytes) -> Lines:
    """For each page with text between its margins, the largest font size on its last line
    above the footer, and that line's text; the largest size of the whole document; and the
    bottom of every image between the margins (a chart is drawn, its labels and source are
    words; a box's border is drawn as a shape as tall as the box, so shapes are not read)."""
    found, largest, images = [], 0.0, []
    with pdfplumber.open(io.BytesIO(content)) as document:
        for number, page in enumerate(document.pages, start=1):
            images += [
                (number, image["bottom"])
                for image in page.images
                if image["top"] > TOP_MARGIN and image["bottom"] < page.height - BOTTOM_MARGIN
            ]
            body = [
                char
                for char in page.chars
                if char["top"] > TOP_MARGIN and char["bottom"] < page.height - BOTTOM_MARGIN
            ]
            if not body:
                continue
            largest = max(largest, *(char["size"] for char in body))
            last_top = max(round(char["top"]) for char in body)
            line = [char for char in body if abs(round(char["top"]) - last_top) <= 1]
            text = "".join(char["text"] for char in line)
            found.append((number, max(char["size"] for char in line), text))
    return Lines(tuple(found), largest, tuple(images))


def test_the_foot_of_page_check_finds_a_heading_left_at_the_foot():
    """The check below would see the fault: a page whose last line is a heading."""
    html = """<html lang="en-GB"><head><title>t</title><style>
        @page { size: A4; margin: 24mm 20mm 22mm; } body { font-size: 10.5pt; }
        </style></head><body><p>The body text of the page.</p>
        <h2 style="font-size: 14pt">A heading left behind</h2>
        <p style="break-before: page">What the heading is about.</p></body></html>"""
    [first, second] = _lines(render_pdf(html).content).last
    assert first[0] == 1 and first[1] >= LARGEST_BODY_TEXT and first[2] == "A heading left behind"
    assert second[0] == 2 and second[1] < LARGEST_BODY_TEXT


@pytest.mark.parametrize("document", ["public", "police", "cover"])
def test_no_heading_stands_alone_at_the_foot_of_a_page(demo_report, document):
    content = demo_report[document]
    lines = _lines(content)
    # Every page but the cover has a last line to look at, and the document has headings.
    assert len(lines.last) >= len(_pages(content)) - 1
    assert lines.largest_size >= LARGEST_BODY_TEXT
    for number, size, text in lines.last:
        assert size < LARGEST_BODY_TEXT, f"page {number} ends with a heading: {text!r}"
        # Nor a line that introduces what follows ("asked to consider the following:").
        assert not text.rstrip().endswith(":"), f"page {number} ends with {text!r}"


# Compact pages (issue 32) ----------------------------------------------------------------------
# The demo's 1,000 words of narrative and 20 charts once took 43 pages (47 for police's copy),
# each chart and its table on a half-empty page of their own.

PAGE_WIDTH = 210 * MM
LEFT_MARGIN = 20 * MM


class Word(NamedTuple):
    x: float
    top: float
    bottom: float
    text: str


@cache
def _words(content: bytes) -> tuple[tuple[Word, ...], ...]:
    """Each page's words with their boxes, in points from the top left (`pdftotext -bbox`)."""
    xhtml = subprocess.run(
        ["pdftotext", "-bbox", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()
    return tuple(
        tuple(
            Word(float(x), float(top), float(bottom), html.unescape(text))
            for x, top, bottom, text in re.findall(
                r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">'
                r"([^<]*)</word>",
                page,
            )
        )
        for page in xhtml.split("<page ")[1:]
    )


def _pages_by_poppler(content: bytes) -> list[str]:
    """Each page's text as `pdftotext` reads it (pages end with a form feed)."""
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()
    return text.split("\f")[:-1]


def _body(words: tuple[Word, ...]) -> list[Word]:
    return [w for w in words if w.top > TOP_MARGIN and w.bottom < PAGE_HEIGHT - BOTTOM_MARGIN]


def _text_lines(content: bytes, number: int) -> list[str]:
    """The lines of text below the running head of page `number`, top to bottom: words whose
    tops are within 2 points of a line's first, left to right."""
    lines: list[list[Word]] = []
    for word in sorted(_body(_words(content)[number - 1]), key=lambda w: (w.top, w.x)):
        if lines and word.top - lines[-1][0].top < 2:
            lines[-1].append(word)
        else:
            lines.append([word])
    return [" ".join(w.text for w in sorted(line, key=lambda w: w.x)) for line in lines]


def _first_line(content: bytes, number: int) -> str:
    """The first line of text below the running head of page `number`."""
    return _text_lines(content, number)[0]


def _fill(content: bytes, number: int) -> float:
    """How far down the text area the lowest word or image of page `number` sits (0 to 1)."""
    lowest = max(
        [w.bottom for w in _body(_words(content)[number - 1])]
        + [bottom for page, bottom in _lines(content).images if page == number]
    )
    return (lowest - TOP_MARGIN) / (PAGE_HEIGHT - TOP_MARGIN - BOTTOM_MARGIN)


def _chapter_last_pages(content: bytes, chapters: list[str]) -> set[int]:
    """The page each chapter ends on: the page before the next part's, or that page itself
    when the next part starts below the end of the chapter."""
    pages = _pages(content)
    contents = _contents(pages)
    titles = list(contents)
    last = set()
    for title in chapters:
        following = titles[titles.index(title) + 1]
        start = contents[following]
        starts_page = _first_line(content, start) == following
        last.add(start - 1 if starts_page else start)
    return last


# Issue 32: the demo's 43 public and 47 restricted pages, with every chapter, chart and table
# kept, in at most 28 and 32 (28 and 31 now, with the front and back matter the issue added).
# Issue 34 added hotspot maps, which the targets leave out: each map, half a page, with its
# table may add at most two pages (the Crime chapter's map; in the police copy Appendix C's map
# of every count and its hotspot tables too: the demo's made-up counts have no grid).
@pytest.mark.parametrize(("document", "most", "maps"), [("public", 28, 1), ("police", 32, 2)])
def test_the_report_fits_its_content_on_few_pages(demo_report, document, most, maps):
    with pikepdf.open(io.BytesIO(demo_report[document])) as pdf:
        drawn = [
            alt
            for element in _struct_elements(pdf.Root.StructTreeRoot)
            if element.get("/S") == "/Figure"
            and (alt := str(element.get("/Alt", ""))).startswith(("Map of ", "Grid map of "))
        ]
    assert len(drawn) == maps
    assert len(_pages(demo_report[document])) <= most + 2 * maps


def test_line_charts_print_two_abreast(demo_report):
    """Figures 1.4 and 1.5 (two line charts of the Crime chapter) share a row: one caption in
    each half of the text width, on one line."""
    captions = {}
    for page in _words(demo_report["public"]):
        for first, second in zip(page, page[1:], strict=False):
            if first.text == "Figure" and second.text in {"1.4:", "1.5:"}:
                captions[second.text] = first
    left, right = captions["1.4:"], captions["1.5:"]
    assert abs(left.top - right.top) < 1
    middle = 105 * MM
    assert left.x < middle < right.x


@pytest.mark.parametrize("document", ["public", "police"])
def test_no_page_is_left_mostly_empty(demo_report, document):
    """On every page but the cover, the contents, a chapter's last page and the document's last,
    the lowest word or image sits at least a third of the way down the text area."""
    content = demo_report[document]
    pages = _pages(content)
    contents = _contents(pages)
    # The document's own last page ends where its content does.
    exempt = {1, 2, len(pages), *_chapter_last_pages(content, demo_report["chapters"])}
    assert 3 < len(exempt) <= 3 + len(demo_report["chapters"])
    assert min(contents.values()) == 3  # the contents fit on page 2
    thin = {
        number: round(_fill(content, number), 2)
        for number in range(1, len(pages) + 1)
        if number not in exempt and _fill(content, number) < 1 / 3
    }
    assert thin == {}, f"pages less than a third full: {thin}"


def test_the_page_fill_check_finds_a_page_left_mostly_empty():
    """The measure above would see the fault: a page with two lines, then a forced break; and
    it sees an image as far down as it reaches."""
    document = f"""<html lang="en-GB"><head><title>t</title><style>
        @page {{ size: A4; margin: 24mm 20mm 22mm; }} body {{ font-size: 10pt; }}
        </style></head><body><p>Two lines of text.</p><p>The second.</p>
        <p style="break-before: page">An image below.</p>
        <img src="data:image/png;base64,{PIXEL}" alt="A grey square" style="height: 190mm">
        </body></html>"""
    content = render_pdf(document).content
    assert _fill(content, 1) < 0.1
    assert _fill(content, 2) > 0.75


PIXEL = (  # a grey PNG pixel
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


def _site_chapters(client, slugs: list[str]) -> dict[str, dict]:
    """What the public chapter pages show: their charts' descriptions and their tables."""
    shown = {}
    for slug in slugs:
        page = client.get(f"/assessments/safermk/2017/{slug}/").content.decode()
        # Each chart once: the page also carries a phone's drawing of it, which print leaves out.
        page = re.sub(r'<div class="[^"]*__image--narrow">.*?</svg>\s*</div>', "", page, flags=re.S)
        shown[slug] = {
            "title": html.unescape(re.search(r"<h1[^>]*>\s*([^<]+?)\s*<", page)[1]),
            "charts": [
                html.unescape(" ".join(d.split()))
                for d in re.findall(r'<desc id="[^"]*">([^<]*)</desc>', page)
            ],
            "tables": [
                html.unescape(" ".join(c.split()))
                for c in re.findall(r"<caption[^>]*>([^<]*)</caption>", page)
            ],
        }
    return shown


def test_every_chapter_chart_and_table_of_the_site_is_in_the_pdf(demo_report, client, db):
    # The demo is in consultation: a partner reads its chapters.
    client.force_login(User.objects.get(username="police"))
    site = _site_chapters(client, demo_report["chapter_slugs"])
    content = demo_report["public"]
    outline = _outline(content)
    text = _text(" ".join(_pages(content)))
    with pikepdf.open(io.BytesIO(content)) as pdf:
        elements = list(_struct_elements(pdf.Root.StructTreeRoot))
        alts = [str(e.get("/Alt", "")).strip() for e in elements if e.get("/S") == "/Figure"]
        tables = sum(1 for e in elements if e.get("/S") == "/Table")
    charts = [description for chapter in site.values() for description in chapter["charts"]]
    captions = [caption for chapter in site.values() for caption in chapter["tables"]]
    # Every chapter, in the outline.
    assert [chapter["title"] for chapter in site.values()] == demo_report["chapters"]
    assert all(title in outline for title in demo_report["chapters"])
    # Every chart, a tagged Figure whose alternative text is the site's description of it: 20
    # charts and the Crime chapter's hotspot map (issue 34).
    assert len(charts) == 20 + 1
    assert not Counter(charts) - Counter(alts), "a chart of the site is not a figure of the PDF"
    assert all(alts)
    # Every table: each caption of the site (a chart's table numbered at the back), and as many
    # tagged tables as the site's chapters have, the front and back matter's besides.
    assert len(captions) == 30 + 1
    for caption in captions:
        assert _text(caption) in text, caption
    assert tables >= len(captions)
    assert len(re.findall(r"Table \d+\.\d+: ", text)) == len(charts)
    assert len(re.findall(r"Figure \d+\.\d+: ", text)) == len(charts)
