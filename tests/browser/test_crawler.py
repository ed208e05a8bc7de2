"""The crawler (issues 17 and 33): each role, on the demo in each state, follows the same-site
links it is shown in real Chromium, one page per URL pattern, and every page it reaches answers,
logs no console error, passes axe (WCAG 2.2 A/AA) and, in the one visit, fits a 1280-pixel
window and a phone's 375: the page scrolls down only (a wide table scrolls in its own box) and
no chart lettering is under 12 pixels (its font size times the SVG's getScreenCTM scale).

The roles: the public, the analyst, the chair, police (granted restricted appendices), fire
(not granted), and another partnership's analyst. The states: draft, consultation, closed
(consultation with its end recorded), approved, and published as the workflow leaves it,
approved, published and corrected as a second edition.

Each role crawls in a test of its own, so that a parallel run crawls as several at once.
Sampling keeps each role's crawl within a minute or two:
- one page per URL pattern (the pattern, not the row, decides what a view serves the person);
- pages that name no assessment (privacy, people, data requests, the admin) look the same in
  every state, so each role samples them once, not once per state;
- in the admin the crawler reaches whatever the site links to, the assessment's and a chapter's
  change pages, and the index and change lists it can follow from there; the admin's other
  forms are Django's own, walked pattern by pattern by tests/test_admin_tenancy.py.
- axe checks a page whose markup, its words aside, it has not passed before in the run
  (conftest.py's axe_violations), at 1280 pixels only.
Sign-out and downloads of files a worker has not rendered are not followed (site_links.py);
other downloads are asked for, not rendered."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from django.urls import resolve, reverse
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

from assessments.consultation.models import Comment

from ..factories import AssessmentFactory, ChapterFactory, PartnershipFactory, member
from ..journeys.demo_states import ROLES, STATES, put_in_state
from ..site_links import HREF, links_by_pattern, pattern_of
from .conftest import axe_violations, sign_in, watch_console

pytestmark = pytest.mark.django_db(transaction=True)

WINDOW = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 800}
ANONYMOUS = "anonymous"
OTHER_ANALYST = "other-analyst"  # the analyst of another partnership
ONE_PAGE = '<html lang="en-GB"><title>Edition</title><p>The report.</p></html>'
# Chart lettering smaller than this on a phone, the font size times the scale the SVG is drawn
# at (getScreenCTM), is too small to read; text hidden at this width is not counted.
SMALL_CHART_TEXT = """() => [...document.querySelectorAll("svg text")]
  .filter(text => text.checkVisibility())
  .map(text => {
    const matrix = text.getScreenCTM();
    const size = parseFloat(getComputedStyle(text).fontSize) * Math.hypot(matrix.a, matrix.b);
    return [text.textContent, Math.round(size * 10) / 10];
  })
  .filter(([, size]) => size < 12)"""
# Only the analyst may open the admin: a link into it shown to anyone else is a dead end
# ("authenticated as chair, but are not authorized"; issue 33).
ADMIN_USERS = {"analyst", OTHER_ANALYST}


def starting_points(assessment, role: str) -> list[str]:
    slug, year = assessment.partnership.slug, assessment.year
    chapter = assessment.chapters.order_by("order").first()
    pages = [
        reverse("home"),
        reverse("assessment", args=[slug, year]),
        reverse("dashboard", args=[slug, year]),
        reverse("chapter", args=[slug, year, chapter.slug]),
    ]
    if role == "analyst":
        pages += [
            reverse("admin:assessments_assessment_change", args=[assessment.pk]),
            reverse("admin:assessments_chapter_change", args=[chapter.pk]),
        ]
    return pages


def is_admin(url: str) -> bool:
    return urlsplit(url).path.startswith("/admin/")


def names_an_assessment(href: str) -> bool:
    return "year" in resolve(urlsplit(href).path).kwargs


def followed_from_admin(name: str) -> bool:
    return name in {"admin:index", "admin:app_list"} or name.endswith("_changelist")


@dataclass
class Crawler:
    """One role's browser, crawling the demo in one state after another."""

    page: Page
    role: str
    console: list[str]
    problems: list[str] = field(default_factory=list)
    sampled_once: set[str] = field(default_factory=set)  # patterns that name no assessment
    pages_checked: int = 0

    def crawl(self, state: str, starts: list[str]) -> None:
        sampled: set[str] = set()

        def unseen(name: str, href: str) -> bool:
            seen = sampled if names_an_assessment(href) else self.sampled_once
            if name in seen:
                return False
            seen.add(name)
            return True

        queue = deque((url, True) for url in starts if unseen(pattern_of(url), url))
        while queue:
            url, is_start = queue.popleft()
            html = self.visit(url, state, is_start=is_start)
            for name, href in links_by_pattern(html).items():
                if (not is_admin(url) or followed_from_admin(name)) and unseen(name, href):
                    queue.append((href, False))

    def visit(self, url: str, state: str, *, is_start: bool) -> str:
        """The page's HTML once checked ("" when there is nothing to follow from it). A starting
        point may refuse the role (it is not a link shown to them); a link shown may not."""
        where = f"{url} ({self.role}, {state})"
        self.console.clear()
        try:
            response = self.page.goto(url)
        except PlaywrightError as error:
            if "Download is starting" not in error.message:
                self.problems.append(f"{where}: {error.message.splitlines()[0]}")
                return ""
            response = self.page.request.get(url)  # a download: its answer, not rendered
            if response.status >= 400:
                self.problems.append(f"{where}: the download answers {response.status}")
            return ""
        if response.status >= 500 or (response.status >= 400 and not is_start):
            self.problems.append(f"{where}: answers {response.status}")
        if response.status >= 400:
            return ""
        html = self.page.content()
        self.check(where, html)
        return html

    def check(self, where: str, html: str) -> None:
        """At 1280 pixels and on a phone's 375, in the one visit: first at the width the last
        page was left at, so that each page costs one resize, not two."""
        self.pages_checked += 1
        if self.role not in ADMIN_USERS and not is_admin(self.page.url):
            into_admin = sorted({href for href in HREF.findall(html) if is_admin(href)})
            if into_admin:
                self.problems.append(f"{where}: links into the admin: {', '.join(into_admin)}")
        widths = (WINDOW, PHONE) if self.page.viewport_size == WINDOW else (PHONE, WINDOW)
        for window in widths:
            if self.page.viewport_size != window:
                self.page.set_viewport_size(window)
            self.check_width(where)
            if window == PHONE:
                self.check_chart_text(where)
            else:  # axe once, at 1280 (the page's skeleton digest counts the window's size)
                # Admin's stylesheets @import others, which axe could read only against the CSP.
                for violation in axe_violations(self.page, read_css=not is_admin(self.page.url)):
                    self.problems.append(f"{where}: axe {violation}")
        self.problems.extend(f"{where}: console error {error}" for error in self.console)

    def check_chart_text(self, where: str) -> None:
        small = self.page.evaluate(SMALL_CHART_TEXT)
        if small:
            self.problems.append(
                f"{where}: {len(small)} chart texts under 12 pixels at {PHONE['width']}, "
                f"such as {small[:3]}"
            )

    def check_width(self, where: str) -> None:
        """The page scrolls down only: what is wider than the window scrolls in its own box."""
        width, window = self.page.evaluate(
            "[document.documentElement.scrollWidth, window.innerWidth]"
        )
        if width > window:
            self.problems.append(f"{where}: {width} pixels wide in a {window} window")


