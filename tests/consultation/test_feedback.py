"""The analyst's feedback page: counts, filters, exports with formulas neutralised, and who may
see it."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from ..factories import ChapterFactory, CommentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def feedback(assessment, police_partner, fire_partner, analyst):
    crime = ChapterFactory(assessment=assessment, title="Crime", order=1)
    violence = ChapterFactory(assessment=assessment, title="Violence", order=2)
    open_police = CommentFactory(chapter=crime, author=police_partner, body='=HYPERLINK("x")')
    CommentFactory(chapter=crime, author=analyst, parent=open_police, body="+reply")
    CommentFactory(
        chapter=violence,
        author=fire_partner,
        body="Fire view",
        resolved_at="2026-01-05T10:00Z",
        resolved_by=analyst,
    )
    CommentFactory(chapter=violence, author=police_partner, body="Police on violence")
    return assessment


def url(assessment, name="feedback", *extra):
    return reverse(name, args=[assessment.partnership.slug, assessment.year, *extra])


def test_counts_per_chapter_and_organisation(analyst_client, feedback):
    page = analyst_client.get(url(feedback)).content.decode()
    assert "Feedback from the consultation" in page
    # Crime: 1 open; Violence: 1 open, 1 resolved; Test Police 2 open; Test Fire 1 resolved.
    assert page.count('govuk-table__cell--numeric">1</td>') >= 4
    assert "Test Police" in page and "Test Fire" in page


def test_filters(analyst_client, feedback, fire_org):
    page = analyst_client.get(url(feedback), {"state": "resolved"}).content.decode()
    assert "Fire view" in page and "Police on violence" not in page
    page = analyst_client.get(url(feedback), {"organisation": fire_org.pk}).content.decode()
    assert "Fire view" in page and "Police on violence" not in page


def test_csv_export_neutralises_formulas(analyst_client, feedback):
    response = analyst_client.get(url(feedback, "feedback_export", "csv"))
    assert response["Content-Disposition"].endswith('.csv"')
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][0] == "Discussion"
    bodies = [row[7] for row in rows[1:]]
    assert '\'=HYPERLINK("x")' in bodies
    assert "'+reply" in bodies
    assert len(rows) == 5


def test_xlsx_export_keeps_text_as_text(analyst_client, feedback):
    response = analyst_client.get(url(feedback, "feedback_export", "xlsx"), {"state": "open"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    bodies = [row[7] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert bodies == ['\'=HYPERLINK("x")', "'+reply", "Police on violence"]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


@pytest.mark.parametrize("who", ["police_partner", "board_member", "outsider", "other_analyst"])
def test_partners_and_outsiders_get_404(client, request, feedback, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(url(feedback)).status_code == 404
    assert client.get(url(feedback, "feedback_export", "csv")).status_code == 404


def test_anonymous_is_sent_to_sign_in(client, feedback):
    response = client.get(url(feedback))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_the_chair_reads_the_feedback(chair_client, feedback):
    assert chair_client.get(url(feedback)).status_code == 200


def test_admin_links_to_the_feedback_page(analyst_client, feedback):
    page = analyst_client.get(
        reverse("admin:assessments_assessment_change", args=[feedback.pk])
    ).content.decode()
    assert url(feedback) in page
