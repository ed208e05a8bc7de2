"""The pages people read most, at the demo's size and at four times it (indicators, chapters,
headlines and comments: assessments/demo/scale.py), each as a multiple of the floor: the sign-in
page requested by a signed-in user (middleware, session, user and a small template). Targets
(issue 18): every page here at most 5 times the floor at both sizes.

Runs against the development database inside a transaction that is rolled back.
"""

from __future__ import annotations

from django.db import reset_queries, transaction
from django.test import Client

from ._timing import timed

RUNS = 20
TARGET = 5


class _RollBack(Exception):
    pass


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


def _measure(assessment) -> dict[str, tuple[float, int]]:
    """Median ms and queries of each page; the public ones with the assessment published."""
    from assessments.core.models import Assessment

    results = {}
    for name, client, url in _pages(assessment):
        public = name.startswith("public")
        assessment.status = Assessment.Status.PUBLISHED if public else "consultation"
        assessment.save()
        reset_queries()  # with DEBUG the log fills with the set-up's queries

        def page(client=client, url=url):
            assert client.get(url).status_code == 200

        page()  # templates compiled, the first reading recorded, the cache filled
        results[name] = timed(page, RUNS)
    return results


def main() -> None:
    from assessments.demo.load import demo_load
    from assessments.demo.scale import demo_scale_up

    try:
        with transaction.atomic():
            assessment = demo_load()
            at_demo = _measure(assessment)
            demo_scale_up(assessment, factor=4)
            at_four = _measure(assessment)
            raise _RollBack
    except _RollBack:
        pass
    floor_demo, floor_four = at_demo[next(iter(at_demo))][0], at_four[next(iter(at_four))][0]
    print(f"## Pages against the floor (median of {RUNS}; target ≤ {TARGET}× the floor)")  # noqa: T201
    print("| page | demo ms | × floor | queries | 4× size ms | × floor | queries |")  # noqa: T201
    print("|---|---:|---:|---:|---:|---:|---:|")  # noqa: T201
    for name, (ms, queries) in at_demo.items():
        ms4, queries4 = at_four[name]
        print(  # noqa: T201
            f"| {name} | {ms:.1f} | {ms / floor_demo:.1f} | {queries} | {ms4:.1f} | "
            f"{ms4 / floor_four:.1f} | {queries4} |"
        )


if __name__ == "__main__":
    import django

    django.setup()
    main()
