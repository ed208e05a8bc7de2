"""The chapter page with a long consultation: the demo's Crime chapter read by a partner and by
the analyst, with its three comments and with 300 more (assessments/demo/scale.py
`demo_long_discussion`), each as a multiple of the floor (benchmarks/pages.py). Target (issue
18): at most 5 times the floor, and the same queries, at both sizes.

Runs against the development database inside a transaction that is rolled back.
"""

from __future__ import annotations

from django.db import transaction
from django.test import Client

from ._timing import print_against_floor, timed_with_floor

RUNS = 20
LONG = 300


def _measure(assessment) -> dict[str, tuple[float, int, float]]:
    from assessments.core.models import User  # noqa: PLC0415 (Django is set up by now)

    clients = {}
    for username in ("police", "analyst"):
        clients[username] = Client()
        clients[username].force_login(User.objects.get(username=username))
    crime = f"{assessment.get_absolute_url()}crime/"
    pages = [
        ("floor: /accounts/login/ signed in", clients["police"], "/accounts/login/"),
        ("chapter, Crime (partner)", clients["police"], crime),
        ("chapter, Crime (analyst)", clients["analyst"], crime),
    ]
    floor_client = clients["police"]
    results = {}
    for name, client, url in pages:

        def page(client=client, url=url):
            assert client.get(url).status_code == 200

        page()  # templates compiled, the first reading recorded, the cache filled
        results[name] = timed_with_floor(lambda: page(floor_client, "/accounts/login/"), page, RUNS)
    return results


class _RollBack(Exception):
    pass


def main() -> None:
    from assessments.demo.load import demo_load  # noqa: PLC0415
    from assessments.demo.scale import demo_long_discussion  # noqa: PLC0415

    try:
        with transaction.atomic():
            assessment = demo_load()
            at_demo = _measure(assessment)
            demo_long_discussion(assessment.chapters.get(slug="crime"), LONG)
            at_long = _measure(assessment)
            raise _RollBack
    except _RollBack:
        pass
    title = f"Chapter page with its demo comments and {LONG} more (median of {RUNS})"
    print_against_floor(title, at_demo, at_long, ("demo", f"+{LONG} comments"))
