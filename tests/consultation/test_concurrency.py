"""Many partners posting at once: every comment is stored (PostgreSQL, real concurrent
transactions; the SQLite run leaves this out)."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from assessments.consultation.models import Comment

from ..factories import ChapterFactory, MembershipFactory, UserFactory

USERS = 5
COMMENTS_EACH = 10


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_50_comments_posted_concurrently_are_all_stored(assessment, police_org):
    chapter = ChapterFactory(assessment=assessment, slug="violence")
    root = Comment.objects.create(author=UserFactory(), chapter=chapter, body="Start here")
    users = [UserFactory(organisation=police_org) for _ in range(USERS)]
    for user in users:
        MembershipFactory(user=user, partnership=assessment.partnership, role="partner")
    url = reverse(
        "chapter_comments", args=[assessment.partnership.slug, assessment.year, chapter.slug]
    )

    def post_all(user):
        client = Client()
        client.force_login(user)
        try:
            statuses = []
            for n in range(COMMENTS_EACH):
                # Half start discussions, half reply to the same thread at the same time.
                data = {"body": f"{user.username} #{n}", "on": ""}
                if n % 2:
                    data["parent"] = root.pk
                statuses.append(client.post(url, data).status_code)
            return statuses
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=USERS) as pool:
        statuses = [s for result in pool.map(post_all, users) for s in result]

    assert statuses == [302] * (USERS * COMMENTS_EACH)
    stored = Comment.objects.exclude(pk=root.pk)
    assert stored.count() == USERS * COMMENTS_EACH
    assert stored.filter(parent=root).count() == USERS * COMMENTS_EACH // 2
    assert {c.body for c in stored} == {
        f"{u.username} #{n}" for u in users for n in range(COMMENTS_EACH)
    }
