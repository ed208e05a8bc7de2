"""Per-user read tracking: when each user last read each chapter.

A chapter edited after that moment shows as "changed since you last read". The publication
work reuses this for its own "what changed" notices.
"""

from __future__ import annotations

from django.utils import timezone

from assessments.consultation.models import ChapterRead
from assessments.core.models import Chapter, User


def chapter_mark_read(*, user: User, chapter: Chapter) -> None:
    """Record that the user has just read the chapter (nothing for anonymous readers)."""
    if not user.is_authenticated:
        return
    ChapterRead.objects.update_or_create(
        user=user, chapter=chapter, defaults={"read_at": timezone.now()}
    )
