"""Police scores two themes with the keyboard alone, in real Chromium; the analyst then finds
those scores in the spread of the results page. Both pages pass axe."""

import pytest
from playwright.sync_api import Page, expect

from assessments.priorities.models import OrganisationScore

from .conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

POLICE = "Thames Valley Police"


def _tab_to(page: Page, selector: str, limit: int = 400) -> None:
    """Press Tab until the focus is on an element matching the selector."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.matches({selector!r})"):
            return
    raise AssertionError(f"Tab never reached {selector}")


def _score_by_keyboard(page: Page, group: str, steps: int, comment: str) -> None:
    """Tab into a radio group, move the choice with the arrow keys, then write the comment."""
    _tab_to(page, f"input[name={group}]")
    for _ in range(steps):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")  # the comment box follows its radio group
    page.keyboard.type(comment)


@pytest.mark.slow(
    reason="tabs through a 50-question form by keyboard, then the results as the analyst, with axe"
)
def test_police_scores_two_themes_with_the_keyboard_and_the_analyst_sees_the_spread(page, demo):
    fgm = demo.chapters.get(slug="fgm")
    cyber = demo.chapters.get(slug="cyber-crime")
    concern = demo.priority_criteria.get(name="Community concern")
    harm = demo.priority_criteria.get(name="Harm to victims")
    sign_in(page, "police")
    page.goto("/assessments/safermk/2017/priorities/score/")
    expect(page.get_by_role("heading", name=f"Score the themes for {POLICE}")).to_be_visible()
    assert_accessible(page)

    # The demo's police scores: FGM concern 1, cyber crime harm 2. Two steps down the list
    # (1 → 2 → 3) and (2 → 3 → 4).
    _score_by_keyboard(page, f"score-{fgm.pk}-{concern.pk}", 2, "Schools raise it with us.")
    _score_by_keyboard(page, f"score-{cyber.pk}-{harm.pk}", 2, "Fraud ruins older victims.")
    _tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Scores saved")).to_be_visible()

    saved = OrganisationScore.objects.filter(organisation__name=POLICE)
    assert saved.get(chapter=fgm, criterion=concern).score == 3
    assert saved.get(chapter=cyber, criterion=harm).score == 4

    page.context.clear_cookies()
    sign_in(page, "analyst")
    page.goto("/assessments/safermk/2017/priorities/")
    fgm_table = page.locator(f"#theme-{fgm.slug}")
    concern_row = fgm_table.get_by_role("row").filter(has_text="Community concern")
    expect(concern_row).to_contain_text(f"{POLICE}: 3")
    expect(concern_row).to_contain_text("Schools raise it with us.")
    # The other three organisations said 1: the spread is 2.
    expect(concern_row.locator("td").last).to_have_text("2")
    cyber_row = (
        page.locator(f"#theme-{cyber.slug}").get_by_role("row").filter(has_text="Harm to victims")
    )
    expect(cyber_row).to_contain_text(f"{POLICE}: 4")
    expect(page.locator("#disagreement + ol")).to_contain_text("FGM")
    assert_accessible(page)
