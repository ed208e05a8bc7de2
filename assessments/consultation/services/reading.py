"""Per-user read tracking: when each user last read each chapter.

A chapter edited after that moment shows as "changed since you last read". The publication
work reuses this for its own "what changed" notices.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from assessments.consultation.models import ChapterRead
from assessments.core.models import Chapter, User

# A reading is written again only when what it decides could differ: the chapter changed since
# it, or it is older than this. Every view wrote it before, a savepoint and two queries on each
# chapter page (issue 18), though a reader reading on changes nothing they are shown.
READ_AGAIN_AFTER = dt.timedelta(minutes=5)


def chapter_mark_read(
    *, user: User, chapter: Chapter, last_read_at: dt.datetime | None = None
) -> None:
    """Record that the user has just read the chapter (nothing for anonymous readers);
    `last_read_at` is their reading the page already found, if any."""
    if not user.is_authenticated:
        return
    now = timezone.now()
    if (
        last_read_at is not None
        and last_read_at >= chapter.updated_at
        and now - last_read_at < READ_AGAIN_AFTER
    ):
        return
    ChapterRead.objects.update_or_create(user=user, chapter=chapter, defaults={"read_at": now})
