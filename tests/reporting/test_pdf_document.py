"""What a reader finds in the demo assessment's PDF, read back out of the file (pypdf, pikepdf).

The three documents are rendered once for the module: the public variant, the restricted variant
for `police` (granted both appendices) and for `fire` (granted here the crime-category appendix
only, never the estate one).
"""

import io
import re

import pikepdf
import pytest
from pypdf import PdfReader

from assessments.appendices.permissions import grant_appendix
from assessments.core.models import Organisation, User
from assessments.demo.load import demo_load
from assessments.indicators.headlines import headline_figures
from assessments.reporting.documents import render_report, report_appendices


def _text(element) -> str:
    return " ".join(element.split())


def _pages(content: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def _render(assessment, variant, username=None):
    user = User.objects.get(username=username) if username else None
    appendices = report_appendices(user=user, assessment=assessment, variant=variant)
    _, rendered = render_report(assessment=assessment, variant=variant, appendices=appendices)
    return rendered.content


# Rendering takes seconds, so the module renders the three documents once, in the first test
# that asks, and later tests read the same bytes.
_RENDERED: dict = {}


@pytest.fixture
def demo_report(request):
    if not _RENDERED:
        request.getfixturevalue("db")
        _RENDERED.update(_render_demo())
    return _RENDERED


def _render_demo() -> dict:
    assessment = demo_load()
    fire = Organisation.objects.get(short_name="BFRS")
    grant_appendix(assessment.appendices.get(slug="crime-category"), organisation=fire)
    return {
        "status_date": f"{assessment.status_changed_at.astimezone():%-d %B %Y}",
        "chapters": [c.title for c in assessment.chapters.order_by("order")],
        "recommendations": [
            r.text for c in assessment.chapters.all() for r in c.recommendations.all()
        ],
        "statements": [figure.statement() for figure in headline_figures(assessment)],
        "appendices": {a.slug: (a.title, a.summary) for a in assessment.appendices.all()},
        "public": _render(assessment, "public"),
        "police": _render(assessment, "restricted", "police"),
        "fire": _render(assessment, "restricted", "fire"),
    }


def test_the_cover_names_the_partnership_title_year_and_status_with_its_date(demo_report):
    cover = _text(_pages(demo_report["public"])[0])
    assert "SaferMK Partnership" in cover
    assert "Strategic Assessment 2017" in cover
    assert "Strategic assessment for 2017" in cover
    assert f"In consultation since {demo_report['status_date']}" in cover


def _contents(pages: list[str]) -> dict[str, int]:
    """Title → page number, from the contents page's dotted leaders."""
    entries = re.findall(r"^(.+?)\s*\.{3,}\s*(\d+)\s*$", pages[1], re.MULTILINE)
    return {title.strip(): int(number) for title, number in entries}


def _page_where_title_starts(pages: list[str], title: str) -> int:
    """The page that opens with the title as its heading (the running header comes last)."""
    for number, text in enumerate(pages[2:], start=3):
        if text.splitlines()[0].strip() == title:
            return number
    raise AssertionError(f"{title!r} is on no page")


def test_the_contents_lists_every_chapter_with_the_page_it_starts_on(demo_report):
    pages = _pages(demo_report["public"])
    contents = _contents(pages)
    assert list(contents) == ["Headline summary", *demo_report["chapters"]]
    for title, number in contents.items():
        assert _page_where_title_starts(pages, title) == number, title
    # Chapters start on new pages.
    assert len(set(contents.values())) == len(contents)


def test_the_headline_figures_and_every_recommendation_are_in_the_report(demo_report):
    text = _text(" ".join(_pages(demo_report["public"])))
    assert len(demo_report["statements"]) > 10
    for statement in demo_report["statements"]:
        assert statement in text
    assert "Increase in All Crime of 4.8%." in text
    for recommendation in demo_report["recommendations"]:
        assert _text(recommendation) in text


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
    assert "NOT FOR PUBLIC CIRCULATION" not in text


def test_the_restricted_variant_for_police_has_the_estate_appendix_on_marked_pages(demo_report):
    pages = _pages(demo_report["police"])
    text = _text(" ".join(pages))
    for title, summary in demo_report["appendices"].values():
        assert title in text
        assert summary in text
    assert "Fishermead, Netherfield and Conniburrow" in text
    for number, page in enumerate(pages, start=1):
        assert "NOT FOR PUBLIC CIRCULATION" in page, number
    contents = _contents(pages)
    assert (
        _page_where_title_starts(pages, "Appendix B: Crime by estate")
        == (contents["Appendix B: Crime by estate"])
    )


def test_the_restricted_variant_for_fire_has_only_the_appendix_granted_to_fire(demo_report):
    pages = _pages(demo_report["fire"])
    text = _text(" ".join(pages))
    category_title, _ = demo_report["appendices"]["crime-category"]
    estate_title, estate_summary = demo_report["appendices"]["estate"]
    assert category_title in text
    assert estate_title not in text
    assert estate_summary not in text
    assert "Fishermead, Netherfield and Conniburrow" not in text
    assert all("NOT FOR PUBLIC CIRCULATION" in page for page in pages)


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
