"""The consultation in real Chromium: police comments on a paragraph and a recommendation and
replies, the analyst resolves, police sees it resolved; with JavaScript (htmx, in place) and
without it; posting with the keyboard only; axe on every page on the way."""

import pytest
from playwright.sync_api import Page, expect

from assessments.demo.scale import demo_long_discussion

from .conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

CHAPTER = "/assessments/safermk/2017/violence/"
PARAGRAPH_COMMENT = "Please say the rise follows the new recording rules of April."
RECOMMENDATION_COMMENT = "Who leads this? We suggest the council's licensing team."
REPLY = "Agreed: the fire service sees the same pattern."
RESPONSE = "Added a sentence on recording practice."


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()


def thread(page: Page, text: str):
    return page.locator("article.app-comment-thread", has_text=text)


def police_comments_and_replies(page: Page) -> None:
    sign_in(page, "police")
    page.goto(CHAPTER)
    page.get_by_label("What is your comment about?").select_option(index=1)
    page.get_by_label("Your comment", exact=True).fill(PARAGRAPH_COMMENT)
    page.get_by_role("button", name="Post comment").click()
    expect(page.get_by_text("Your comment has been posted")).to_be_visible()
    expect(thread(page, PARAGRAPH_COMMENT)).to_be_visible()
    expect(page.get_by_role("heading", name="On paragraph 1")).to_be_visible()

    page.get_by_role("link", name="Comment on this recommendation (1)").click()
    expect(page.get_by_label("What is your comment about?")).to_have_value(
        page.locator("#comment-on option", has_text="Recommendation 1").get_attribute("value")
    )
    page.get_by_label("Your comment", exact=True).fill(RECOMMENDATION_COMMENT)
    page.get_by_role("button", name="Post comment").click()
    expect(thread(page, RECOMMENDATION_COMMENT)).to_be_visible()
    expect(page.get_by_role("heading", name="On recommendation 1")).to_be_visible()

    paragraph_thread = thread(page, PARAGRAPH_COMMENT)
    paragraph_thread.locator("summary", has_text="Reply").click()
    paragraph_thread.get_by_label("Your reply").fill(REPLY)
    paragraph_thread.get_by_role("button", name="Post reply").click()
    expect(page.get_by_text("Your reply has been posted")).to_be_visible()
    expect(thread(page, PARAGRAPH_COMMENT).get_by_text(REPLY)).to_be_visible()
    sign_out(page)


def analyst_resolves(page: Page) -> None:
    sign_in(page, "analyst")
    page.goto(CHAPTER)
    paragraph_thread = thread(page, PARAGRAPH_COMMENT)
    paragraph_thread.locator("summary", has_text="Resolve").click()
    paragraph_thread.get_by_label("Response to the partners (optional)").fill(RESPONSE)
    paragraph_thread.get_by_role("button", name="Resolve discussion").click()
    expect(page.get_by_text("The discussion has been resolved")).to_be_visible()
    expect(thread(page, PARAGRAPH_COMMENT).get_by_text("Resolved", exact=True)).to_be_visible()
    sign_out(page)


def police_sees_it_resolved(page: Page) -> None:
    sign_in(page, "police")
    page.goto(CHAPTER)
    resolved = thread(page, PARAGRAPH_COMMENT)
    expect(resolved.get_by_text("Resolved", exact=True)).to_be_visible()
    expect(resolved.get_by_text(RESPONSE)).to_be_visible()
    expect(thread(page, RECOMMENDATION_COMMENT).get_by_text("Open", exact=True)).to_be_visible()


@pytest.mark.slow(
    reason="a partner comments, the analyst replies and resolves: two sign-ins, six pages"
)
def test_comment_reply_resolve_with_javascript(page, demo):
    police_comments_and_replies(page)
    analyst_resolves(page)
    police_sees_it_resolved(page)
    assert_accessible(page)


@pytest.mark.slow(reason="posts, replies and resolves in Chromium, waiting for each htmx answer")
def test_htmx_posts_in_place_without_reloading(page, demo):
    sign_in(page, "police")
    page.goto(CHAPTER)
    page.evaluate("window.stillTheSamePage = true")
    page.get_by_label("Your comment", exact=True).fill("Posted in place.")
    page.get_by_role("button", name="Post comment").click()
    expect(thread(page, "Posted in place.")).to_be_visible()
    assert page.evaluate("window.stillTheSamePage === true")
    page.get_by_role("radio", name="Support with changes").first.check()
    page.get_by_label("Which changes, or why not").first.fill("Name the car parks.")
    page.get_by_role("button", name="Save response to recommendation 1").click()
    expect(page.get_by_text("Your organisation’s response has been saved")).to_be_visible()
    assert page.evaluate("window.stillTheSamePage === true")


@pytest.mark.slow(
    reason="a partner comments, the analyst replies and resolves: two sign-ins, six pages"
)
def test_comment_reply_resolve_without_javascript(page_without_js, demo):
    police_comments_and_replies(page_without_js)
    analyst_resolves(page_without_js)
    police_sees_it_resolved(page_without_js)


@pytest.mark.slow(reason="types and posts a comment in Chromium with the keyboard alone")
def test_posting_with_the_keyboard_only(page, demo):
    sign_in(page, "police")
    page.goto(CHAPTER)
    for _ in range(200):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "comment-body":
            break
    else:
        pytest.fail("Tab never reached the comment box")
    page.keyboard.type("Typed without a mouse.")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Post comment"
    page.keyboard.press("Enter")
    expect(thread(page, "Typed without a mouse.")).to_be_visible()
    # Focus lands on the confirmation, so the keyboard user knows where they are.
    expect(page.locator(".govuk-notification-banner--success")).to_be_focused()


@pytest.mark.slow(reason="axe on every consultation page, as a partner and as the analyst")
def test_pages_of_the_consultation_pass_axe(page, demo):
    page.goto("/accounts/login/")
    assert_accessible(page)
    page.goto("/accounts/password-reset/")
    assert_accessible(page)
    sign_in(page, "analyst")
    assert_accessible(page)  # home
    page.goto("/assessments/safermk/2017/")
    expect(page.get_by_role("heading", name="Manage this assessment")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Extend the consultation").click()
    assert_accessible(page)
    page.goto("/assessments/safermk/2017/feedback/")
    assert_accessible(page)
    page.goto("/partnerships/safermk/people/")
    assert_accessible(page)
    page.goto("/accounts/notifications/")
    assert_accessible(page)


@pytest.mark.slow(reason="hundreds of comments on the page, and axe on it and its comments pages")
def test_a_long_discussion_and_its_comments_pages_pass_axe(page, demo):
    demo_long_discussion(demo.chapters.get(slug="crime"), 60)
    sign_in(page, "analyst")
    page.goto("/assessments/safermk/2017/crime/")
    expect(page.locator("article.app-comment-thread")).to_have_count(10)
    assert_accessible(page)
    page.get_by_role("link", name="Show all 63 comments on this chapter").click()
    page.get_by_role("link", name="Next page").click()
    expect(page.get_by_role("heading", name="Discussions 21 to 22 of 22")).to_be_visible()
    assert_accessible(page)
    # The comments pages post without htmx: a reply comes back to the page that shows it.
    old = page.locator("article.app-comment-thread").first
    old.locator("summary", has_text="Reply").click()
    old.get_by_label("Your reply").fill("Still open for us.")
    old.get_by_role("button", name="Post reply").click()
    expect(page.locator(".app-comment", has_text="Still open for us.")).to_be_visible()