def in_state(demo, state: str):
    """The demo in the state; "published" approves and publishes it through the workflow."""
    if state != "published":
        return put_in_state(demo, state)
    from assessments.demo.editions import demo_editions_load  # noqa: PLC0415

    return demo_editions_load(put_in_state(demo, "consultation"))


@pytest.fixture
def one_page_pdfs(monkeypatch):
    """Every PDF rendered during the crawl a page long: the crawl asks for PDFs without reading
    them, and the report's renders (two at each publication) took half a minute to a minute
    of each role's test."""
    from assessments.reporting import pdf  # noqa: PLC0415

    render = pdf.render_pdf
    monkeypatch.setattr(pdf, "render_pdf", lambda html, **options: render(ONE_PAGE, **options))


def another_partnership():
    """A second partnership with a year of its own and its analyst (OTHER_ANALYST)."""
    elsewhere = PartnershipFactory(slug="elsewhere", name="Elsewhere Partnership")
    member(elsewhere, "analyst", username=OTHER_ANALYST, is_staff=True)
    assessment = AssessmentFactory(partnership=elsewhere)
    ChapterFactory(assessment=assessment)
    return assessment


@pytest.mark.slow(reason="a role's crawl of every state at two widths: dozens of pages, axe")
@pytest.mark.parametrize("role", [ANONYMOUS, *ROLES, OTHER_ANALYST])
def test_every_page_a_role_reaches_in_each_state_answers_passes_axe_and_fits(
    browser, live_server, demo, role, one_page_pdfs
):
    """One test per role, so that a parallel run crawls as several roles at once. Another
    partnership's analyst crawls their own year, a draft whatever the demo's state, once: the
    demo's pages refuse them, and its public pages have the same patterns as their own."""
    theirs = another_partnership()
    context = browser.new_context(base_url=live_server.url, locale="en-GB", viewport=WINDOW)
    page = context.new_page()
    page.set_default_timeout(15_000)
    crawler = Crawler(page, role, watch_console(page))
    if role != ANONYMOUS:
        sign_in(page, role)
    if role == OTHER_ANALYST:
        crawler.crawl("draft", starting_points(theirs, "analyst"))
    for state in [] if role == OTHER_ANALYST else STATES:
        crawler.crawl(state, starting_points(in_state(demo, state), role))
    context.close()
    # A crawl that reaches nothing would pass: each role has a round of pages to check.
    assert crawler.pages_checked >= (5 if role == OTHER_ANALYST else 2 * len(STATES))
    problems = crawler.problems
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)


