"""The pages people read most, at the demo's size and at four times it (indicators, chapters,
headlines and comments: assessments/demo/scale.py), each as a multiple of the floor: the sign-in
page requested by a signed-in user (middleware, session, user and a small template). Targets
(issue 18): every page here at most 5 times the floor at both sizes.

Runs against the development database inside a transaction that is rolled back.
"""

from __future__ import annotations

from django.test import Client

from ._timing import at_two_sizes, print_against_floor, timed_with_floor

RUNS = 20
TARGET = 5


def _pages(assessment) -> list[tuple[str, Client, str]]:
    from assessments.core.models import User

    def signed_in(username: str) -> Client:
        client = Client()
        client.force_login(User.objects.get(username=username))
        return client

    police, analyst, anonymous = signed_in("police"), signed_in("analyst"), Client()
    base = assessment.get_absolute_url()
    return [
        ("floor: /accounts/login/ signed in", police, "/accounts/login/"),
        ("assessment (partner)", police, base),
        ("chapter, Violence (partner)", police, f"{base}violence/"),
        ("dashboard (analyst)", analyst, f"{base}dashboard/"),
        ("public assessment (anonymous)", anonymous, base),
        ("public chapter, Violence (anonymous)", anonymous, f"{base}violence/"),
    ]


def _measure(assessment) -> dict[str, tuple[float, int, float]]:
    """Median ms and queries of each page, with the floor's median measured in turn with it;
    the public pages with the assessment published."""
    from assessments.core.models import Assessment

    results = {}
    pages = _pages(assessment)
    _, floor_client, floor_url = pages[0]

    def floor():
        assert floor_client.get(floor_url).status_code == 200

    for name, client, url in pages:
        public = name.startswith("public")
        assessment.status = Assessment.Status.PUBLISHED if public else "consultation"
        assessment.save()

        def page(client=client, url=url):
            assert client.get(url).status_code == 200

        page()  # templates compiled, the first reading recorded, the cache filled
        results[name] = timed_with_floor(floor, page, RUNS)
    return results


def main() -> None:
    at_demo, at_four = at_two_sizes(_measure)
    title = f"Pages against the floor (median of {RUNS}; target ≤ {TARGET}× the floor)"
    print_against_floor(title, at_demo, at_four)
