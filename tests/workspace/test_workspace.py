"""The analyst's workspace: figures (re-encoded, refused when not images), the chapter editor
(preview, concurrent edits) and the dashboard (who sees it, constant queries)."""

from __future__ import annotations

import datetime as dt
import html
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from assessments.core.models import Assessment, ChapterFigure
from assessments.data_returns.models import DataRequest, DataReturn
from assessments.indicators.models import IndicatorSelection
from assessments.workspace import services as workspace
from assessments.workspace.selectors import dashboard_chapters
from assessments.workspace.services import chapter_figure_add, edit_token

from ..factories import (
    AssessmentFactory,
    ChapterFactory,
    CommentFactory,
    GeographyFactory,
    IndicatorFactory,
    ObservationFactory,
    RecommendationFactory,
    image_bytes,
    upload,
)

pytestmark = pytest.mark.django_db

IN_A_WEEK = timezone.localdate() + dt.timedelta(days=7)


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


def test_the_chapter_page_shows_a_figure_replaced_or_described_anew_at_once(
    analyst_client, chapter
):
    """The chapter page keeps its rendered narrative (issue 18): a figure uploaded, described
    anew or removed after the page was seen shows at once, the narrative itself unchanged."""
    chapter.narrative = "Before.\n\n[[figure:1]]\n\nAfter."
    chapter.save()
    analyst_client.get(chapter.get_absolute_url())
    post_figure(analyst_client, chapter, image_bytes())
    assert (
        "Figure 1: Crime by ward" in analyst_client.get(chapter.get_absolute_url()).content.decode()
    )
    figure = ChapterFigure.objects.get(chapter=chapter)
    figure.caption = "Burglary by ward"
    figure.save()
    page = analyst_client.get(chapter.get_absolute_url()).content.decode()
    assert "Figure 1: Burglary by ward" in page
    figure.delete()
    assert "Figure 1:" not in analyst_client.get(chapter.get_absolute_url()).content.decode()


