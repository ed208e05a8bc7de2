"""The analyst's workspace: figures (re-encoded, refused when not images), the chapter editor
(preview, concurrent edits), the dashboard (who sees it, constant queries) and the readiness
checks before opening the consultation or approving."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from assessments import permissions
from assessments.models import (
    Assessment,
    ChapterFigure,
    Headline,
    IndicatorSelection,
    ReadinessOverride,
    WorkflowEvent,
)
from assessments.services import readiness, workflow, workspace

from .factories import (
    AppendixFactory,
    AssessmentFactory,
    ChapterFactory,
    CommentFactory,
    GeographyFactory,
    IndicatorFactory,
    ObservationFactory,
    RecommendationFactory,
)

pytestmark = pytest.mark.django_db

IN_A_WEEK = timezone.localdate() + dt.timedelta(days=7)


def image_bytes(size=(40, 30), kind="PNG", exif: bytes | None = None) -> bytes:
    out = io.BytesIO()
    options = {"exif": exif} if exif else {}
    Image.new("RGB", size, (200, 30, 30)).save(out, kind, **options)
    return out.getvalue()


def upload(content: bytes, name="map.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/png")


@pytest.fixture
def draft(partnership):
    return AssessmentFactory(partnership=partnership, status=Assessment.Status.DRAFT)


@pytest.fixture
def chapter(draft):
    return ChapterFactory(assessment=draft, slug="crime", title="Crime")


def edit_url(chapter, name="chapter_edit"):
    return reverse(
        name, args=[chapter.assessment.partnership.slug, chapter.assessment.year, chapter.slug]
    )


# Figures ------------------------------------------------------------------------------------


def post_figure(client, chapter, content, **fields):
    data = {
        "image": upload(content, fields.pop("name", "map.png")),
        "alt_text": "A map",
        "caption": "Crime by ward",
        "source": "Police",
        **fields,
    }
    return client.post(edit_url(chapter, "figure_upload"), data)


def test_a_figure_is_stored_and_shown_on_the_chapter_page(analyst_client, chapter):
    response = post_figure(analyst_client, chapter, image_bytes())
    assert response.status_code == 302
    figure = ChapterFigure.objects.get()
    assert (figure.number, figure.width, figure.height) == (1, 40, 30)
    chapter.narrative = "Before.\n\n[[figure:1]]\n\nAfter."
    chapter.save()
    page = analyst_client.get(chapter.get_absolute_url()).content.decode()
    assert 'alt="A map"' in page
    assert "Figure 1: Crime by ward<br>Source: Police" in page
    assert 'src="/assessments/testmk/2017/crime/figures/1/"' in page


def test_the_figure_image_is_served_to_readers_only(client, analyst, chapter, fire_partner):
    workspace.chapter_figure_add(
        chapter=chapter, image=upload(image_bytes()), alt_text="A map", caption="Crime", by=analyst
    )
    url = reverse("chapter_figure", args=["testmk", chapter.assessment.year, "crime", 1])
    client.force_login(analyst)
    response = client.get(url)
    assert response.status_code == 200
    assert Image.open(io.BytesIO(b"".join(response.streaming_content))).size == (40, 30)
    client.force_login(fire_partner)  # partners read a draft only from consultation on
    assert client.get(url).status_code == 404


def test_a_file_renamed_png_is_refused(analyst_client, chapter):
    response = post_figure(analyst_client, chapter, b"#!/bin/sh\necho not an image\n")
    assert response.status_code == 400
    assert "The file is not a PNG or JPEG image, or it is damaged" in response.content.decode()
    assert not ChapterFigure.objects.exists()


def test_another_image_format_is_refused(analyst_client, chapter):
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, "GIF")
    response = post_figure(analyst_client, chapter, out.getvalue(), name="map.png")
    assert "The file must be a PNG or JPEG image" in response.content.decode()
    assert not ChapterFigure.objects.exists()


def test_an_oversized_image_is_refused(analyst_client, chapter, monkeypatch):
    monkeypatch.setattr(workspace, "MAX_UPLOAD_BYTES", 1000)
    response = post_figure(analyst_client, chapter, image_bytes((300, 300)) + b"\0" * 2000)
    assert "The image must be smaller than" in response.content.decode()
    assert not ChapterFigure.objects.exists()


def test_an_image_with_too_many_pixels_is_refused(analyst_client, chapter, monkeypatch):
    monkeypatch.setattr(workspace, "MAX_SOURCE_PIXELS", 100)
    response = post_figure(analyst_client, chapter, image_bytes((20, 20)))
    assert "The image has too many pixels" in response.content.decode()


def test_a_large_image_is_scaled_down(analyst, chapter, monkeypatch):
    monkeypatch.setattr(workspace, "MAX_SIDE", 50)
    figure = workspace.chapter_figure_add(
        chapter=chapter,
        image=upload(image_bytes((400, 200))),
        alt_text="A map",
        caption="Crime",
        by=analyst,
    )
    assert (figure.width, figure.height) == (50, 25)


def test_an_image_without_alt_text_is_refused(analyst_client, chapter):
    response = post_figure(analyst_client, chapter, image_bytes(), alt_text="  ")
    page = response.content.decode()
    assert response.status_code == 400
    assert "Enter alternative text that describes the image" in page
    assert not ChapterFigure.objects.exists()


def test_exif_metadata_is_stripped(analyst, chapter):
    exif = Image.Exif()
    exif[0x010F] = "SpyCam Ltd"  # Make
    exif[0x8825] = {2: (52.0, 2.0, 0.0)}  # GPS latitude
    original = image_bytes(kind="JPEG", exif=exif.tobytes())
    assert b"SpyCam" in original
    figure = workspace.chapter_figure_add(
        chapter=chapter,
        image=upload(original, "photo.jpg"),
        alt_text="A street",
        caption="Street",
        by=analyst,
    )
    stored = figure.image.open("rb").read()
    assert b"SpyCam" not in stored
    assert not Image.open(io.BytesIO(stored)).getexif()
    assert figure.image.name.endswith(".jpg")


def test_a_partner_cannot_upload_or_edit(police_client, partnership):
    consultation = AssessmentFactory(partnership=partnership, status="consultation")
    chapter = ChapterFactory(assessment=consultation)
    assert police_client.get(edit_url(chapter)).status_code == 404
    assert post_figure(police_client, chapter, image_bytes()).status_code == 404
    assert not ChapterFigure.objects.exists()


# The editor ---------------------------------------------------------------------------------


def test_the_preview_uses_the_sites_renderer(analyst_client, chapter):
    text = (
        "## Heading\n\n- a\n- b\n\n| A | B |\n|---|---|\n| 1 | 2 |\n\n"
        "Note[^1]\n\n[^1]: Foot.\n\n<script>x</script>"
    )
    response = analyst_client.post(edit_url(chapter, "chapter_preview"), {"narrative": text})
    html = response.content.decode()
    assert "<h2>Heading</h2>" in html and "<li>a</li>" in html and "<td>1</td>" in html
    assert 'class="footnote"' in html
    assert "<script>" not in html


def test_two_people_editing_never_overwrite_each_other(client, analyst, chapter):
    first, second = client, type(client)()
    first.force_login(analyst)
    second.force_login(analyst)
    token = workspace.edit_token(chapter)  # both editors loaded the same version
    assert f'value="{token}"' in first.get(edit_url(chapter)).content.decode()
    saved = first.post(edit_url(chapter), {"narrative": "First person's text.", "token": token})
    assert saved.status_code == 302
    refused = second.post(edit_url(chapter), {"narrative": "Second person's text.", "token": token})
    page = refused.content.decode()
    assert refused.status_code == 200
    assert "Someone else saved this chapter while you were editing it" in page
    assert "First person&#x27;s text." in page  # theirs, shown
    assert "Second person&#x27;s text." in page  # yours, still in the editor
    chapter.refresh_from_db()
    assert chapter.narrative == "First person's text."
    # Saving again from the conflict page (with the new token) is the second person's choice.
    new_token = workspace.edit_token(chapter)
    assert f'value="{new_token}"' in page
    second.post(edit_url(chapter), {"narrative": "Merged text.", "token": new_token})
    chapter.refresh_from_db()
    assert chapter.narrative == "Merged text."


# Dashboard ----------------------------------------------------------------------------------


def dashboard_url(assessment):
    return reverse("dashboard", args=[assessment.partnership.slug, assessment.year])


@pytest.mark.parametrize("role", ["police_partner", "board_member", "outsider", "other_analyst"])
def test_only_the_analyst_and_the_chair_see_the_dashboard(client, request, assessment, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(dashboard_url(assessment)).status_code == 404


def test_the_dashboard_sends_anonymous_users_to_sign_in(client, assessment):
    response = client.get(dashboard_url(assessment))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_chair_sees_the_dashboard(chair_client, assessment):
    assert chair_client.get(dashboard_url(assessment)).status_code == 200


def _chapters(assessment, count, police_partner, area):
    for _ in range(count):
        chapter = ChapterFactory(assessment=assessment)
        RecommendationFactory(chapter=chapter)
        CommentFactory(chapter=chapter, author=police_partner)
        indicator = IndicatorFactory(partnership=assessment.partnership)
        IndicatorSelection.objects.create(
            chapter=chapter,
            indicator=indicator,
            period_type="fy",
            current_period_start=dt.date(2016, 4, 1),
            comparison_period_start=dt.date(2015, 4, 1),
        )
        ObservationFactory(indicator=indicator, geography=area, period_start=dt.date(2016, 5, 1))


def _dashboard_queries(client, assessment):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(dashboard_url(assessment))
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_the_dashboard_query_count_does_not_grow_with_chapters(
    analyst_client, partnership, police_partner
):
    area = GeographyFactory(partnership=partnership)
    few = AssessmentFactory(partnership=partnership, year=2017, status="consultation")
    many = AssessmentFactory(partnership=partnership, year=2018, status="consultation")
    _chapters(few, 3, police_partner, area)
    _chapters(many, 12, police_partner, area)
    few_queries, _ = _dashboard_queries(analyst_client, few)
    many_queries, page = _dashboard_queries(analyst_client, many)
    assert few_queries == many_queries
    assert page.count("1 without data for both periods") == 12  # only the current year has data
    assert page.count("1 open, 0 resolved") == 12
    assert "Test Police" in page


# Readiness ----------------------------------------------------------------------------------


@pytest.fixture
def ready(draft, analyst):
    """A draft that passes every check: one chapter with narrative, a recommendation, a figure
    with alternative text, an indicator with data for both periods and a headline that agrees."""
    area = GeographyFactory(partnership=draft.partnership)
    chapter = ChapterFactory(
        assessment=draft, slug="crime", title="Crime", narrative="Text.\n\n[[figure:1]]"
    )
    RecommendationFactory(chapter=chapter)
    workspace.chapter_figure_add(
        chapter=chapter, image=upload(image_bytes()), alt_text="A map", caption="Crime", by=analyst
    )
    indicator = IndicatorFactory(partnership=draft.partnership, name="All crime")
    selection = IndicatorSelection.objects.create(
        chapter=chapter,
        indicator=indicator,
        period_type="fy",
        current_period_start=dt.date(2016, 4, 1),
        comparison_period_start=dt.date(2015, 4, 1),
    )
    for start, value in ((dt.date(2015, 4, 1), 100), (dt.date(2016, 4, 1), 110)):
        ObservationFactory(
            indicator=indicator, geography=area, period_type="fy", period_start=start, value=value
        )
    Headline.objects.create(assessment=draft, selection=selection, text="Crime rose by 10%.")
    return draft


def rules(assessment):
    return [failure.rule for failure in readiness.readiness_failures(assessment)]


def test_a_complete_assessment_is_ready(ready):
    assert rules(ready) == []


def test_a_chapter_without_narrative_fails(ready):
    ready.chapters.update(narrative="")
    assert "narrative" in rules(ready)


def test_a_chapter_without_recommendation_fails(ready):
    ready.chapters.get().recommendations.all().delete()
    assert rules(ready) == ["recommendations"]


def test_an_indicator_without_data_for_both_periods_fails(ready):
    IndicatorSelection.objects.update(comparison_period_start=dt.date(2014, 4, 1))
    Headline.objects.all().delete()
    assert rules(ready) == ["data"]
    IndicatorSelection.objects.update(comparison_period_start=None)  # marked as baseline
    assert rules(ready) == []


def test_a_figure_without_alt_text_or_not_uploaded_fails(ready):
    ChapterFigure.objects.update(alt_text="  ")  # empty is refused by the database
    ready.chapters.update(narrative="Text.\n\n[[figure:1]]\n\n[[figure:2]]")
    failures = readiness.readiness_failures(ready)
    assert [f.rule for f in failures] == ["alt_text", "alt_text"]
    assert "refers to figure 2, which has not been uploaded" in failures[1].message


def test_a_headline_that_disagrees_with_the_data_fails(ready):
    Headline.objects.update(text="Crime rose by 12%.")
    assert rules(ready) == ["headline"]


def test_an_appendix_without_grants_fails_until_granted(ready, analyst, police_org):
    appendix = AppendixFactory(assessment=ready, title="Estates")
    failures = readiness.readiness_failures(ready)
    assert [f.message for f in failures] == [
        "Nobody has been given access to the appendix “Estates”"
    ]
    permissions.grant_appendix(appendix, organisation=police_org)
    assert rules(ready) == []


def test_opening_is_refused_while_checks_fail_and_lists_them(analyst_client, ready):
    ready.chapters.update(narrative="")
    url = reverse("transition", args=[ready.partnership.slug, ready.year])
    page = analyst_client.get(url, {"action": "open"}).content.decode()
    assert "“Crime” has no narrative" in page
    assert edit_url(ready.chapters.get()) in page  # the link to fix it
    response = analyst_client.post(url, {"action": "open", "closes_on": IN_A_WEEK})
    assert "The assessment is not ready: 1 check fails" in response.content.decode()
    ready.refresh_from_db()
    assert ready.status == "draft"


def test_an_override_is_recorded_with_who_when_and_why(analyst_client, analyst, chair, ready):
    ready.chapters.update(narrative="")
    url = reverse("transition", args=[ready.partnership.slug, ready.year])
    reason = "The board meets on Monday; the narrative follows in consultation."
    response = analyst_client.post(
        url, {"action": "open", "closes_on": IN_A_WEEK, "override_reason": reason}
    )
    assert response.status_code == 302
    ready.refresh_from_db()
    assert ready.status == "consultation"
    override = ReadinessOverride.objects.get()
    assert (override.by, override.reason, override.event.action) == (analyst, reason, "open")
    assert abs(override.at - timezone.now()) < dt.timedelta(minutes=1)
    assert override.failures == [{"rule": "narrative", "message": "“Crime” has no narrative"}]
    page = analyst_client.get(ready.get_absolute_url()).content.decode()
    assert f"Readiness checks overridden: {reason}" in page
    # Approval is checked again, for the chair.
    with pytest.raises(workflow.WorkflowError):
        workflow.assessment_transition(assessment=ready, action="approve", by=chair)
    assert WorkflowEvent.objects.filter(action="approve").count() == 0


def test_the_pdf_inlines_figures_as_data_uris(analyst, chapter):
    from assessments.services import reports

    workspace.chapter_figure_add(
        chapter=chapter, image=upload(image_bytes()), alt_text="A map", caption="Crime", by=analyst
    )
    chapter.narrative = "Before.\n\n[[figure:1]]"
    chapter.save()
    for only in (chapter, None):  # the chapter preview and the full report
        html = reports.report_html(
            assessment=chapter.assessment, variant="public", appendices=[], chapter=only
        )
        assert '<img src="data:image/png;base64,' in html
        assert "Figure 1: Crime" in html
        assert "/figures/1/" not in html
