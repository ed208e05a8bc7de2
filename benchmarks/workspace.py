"""The analyst's workspace: the dashboard with 10 and 40 chapters (time and queries), and the
re-encoding of an uploaded photograph (time and bytes).

Runs against the development database inside a transaction that is rolled back, so the demo
data is left as it was.
"""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import reset_queries, transaction
from django.test import Client
from PIL import Image

from assessments.workspace.services import reencode

from ._timing import timed

RUNS = 5


class _RollBack(Exception):
    pass


def _dashboard(client: Client, url: str) -> tuple[float, int]:
    reset_queries()  # with DEBUG the log is full of the set-up's queries: it holds 9,000
    assert client.get(url).status_code == 200
    return timed(lambda: client.get(url), RUNS)


def _copy_chapters(assessment, count: int) -> None:
    """Add copies of the demo chapters (with their recommendations and selections) up to count."""
    from assessments.core.models import Chapter, Theme

    source = list(assessment.chapters.prefetch_related("recommendations", "selections"))
    for n in range(count - len(source)):
        original = source[n % len(source)]
        theme = Theme.objects.create(
            partnership=assessment.partnership, name=f"Copy {n}", slug=f"copy-{n}"
        )
        chapter = Chapter.objects.create(
            assessment=assessment, theme=theme, order=100 + n, slug=f"copy-{n}",
            title=f"{original.title} (copy {n})", narrative=original.narrative,
        )  # fmt: skip
        for recommendation in original.recommendations.all():
            chapter.recommendations.create(text=recommendation.text)
        for selection in original.selections.all():
            selection.pk = None
            selection.chapter = chapter
            selection.save()


def _photo() -> bytes:
    image = Image.effect_noise((4000, 3000), 60).convert("RGB")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=92)
    return out.getvalue()


def main() -> None:
    from assessments.core.models import User
    from assessments.demo.load import demo_load

    print("## The analyst's workspace")  # noqa: T201
    print("| dashboard with | median ms | queries |")  # noqa: T201
    print("|---|---|---|")  # noqa: T201
    try:
        with transaction.atomic():
            assessment = demo_load()
            client = Client()
            client.force_login(User.objects.get(username="analyst"))
            url = f"/assessments/{assessment.partnership.slug}/{assessment.year}/dashboard/"
            for count in (10, 40):
                _copy_chapters(assessment, count)
                ms, queries = _dashboard(client, url)
                print(f"| {count} chapters | {ms:.0f} | {queries} |")  # noqa: T201
            photo = _photo()
            upload = SimpleUploadedFile("photo.jpg", photo)
            ms, _ = timed(lambda: (upload.seek(0), reencode(upload)), RUNS)
            upload.seek(0)
            clean = reencode(upload)
            print(  # noqa: T201
                f"\nRe-encoding a 4000×3000 JPEG of {len(photo) / 2**20:.1f} MB: {ms:.0f} ms "
                f"median, stored {clean.size[0]}×{clean.size[1]}, "
                f"{len(clean.content) / 2**20:.1f} MB"
            )
            raise _RollBack
    except _RollBack:
        pass


if __name__ == "__main__":
    import django

    django.setup()
    main()
