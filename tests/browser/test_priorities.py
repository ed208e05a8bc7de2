"""Partners score theme by theme in real Chromium with the keyboard alone: police leaves after
four themes and finds them saved when it comes back; the page for one theme stays short; the
ranking is hidden from police until it has scored every theme. The analyst then finds police's
scores in the spread of the results page. The pages pass axe."""

import pytest
from playwright.sync_api import Page, expect

from assessments.priorities.models import OrganisationScore

from .conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

POLICE = "Thames Valley Police"
SCORE = "/assessments/safermk/2017/priorities/score/"
RESULTS = "/assessments/safermk/2017/priorities/"


def _tab_to(page: Page, selector: str, limit: int = 200) -> None:
    """Press Tab until the focus is on an element matching the selector."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.matches({selector!r})"):
            return
    raise AssertionError(f"Tab never reached {selector}")


def _score_by_keyboard(page: Page, group: str, steps: int, comment: str = "") -> None:
    """Tab into a radio group, move the choice with the arrow keys, then write the comment."""
    _tab_to(page, f"input[name={group}]")
    for _ in range(steps):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")  # the comment box follows its radio group
    page.keyboard.type(comment)


def _follow_by_keyboard(page: Page, selector: str) -> None:
    """Tab to a link or button and press Enter on it."""
    _tab_to(page, selector)
    page.keyboard.press("Enter")
    page.wait_for_load_state()


def _save_by_keyboard(page: Page) -> None:
    _follow_by_keyboard(page, "button[type=submit]")


def _page_height(page: Page) -> int:
    return page.evaluate("document.documentElement.scrollHeight")


@pytest.mark.slow(reason="scores nine themes by keyboard in Chromium, leaving and coming back")
def test_police_scores_theme_by_theme_leaves_comes_back_and_then_sees_the_ranking(page, demo):
    themes = list(demo.chapters.themes().order_by("order"))
    criteria = list(demo.priority_criteria.all())
    volume, harm = criteria[0], next(c for c in criteria if c.name == "Harm to victims")
    OrganisationScore.objects.filter(organisation__name=POLICE).delete()
    sign_in(page, "police")

    # Before scoring, the ranking is hidden, with why and the way to scoring.
    page.goto(RESULTS)
    expect(page.locator("#ranking")).to_have_count(0)
    expect(page.locator("#ranking-hidden")).to_contain_text("0 of 9 themes scored so far")
    assert_accessible(page)
    _follow_by_keyboard(page, "#ranking-hidden a")
    expect(page.locator("#scoring-progress")).to_have_text("0 of 9 themes scored")
    assert_accessible(page)

    _follow_by_keyboard(page, "a.govuk-button")
    expect(page.get_by_role("heading", level=1)).to_have_text(themes[0].title)
    # The data's proposal and its figure beside Volume (and Trend).
    expect(page.locator(f"#id_score-{themes[0].pk}-{volume.pk}-hint")).to_contain_text(
        "The data proposes"
    )
    height = _page_height(page)
    assert height < 2500, f"one theme's scoring page is {height} px tall at 1280 px"
    assert_accessible(page)

    for number, theme in enumerate(themes[:4], start=1):
        expect(page.get_by_role("heading", level=1)).to_have_text(theme.title)
        # Harm to victims: "Not scored" → 1 → 2 → 3.
        _score_by_keyboard(page, f"score-{theme.pk}-{harm.pk}", 3, f"Seen by officers {number}.")
        _score_by_keyboard(page, f"score-{theme.pk}-{volume.pk}", 2)
        _save_by_keyboard(page)
        expect(
            page.get_by_text(f"{theme.title} saved: {number} of 9 themes scored")
        ).to_be_visible()

    # Police leaves for the assessment's page, then comes back to scoring on a new page load.
    page.goto("/assessments/safermk/2017/")
    page.goto(SCORE)
    expect(page.locator("#scoring-progress")).to_have_text("4 of 9 themes scored")
    states = page.locator("#scoring-themes .govuk-task-list__status")
    expect(states).to_have_text(["Scored (2 of 5 criteria)"] * 4 + ["Not scored"] * 5)
    expect(page.get_by_role("link", name=f"Continue: {themes[4].title}")).to_be_visible()
    _follow_by_keyboard(page, f"#scoring-themes a[href$='/{themes[1].slug}/']")
    expect(page.locator(f"input[name=score-{themes[1].pk}-{harm.pk}][value='3']")).to_be_checked()
    expect(page.locator(f"#id_comment-{themes[1].pk}-{harm.pk}")).to_have_value(
        "Seen by officers 2."
    )
    page.goto(RESULTS)
    expect(page.locator("#ranking-hidden")).to_contain_text("4 of 9 themes scored so far")

    # The five themes left, one criterion each, by keyboard from the overview.
    page.goto(SCORE)
    _follow_by_keyboard(page, "a.govuk-button")
    for theme in themes[4:]:
        expect(page.get_by_role("heading", level=1)).to_have_text(theme.title)
        _score_by_keyboard(page, f"score-{theme.pk}-{harm.pk}", 1)
        _save_by_keyboard(page)
    expect(page.get_by_text(f"{themes[-1].title} saved: 9 of 9 themes scored")).to_be_visible()
    expect(page.locator("#scoring-progress")).to_have_text("9 of 9 themes scored")
    _follow_by_keyboard(page, "#see-the-ranking")
    expect(page.locator("#ranking")).to_be_visible()
    expect(page.locator("#ranking-hidden")).to_have_count(0)
    assert OrganisationScore.objects.filter(organisation__name=POLICE).count() == 4 * 2 + 5


@pytest.mark.slow(reason="police scores in Chromium, then the analyst reads the results, with axe")
def test_police_changes_a_score_with_the_keyboard_and_the_analyst_sees_the_spread(page, demo):
    fgm = demo.chapters.get(slug="fgm")
    concern = demo.priority_criteria.get(name="Community concern")
    sign_in(page, "police")
    page.goto(f"{SCORE}fgm/")
    expect(page.get_by_role("heading", level=1)).to_have_text("FGM")

    # The demo's police score for FGM's community concern is 1: two steps down (1 → 2 → 3).
    _score_by_keyboard(page, f"score-{fgm.pk}-{concern.pk}", 2, "Schools raise it with us.")
    _save_by_keyboard(page)
    expect(page.get_by_text("FGM saved")).to_be_visible()
    saved = OrganisationScore.objects.filter(organisation__name=POLICE)
    assert saved.get(chapter=fgm, criterion=concern).score == 3

    page.context.clear_cookies()
    sign_in(page, "analyst")
    page.goto(RESULTS)
    concern_row = (
        page.locator(f"#theme-{fgm.slug}").get_by_role("row").filter(has_text="Community concern")
    )
    expect(concern_row).to_contain_text(f"{POLICE}: 3")
    expect(concern_row).to_contain_text("Schools raise it with us.")
    # The other three organisations said 1: the spread is 2.
    expect(concern_row.locator("td").last).to_have_text("2")
    expect(page.locator("#disagreement + ol")).to_contain_text("FGM")
    assert_accessible(page)