def test_the_figure_image_is_served_to_readers_only(client, analyst, chapter, fire_partner):
    chapter_figure_add(
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


def test_an_image_over_the_sites_upload_limit_is_stopped_as_it_arrives(
    analyst_client, chapter, settings
):
    settings.UPLOAD_MAX_BYTES = 2_048
    response = post_figure(analyst_client, chapter, image_bytes((300, 300)) + b"\0" * 4_000)
    assert response.status_code == 400
    assert "The file is larger than 2.0 KB" in response.content.decode()
    assert not ChapterFigure.objects.exists()


def test_an_image_with_too_many_pixels_is_refused(analyst_client, chapter, monkeypatch):
    monkeypatch.setattr(workspace, "MAX_SOURCE_PIXELS", 100)
    response = post_figure(analyst_client, chapter, image_bytes((20, 20)))
    assert "The image has too many pixels" in response.content.decode()


def test_a_large_image_is_scaled_down(analyst, chapter, monkeypatch):
    monkeypatch.setattr(workspace, "MAX_SIDE", 50)
    figure = chapter_figure_add(
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
    figure = chapter_figure_add(
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
    token = edit_token(chapter)  # both editors loaded the same version
    assert f'value="{token}"' in first.get(edit_url(chapter)).content.decode()
    saved = first.post(edit_url(chapter), {"narrative": "First person's text.", "token": token})
    assert saved.status_code == 302
    refused = second.post(edit_url(chapter), {"narrative": "Second person's text.", "token": token})
    page = refused.content.decode()
    assert refused.status_code == 200
    assert "Someone else saved this chapter while you were editing it" in page
    # As the reader sees them: a box may write the apostrophe as &#39; or &#x27;.
    assert "First person's text." in html.unescape(page)  # theirs, shown
    assert "Second person's text." in html.unescape(page)  # yours, still in the editor
    chapter.refresh_from_db()
    assert chapter.narrative == "First person's text."
    # Saving again from the conflict page (with the new token) is the second person's choice.
    new_token = edit_token(chapter)
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
    response = chair_client.get(dashboard_url(assessment))
    assert response.status_code == 200
    # The tracking page is the analyst's alone: no link the chair would find refused.
    tracking = reverse("data_returns_tracking", args=[assessment.partnership.slug, assessment.year])
    assert tracking not in response.content.decode()


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
    # Not 2018: the readiness checks read last year's texts, which 2018 would have in 2017.
    many = AssessmentFactory(partnership=partnership, year=2019, status="consultation")
    _chapters(few, 3, police_partner, area)
    _chapters(many, 12, police_partner, area)
    few_queries, _ = _dashboard_queries(analyst_client, few)
    many_queries, page = _dashboard_queries(analyst_client, many)
    assert few_queries == many_queries
    assert page.count("1 missing a period's data") == 12  # only the current year has data
    assert page.count("1 open, 0 resolved") == 12
    assert "Test Police" in page


def test_a_period_with_only_comparator_figures_is_without_data(partnership):
    """A period where only the force has figures is a period without the area's data."""
    area = GeographyFactory(partnership=partnership)
    assessment = AssessmentFactory(partnership=partnership, year=2017)
    chapter = ChapterFactory(assessment=assessment)
    indicator = IndicatorFactory(partnership=partnership)
    chapter.selections.create(
        indicator=indicator,
        period_type="fy",
        current_period_start=dt.date(2016, 4, 1),
        comparison_period_start=dt.date(2015, 4, 1),
    )
    force = GeographyFactory(partnership=partnership, level="force", name="Test Police")
    ObservationFactory(indicator=indicator, geography=area, period_start=dt.date(2016, 5, 1))
    ObservationFactory(indicator=indicator, geography=force, period_start=dt.date(2015, 5, 1))
    (row,) = dashboard_chapters(assessment)
    assert row.selections_without_data == 1


def _data_request(assessment, organisation, title, due_on, *, sent=True):
    return DataRequest.objects.create(
        assessment=assessment,
        organisation=organisation,
        title=title,
        first_period_start=dt.date(2016, 1, 1),
        last_period_start=dt.date(2016, 3, 1),
        due_on=due_on,
        sent_at=timezone.now() if sent else None,
    )


def _returned(data_request, *, correction=False):
    return DataReturn.objects.create(
        request=data_request,
        file="x.csv",
        original_name="x.csv",
        correction_requested_at=timezone.now() if correction else None,
    )


def _returns_panel(page: str) -> str:
    return page.split('id="data-returns"')[1].split("<h2")[0]


def test_the_dashboard_lists_the_organisations_that_still_owe_data(
    analyst_client, assessment, police_org, fire_org
):
    today = timezone.localdate()
    _data_request(assessment, police_org, "Crimes by month", today - dt.timedelta(days=3))
    _data_request(assessment, fire_org, "Fires by month", today + dt.timedelta(days=7))
    _returned(_data_request(assessment, fire_org, "Call-outs", today), correction=True)
    _returned(_data_request(assessment, police_org, "Already back", today))
    _data_request(assessment, police_org, "Not sent yet", today, sent=False)
    panel = _returns_panel(analyst_client.get(dashboard_url(assessment)).content.decode())
    late = f"{today - dt.timedelta(days=3):%-d %B %Y}"
    assert "Test Police" in panel and "Crimes by month" in panel and "Overdue" in panel
    assert late in panel
    assert "Test Fire" in panel and "Fires by month" in panel and "Awaiting" in panel
    assert "Call-outs" in panel and "Needs correction" in panel
    # Received, and not yet asked for, are not owed.
    assert "Already back" not in panel and "Not sent yet" not in panel
    tracking = reverse("data_returns_tracking", args=[assessment.partnership.slug, assessment.year])
    assert f'href="{tracking}"' in panel


def test_the_dashboard_says_when_no_data_is_outstanding(analyst_client, assessment, police_org):
    _returned(_data_request(assessment, police_org, "Already back", timezone.localdate()))
    panel = _returns_panel(analyst_client.get(dashboard_url(assessment)).content.decode())
    assert "None outstanding" in panel and "Already back" not in panel


def test_the_data_returns_panel_query_count_does_not_grow_with_requests(
    analyst_client, assessment, police_org, fire_org, django_assert_num_queries
):
    due = timezone.localdate() + dt.timedelta(days=7)
    _data_request(assessment, police_org, "Request 0", due)
    one, _ = _dashboard_queries(analyst_client, assessment)
    for n in range(1, 7):
        request = _data_request(assessment, (police_org, fire_org)[n % 2], f"Request {n}", due)
        if n % 3 == 0:
            _returned(request, correction=True)
    with django_assert_num_queries(one):
        page = analyst_client.get(dashboard_url(assessment)).content.decode()
    assert _returns_panel(page).count("Request ") == 7


# The places a chapter's figures are compared with -------------------------------------------


def _selection_with_places(partnership, other_partnership, chapter):
    selection = IndicatorSelection.objects.create(
        chapter=chapter,
        indicator=IndicatorFactory(partnership=partnership, name="All crime"),
        current_period_start=dt.date(2016, 4, 1),
    )
    force = GeographyFactory(partnership=partnership, level="force", name="Thames Valley")
    lsoa = GeographyFactory(partnership=partnership, level="lsoa", name="Testville 001A")
    theirs = GeographyFactory(partnership=other_partnership, level="force", name="Northshire")
    return selection, force, lsoa, theirs


def test_the_analyst_chooses_the_places_to_compare_with_in_the_editor(
    analyst_client, partnership, other_partnership, chapter
):
    selection, force, lsoa, theirs = _selection_with_places(partnership, other_partnership, chapter)

    page = analyst_client.get(edit_url(chapter)).content.decode()
    assert "Places to compare with" in page and ">Thames Valley</label>" in page
    assert "Testville 001A" not in page and "Northshire" not in page
    field = f"selection-{selection.pk}"
    response = analyst_client.post(edit_url(chapter, "chapter_comparators"), {field: [force.pk]})

    assert response.status_code == 302 and response.url.endswith("/edit/#compare")
    assert list(selection.comparators.all()) == [force]
    page = analyst_client.get(edit_url(chapter)).content.decode()
    assert f'value="{force.pk}" checked>' in page


def test_another_partnerships_place_is_refused_and_nothing_is_saved(
    analyst_client, police_partner, partnership, other_partnership, chapter
):
    selection, force, lsoa, theirs = _selection_with_places(partnership, other_partnership, chapter)
    field = f"selection-{selection.pk}"
    url = edit_url(chapter, "chapter_comparators")

    for place in (theirs, lsoa):
        response = analyst_client.post(url, {field: [force.pk, place.pk]})
        assert response.status_code == 400
        assert "Select a valid choice" in response.content.decode()
    analyst_client.force_login(police_partner)
    assert analyst_client.post(url, {field: [force.pk]}).status_code == 404
    assert not selection.comparators.exists()


# The front matter's texts (issue 32) ----------------------------------------------------------


def text_url(assessment, text, name="assessment_text_edit"):
    return reverse(name, args=[assessment.partnership.slug, assessment.year, text])


def test_the_analyst_writes_the_introduction_in_the_editor_with_its_preview(analyst_client, draft):
    page = analyst_client.get(text_url(draft, "introduction")).content.decode()
    assert "Edit the introduction" in page and 'data-module="app-markdown-editor"' in page
    preview = analyst_client.post(
        text_url(draft, "introduction", "assessment_text_preview"),
        {"narrative": "## Why\n\n- one\n\n<script>x</script>"},
    ).content.decode()
    assert "<h2>Why</h2>" in preview and "<li>one</li>" in preview and "<script>" not in preview
    token = workspace.text_token("")
    saved = analyst_client.post(
        text_url(draft, "introduction"), {"narrative": "Our 2017 assessment.", "token": token}
    )
    assert saved.status_code == 302
    draft.refresh_from_db()
    assert draft.introduction == "Our 2017 assessment."
    # The executive summary and gaps in knowledge have the same editor; nothing else does.
    for text in ("executive-summary", "gaps-in-knowledge"):
        assert analyst_client.get(text_url(draft, text)).status_code == 200
    assert analyst_client.get(text_url(draft, "title")).status_code == 404
    dashboard = analyst_client.get(dashboard_url(draft)).content.decode()
    assert text_url(draft, "executive-summary") in dashboard


def test_a_save_over_someone_elses_introduction_is_refused(analyst_client, draft):
    stale = workspace.text_token(draft.introduction)
    draft.introduction = "Their introduction."
    draft.save()
    refused = analyst_client.post(
        text_url(draft, "introduction"), {"narrative": "Mine.", "token": stale}
    )
    page = html.unescape(refused.content.decode())
    assert "Someone else saved this text while you were editing it" in page
    assert "Their introduction." in page and "Mine." in page
    draft.refresh_from_db()
    assert draft.introduction == "Their introduction."


def test_a_partner_cannot_edit_the_introduction(police_client, partnership):
    consultation = AssessmentFactory(partnership=partnership, status="consultation")
    token = workspace.text_token(consultation.introduction)
    for name in ("assessment_text_edit", "assessment_text_preview"):
        url = text_url(consultation, "introduction", name)
        assert (
            police_client.post(url, {"narrative": "Partner's.", "token": token}).status_code == 404
        )
    consultation.refresh_from_db()
    assert consultation.introduction != "Partner's."
