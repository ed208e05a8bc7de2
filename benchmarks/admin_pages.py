"""The analyst's admin pages (issues 17 and 18): the assessment change page, a chapter's change
page and the headlines list, at the demo's size and at four times it (indicators, chapters,
headlines and comments: assessments/demo/scale.py), each as a multiple of the floor: the
sign-in page requested by a signed-in user. Target (issue 18): at most 15 times the floor at
both sizes.

Runs against the development database inside a transaction that is rolled back.
"""

from __future__ import annotations

from django.test import Client

from ._timing import at_two_sizes, print_against_floor, timed_with_floor

RUNS = 20
TARGET = 15
FLOOR = "floor: /accounts/login/ signed in"


def admin_pages(assessment) -> dict[str, str]:
    """The measured pages by name: the floor first, then the admin pages."""
    chapter = assessment.chapters.get(slug="violence")
    return {
        FLOOR: "/accounts/login/",
        "admin assessment change": f"/admin/assessments/assessment/{assessment.pk}/change/",
        "admin chapter change (Violence)": f"/admin/assessments/chapter/{chapter.pk}/change/",
        "admin headlines list": "/admin/assessments/headline/",
    }


def _measure(assessment) -> dict[str, tuple[float, int, float]]:
    from assessments.core.models import User

    client = Client()
    client.force_login(User.objects.get(username="analyst"))
    results = {}

    def floor():
        assert client.get("/accounts/login/").status_code == 200

    for name, url in admin_pages(assessment).items():

        def page(url=url):
            assert client.get(url).status_code == 200

        page()  # templates compiled
        results[name] = timed_with_floor(floor, page, RUNS)
    return results


def main() -> None:
    at_demo, at_four = at_two_sizes(_measure)
    title = f"Admin pages against the floor (median of {RUNS}; target ≤ {TARGET}× the floor)"
    print_against_floor(title, at_demo, at_four)
