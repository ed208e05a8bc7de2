"""The public report, corrections after publication, the cover paper and the chapter comparison."""

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from assessments.consultation.models import WorkflowEvent
from assessments.consultation.services import workflow
from assessments.core.models import Assessment
from assessments.publication.services.compare import narrative_diff
from assessments.publication.services.cover_paper import cover_paper_html
from assessments.reporting import pdf
from assessments.reporting.documents import page_head, report_html
from assessments.reporting.models import ReportExport

from ..factories import (
    AppendixFactory,
    AssessmentFactory,
    ChapterFactory,
    RecommendationFactory,
    make_ready,
    refreeze,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(partnership):
    assessment = AssessmentFactory(partnership=partnership, status=Assessment.Status.PUBLISHED)
    chapters = [
        ChapterFactory(assessment=assessment, order=n, slug=f"part-{n}", title=f"Part {n}")
        for n in (1, 2, 3)
    ]
    RecommendationFactory(chapter=chapters[0], text="Fund more street lighting.")
    AppendixFactory(assessment=assessment, slug="secret", title="Appendix S", narrative="Secret.")
    return refreeze(assessment)


def _url(assessment, *parts):
    return "/".join(
        ["", "assessments", assessment.partnership.slug, str(assessment.year), *parts, ""]
    )


# The public report -----------------------------------------------------------------------


def test_anyone_reads_a_published_assessment_and_its_chapters_without_signing_in(client, published):
    page = client.get(_url(published)).content.decode()
    assert "Part 1" in page and "Part 3" in page
    assert "Appendix S" not in page

    chapter = client.get(_url(published, "part-2")).content.decode()
    assert 'rel="prev"' in chapter and "Part 1" in chapter
    assert 'rel="next"' in chapter and "Part 3" in chapter
    assert client.get(_url(published, "appendices", "secret")).status_code == 302


def test_the_first_and_last_chapters_link_one_way(client, published):
    first = client.get(_url(published, "part-1")).content.decode()
    last = client.get(_url(published, "part-3")).content.decode()
    assert 'rel="prev"' not in first and 'rel="next"' in first
    assert 'rel="prev"' in last and 'rel="next"' not in last


@pytest.mark.parametrize("status", ["draft", "consultation", "approved"])
def test_an_unpublished_assessment_is_invisible_to_the_public(client, outsider, status):
    assessment = AssessmentFactory(status=status, year=2019)
    ChapterFactory(assessment=assessment, slug="crime")
    # Signed out: the same sign-in redirect as for an assessment that does not exist.
    missing = client.get("/assessments/nowhere/2019/crime/")
    response = client.get(_url(assessment, "crime"))
    assert response.status_code == missing.status_code == 302
    assert response.url.startswith(reverse("login"))
    # Signed in without a role in the partnership: 404.
    client.force_login(outsider)
    assert client.get(_url(assessment)).status_code == 404
    assert client.get(_url(assessment, "crime")).status_code == 404


def test_the_accessibility_statement_is_public_and_linked_from_every_page(client, published):
    page = client.get(reverse("accessibility"))
    assert page.status_code == 200
    assert "Accessibility statement" in page.content.decode()
    assert reverse("accessibility") in client.get(_url(published)).content.decode()


def test_publishing_prepares_the_public_pdf_that_anyone_can_download(
    client, analyst, partnership, django_capture_on_commit_callbacks
):
    assessment = make_ready(AssessmentFactory(partnership=partnership, status="approved"))
    with django_capture_on_commit_callbacks(execute=True):
        workflow.assessment_transition(assessment=assessment, action="publish", by=analyst)
    export = ReportExport.objects.get(assessment=assessment)
    assert (export.kind, export.variant, export.status) == ("report", "public", "done")

    page = client.get(_url(assessment)).content.decode()
    lasting = reverse("edition_pdf", args=[assessment.partnership.slug, assessment.year, 1])
    assert lasting in page and "Download the report as a PDF" in page
    assert client.get(lasting)["Location"] == export.get_download_url()
    response = client.get(export.get_download_url())
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_a_correction_shows_last_updated_with_its_note(client, analyst, chair, partnership):
    published = make_ready(AssessmentFactory(partnership=partnership, status="published"))
    workflow.assessment_transition(
        assessment=published, action="correct", by=analyst, reason="Corrected robbery figures."
    )
    # Until the corrected edition is published, the public read the first.
    assert "Corrected robbery figures." not in client.get(_url(published)).content.decode()
    workflow.assessment_transition(assessment=published, action="approve", by=chair)
    workflow.assessment_transition(assessment=published, action="publish", by=analyst)

    for page in (_url(published), _url(published, "crime")):
        text = client.get(page).content.decode()
        assert "Last updated" in text
        assert "Corrected robbery figures." in text


def test_taking_down_needs_a_note_and_the_analyst(analyst, chair, published):
    with pytest.raises(workflow.WorkflowError, match="Enter why it is taken down"):
        workflow.assessment_transition(assessment=published, action="unpublish", by=analyst)
    with pytest.raises(workflow.PermissionDenied):
        workflow.assessment_transition(
            assessment=published, action="unpublish", by=chair, reason="No."
        )
    assert not published.workflow_events.filter(action=WorkflowEvent.Action.UNPUBLISH).exists()


def test_a_first_publication_shows_no_last_updated_note(client, published):
    assert "Last updated" not in client.get(_url(published)).content.decode()


# The cover paper ---------------------------------------------------------------------------

REFERENCE_HEADLINE_FIGURES = ["4.8%", "0.9", "5.1%", "6.8%", "53%", "7%"]


@pytest.fixture
def demo_cover_text(demo):
    content = pdf.render_pdf(cover_paper_html(assessment=demo, variant="public", appendices=[]))
    reader = PdfReader(io.BytesIO(content.content))
    return "\n".join(page.extract_text() for page in reader.pages)


def _head(html: str) -> str:
    return html.split("</head>")[0]


def test_the_report_and_the_cover_paper_share_one_page_head(partnership):
    """Title, author, generator, stylesheet and the draft marking come from page_head()."""
    draft = AssessmentFactory(partnership=partnership, status=Assessment.Status.CONSULTATION)
    report = _head(report_html(assessment=draft, variant="public", appendices=[]))
    paper = _head(cover_paper_html(assessment=draft, variant="public", appendices=[]))
    head = page_head(draft, title="Discussion and Decision Report", description="x")
    assert head["document_title"] == f"{partnership.name}: Discussion and Decision Report"
    assert head["is_draft"] and head["stylesheet"] in report and head["stylesheet"] in paper
    for html, title in [(report, draft.title), (paper, "Discussion and Decision Report")]:
        assert f"<title>{partnership.name}: {title}</title>" in html
        assert f'<meta name="author" content="{partnership.name}">' in html
        assert f'<meta name="generator" content="{head["service_name"]}">' in html
        assert 'content: "DRAFT"' in html
    published = AssessmentFactory(
        partnership=partnership, year=draft.year + 1, status=Assessment.Status.PUBLISHED
    )
    assert 'content: "DRAFT"' not in _head(
        cover_paper_html(assessment=published, variant="public", appendices=[])
    )


def _box_line(text: str, label: str) -> str:
    return next(line for line in text.splitlines() if line.strip().startswith(label))


def test_the_demo_cover_paper_pdf_reads_like_the_reference_document(demo, demo_cover_text):
    text = demo_cover_text
    flat = " ".join(text.split())
    assert "Discussion and Decision Report" in flat
    assert "Subject Strategic Assessment 2017" in flat
    assert "Alex Morgan (Senior Community Safety Research Analyst)" in flat
    themes = flat.split("considers the themes of:")[1]
    for theme in [
        "Crime", "Violence", "Reoffending", "Hate Crime", "Domestic Abuse",
        "Drugs and Alcohol", "Fire Service data", "Modern Slavery", "FGM", "Cyber Crime",
    ]:  # fmt: skip
        assert theme in themes
    # Tick boxes: the reference marks these, and leaves Prevent and the PCC empty.
    for marked in [
        "Reducing the number of violent incidences",
        "Tackling and enforcing substance misuse",
        "Enhance community engagement to reduce fear of crime",
        "Anti-Social Behaviour",
        "Reducing Re-offending",
    ]:
        assert _box_line(text, marked).rstrip().endswith("X"), marked
    for empty in ["Prevent", "Police and Crime Commissioner"]:
        assert not _box_line(text, empty).rstrip().endswith("X"), empty
    assert "Annual Strategic Assessment is a statutory duty" in flat
    headlines = flat.split("The main headlines are:")[1]
    for figure in REFERENCE_HEADLINE_FIGURES:
        assert figure in headlines, figure
    assert "baselining year" in headlines
    # The reference has two; the demo adds a third, of hotspot maps (issue 34).
    assert "Three appendices are included within the report" in flat
    assert "presented to the Partnership for their feedback and input" in flat


def test_the_cover_paper_page_is_for_members_only(client, police_partner, outsider, published):
    url = reverse("cover_paper", args=[published.partnership.slug, published.year])
    assert client.get(url).status_code == 302  # not public, even once published
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.force_login(police_partner)
    page = client.get(url).content.decode()
    assert "Discussion and Decision Report" in page
    assert "Appendix S" not in page  # the appendices are counted, never named


def test_a_member_asks_for_the_cover_paper_pdf(
    client, police_partner, published, django_capture_on_commit_callbacks
):
    client.force_login(police_partner)
    url = reverse("export_request", args=[published.partnership.slug, published.year])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"kind": "cover", "variant": "public"})
    export = ReportExport.objects.get(assessment=published, kind="cover")
    assert response.url == export.get_absolute_url()
    assert export.status == "done"
    client.logout()
    download = export.get_download_url()
    assert client.get(download).status_code == 302  # the public may not download board papers


