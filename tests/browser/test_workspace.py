"""The analyst's day in real Chromium: dashboard → chapter editor → live preview → figure upload
→ the figure on the chapter page and in the chapter's PDF preview. Also the editor without
JavaScript (a plain textarea) and axe on the dashboard and the editor."""

import io

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from assessments.core.models import Chapter, ChapterFigure

from .conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

CAPTION = "Burglaries by ward, 2017"


def _png() -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (320, 200), "white")
    ImageDraw.Draw(image).rectangle((40, 40, 280, 160), fill=(29, 112, 184))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


@pytest.mark.slow(
    reason="the editor, its preview, an upload, the chapter page and a rendered PDF preview"
)
def test_the_analyst_edits_previews_and_places_a_figure(page, demo):
    sign_in(page, "analyst")
    page.goto("/assessments/safermk/2017/dashboard/")
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Crime (edit)", exact=True).click()
    expect(page.get_by_role("heading", name="Edit “Crime”")).to_be_visible()
    editor = page.locator(".EasyMDEContainer .CodeMirror")
    expect(editor).to_be_visible()  # the widget replaced the textarea
    assert_accessible(page)

    editor.click()
    page.keyboard.press("Control+End")
    page.keyboard.type("\n\n## Added in the editor\n\n[[figure:1]]\n")
    preview = page.locator("#chapter-preview")
    expect(preview.get_by_role("heading", name="Added in the editor")).to_be_visible()
    page.keyboard.press("Tab")  # no keyboard trap: Tab leaves the editor
    expect(page.get_by_role("button", name="Save the chapter")).to_be_focused()
    page.get_by_role("button", name="Save the chapter").click()
    expect(page.get_by_text("The chapter has been saved")).to_be_visible()
    assert "## Added in the editor" in Chapter.objects.get(slug="crime").narrative

    page.get_by_label("Image").set_input_files(
        files=[{"name": "map.png", "mimeType": "image/png", "buffer": _png()}]
    )
    page.get_by_label("Alternative text").fill("Map of Milton Keynes wards shaded by burglaries")
    page.get_by_label("Caption").fill(CAPTION)
    page.get_by_label("Source (optional)").fill("Thames Valley Police")
    page.get_by_role("button", name="Upload the figure").click()
    expect(page.get_by_text("Figure 1 has been uploaded")).to_be_visible()
    expect(preview.get_by_role("img", name="Map of Milton Keynes wards")).to_be_visible()
    assert ChapterFigure.objects.get().caption == CAPTION

    page.get_by_role("link", name="View as partner").click()
    expect(page.get_by_text("You are seeing this chapter as a partner sees it")).to_be_visible()
    figure = page.get_by_role("img", name="Map of Milton Keynes wards shaded by burglaries")
    expect(figure).to_be_visible()
    # Visible is not yet loaded: wait for the image itself before measuring it.
    image = figure.element_handle()
    page.wait_for_function("img => img.complete", arg=image)
    assert page.evaluate("img => img.naturalWidth", image) == 320
    expect(page.get_by_text(f"Figure 1: {CAPTION}")).to_be_visible()

    page.get_by_role("link", name="Back to editing").click()
    page.get_by_role("button", name="Preview PDF of this chapter").click()
    expect(page.get_by_role("heading", name="Your PDF is ready")).to_be_visible(timeout=60_000)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the PDF").click()
    text = " ".join(p.extract_text() for p in PdfReader(download.value.path()).pages)
    assert "Added in the editor" in text
    assert CAPTION in " ".join(text.split())
    assert "Contents" not in text  # one chapter, not the whole report


@pytest.mark.slow(reason="the editor in Chromium without JavaScript, saved and read back")
def test_without_javascript_the_editor_is_a_textarea_that_saves(page_without_js, demo):
    page = page_without_js
    sign_in(page, "analyst")
    page.goto("/assessments/safermk/2017/crime/edit/")
    page.get_by_label("Narrative").fill("Rewritten without JavaScript.")
    page.get_by_role("button", name="Save the chapter").click()
    expect(page.get_by_text("The chapter has been saved")).to_be_visible()
    expect(page.locator("#chapter-preview")).to_contain_text("Rewritten without JavaScript.")