@pytest.mark.slow(reason="eight admin pages, each checked by axe: 8-13 s")
def test_the_admin_forms_beyond_the_crawl_pass_axe_and_the_csp(browser, live_server, demo):
    """The admin pages the crawl does not follow into, of the kinds where it once found faults:
    history lists (an inline style the CSP refused), date-and-time boxes without names, guardian's
    unlabelled ticks, import-export's "Select all" box, delete pages' links told by colour."""
    chapter = demo.chapters.order_by("order").first()
    comment = Comment.objects.filter(chapter__assessment=demo).first()
    appendix = demo.appendices.first()
    pages = [
        reverse("admin:assessments_assessment_history", args=[demo.pk]),
        reverse("admin:assessments_chapter_history", args=[chapter.pk]),
        reverse("admin:assessments_comment_change", args=[comment.pk]),
        reverse("admin:assessments_comment_add"),
        reverse("admin:assessments_appendix_permissions", args=[appendix.pk]),
        reverse("admin:assessments_geography_export"),
        reverse("admin:assessments_assessment_delete", args=[demo.pk]),
        reverse("admin:assessments_chapter_delete", args=[chapter.pk]),
    ]
    context = browser.new_context(base_url=live_server.url, locale="en-GB", viewport=WINDOW)
    page = context.new_page()
    crawler = Crawler(page, "analyst", watch_console(page))
    sign_in(page, "analyst")
    for url in pages:
        crawler.visit(url, "draft", is_start=False)
    context.close()
    assert crawler.pages_checked == len(pages)
    assert not crawler.problems, "\n".join(crawler.problems)