# Comparison --------------------------------------------------------------------------------


def test_a_changed_paragraph_shows_as_removed_and_added():
    old = "Crime rose.\n\nRobbery fell by 10 per cent.\n\nThe end."
    new = "Crime rose.\n\nRobbery fell by 12 per cent.\n\nThe end."
    assert [(line.kind, line.text) for line in narrative_diff(old, new)] == [
        ("same", "Crime rose."),
        ("removed", "Robbery fell by 10 per cent."),
        ("added", "Robbery fell by 12 per cent."),
        ("same", "The end."),
    ]


def test_the_compare_page_shows_last_years_and_the_approved_wording(
    client, analyst, chair, partnership
):
    this = make_ready(AssessmentFactory(partnership=partnership, year=2017, status="consultation"))
    chapter = this.chapters.get(slug="crime")
    chapter.narrative = "Burglary fell a little."
    chapter.save()
    last = AssessmentFactory(partnership=partnership, year=2016, status="published")
    ChapterFactory(
        assessment=last, slug="crime", theme=chapter.theme, narrative="Burglary rose sharply."
    )
    workflow.assessment_transition(assessment=this, action="approve", by=chair)
    chapter.narrative = "Burglary fell a little.\n\nA paragraph added after approval."
    chapter.save()

    client.force_login(analyst)
    page = client.get(reverse("chapter_compare", args=[partnership.slug, 2017, "crime"]))
    html = page.content.decode()
    removed = re.findall(r'<del class="app-compare-removed">.*?</span>(.*?)</del>', html)
    added = re.findall(r'<ins class="app-compare-added">.*?</span>(.*?)</ins>', html)
    assert "Burglary rose sharply." in removed
    assert "Burglary fell a little." in added
    assert "A paragraph added after approval." in added
    assert client.get(chapter.get_absolute_url()).content.decode().count("/crime/compare/") == 1


def test_board_members_find_the_meeting_papers(client, board_member, published):
    url = reverse("board_meeting", args=[published.partnership.slug, published.year])
    assert client.get(url).status_code == 302
    client.force_login(board_member)
    page = client.get(url).content.decode()
    assert reverse("cover_paper", args=[published.partnership.slug, 2017]) in page
    assert "Fund more street lighting." in page  # the recommendations and partners' answers
    assert "Comments by chapter" in page


def test_the_analyst_takes_it_down_through_the_workflow_page(client, analyst, published):
    client.force_login(analyst)
    url = reverse("transition", args=[published.partnership.slug, published.year])
    form = client.get(url, {"action": "unpublish"}).content.decode()
    assert "Take down the published assessment" in form and "not the public" in form
    empty = client.post(url, {"action": "unpublish", "reason": ""})
    assert "Enter why it is taken down" in empty.content.decode()
    client.post(url, {"action": "unpublish", "reason": "Robbery figures."})
    published.refresh_from_db()
    assert published.status == Assessment.Status.CORRECTION
    assert published.public_edition is None
