"""The consultation's constraints, in the database."""

import pytest

from assessments.consultation.models import Comment

from ..core.test_models import assert_refused
from ..factories import ChapterFactory, CommentFactory

pytestmark = pytest.mark.django_db


def test_a_comment_is_always_on_a_chapter(assessment):
    comment = CommentFactory(chapter=ChapterFactory(assessment=assessment))
    assert_refused(make=lambda: Comment.objects.filter(pk=comment.pk).update(chapter=None))
