"""The chapter editor's text area is in the site's typeface, as its preview is."""

import pytest
from playwright.sync_api import expect

from .conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def font_of(page, selector: str) -> str:
    return page.locator(selector).first.evaluate("e => getComputedStyle(e).fontFamily")


@pytest.mark.slow(reason="the editor and its preview in Chromium, fonts measured")
def test_the_editor_and_its_preview_share_the_site_font(page, demo):
    sign_in(page, "analyst")
    page.goto("/assessments/safermk/2017/crime/edit/")
    editor = page.locator(".EasyMDEContainer .CodeMirror")
    expect(editor).to_be_visible()
    site_font = font_of(page, "#chapter-preview p")
    assert "arial" in site_font.lower()
    assert font_of(page, ".EasyMDEContainer .CodeMirror") == site_font
