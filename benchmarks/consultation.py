"""Chapter page with 0, 50 and 500 discussions: time and queries per request.

Runs against the development database inside a transaction that is rolled back, so the demo
data is left as it was.
"""

from __future__ import annotations

from django.db import transaction
from django.test import Client

from ._timing import timed

SIZES = (0, 50, 500)
RUNS = 5


class _RollBack(Exception):
    pass


def _add_comments(chapter, authors, count: int) -> None:
    from assessments.consultation.models import Comment

    roots = Comment.objects.bulk_create(
        Comment(chapter=chapter, author=authors[i % len(authors)], body=f"Discussion {i}")
        for i in range(count)
    )
    Comment.objects.bulk_create(
        Comment(chapter=chapter, author=authors[(i + 1) % len(authors)], parent=root, body="Reply")
        for i, root in enumerate(roots)
    )


def _page(client: Client, url: str) -> None:
    assert client.get(url).status_code == 200


def main() -> None:
    from assessments.consultation.models import Comment
    from assessments.core.models import User
    from assessments.demo.load import demo_load

    print("## Partner consultation: chapter page with comments")  # noqa: T201
    print("| discussions (each with a reply) | median ms | queries |")  # noqa: T201
    print("|---|---|---|")  # noqa: T201
    try:
        with transaction.atomic():
            assessment = demo_load()
            chapter = assessment.chapters.get(slug="violence")
            authors = list(User.objects.filter(username__in=["police", "fire", "analyst"]))
            client = Client()
            client.force_login(User.objects.get(username="police"))
            url = chapter.get_absolute_url()
            client.get(url)  # warm up: templates, read record
            for size in SIZES:
                Comment.objects.filter(chapter=chapter).delete()
                _add_comments(chapter, authors, size)
                ms, queries = timed(lambda: _page(client, url), RUNS)
                print(f"| {size} | {ms:.0f} | {queries} |")  # noqa: T201
            raise _RollBack
    except _RollBack:
        pass
