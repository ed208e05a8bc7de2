"""The upgrade that lets comments be on the horizon scan (issue 32) gives every comment made
before it its chapter's assessment, which who may read it and every count now ask."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from assessments.consultation.models import Comment

BEFORE = [("assessments", "0034_partnership_restricted_marking")]
AFTER = [("assessments", "0035_comments_on_the_horizon_scan")]


@pytest.mark.slow(reason="migrates the schema back one step and forward again: 1.5-3 s")
@pytest.mark.django_db(transaction=True)
def test_every_earlier_comment_gets_its_chapters_assessment():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    Partnership = apps.get_model("assessments", "Partnership")
    Assessment = apps.get_model("assessments", "Assessment")
    Chapter = apps.get_model("assessments", "Chapter")
    Theme = apps.get_model("assessments", "Theme")
    Group = apps.get_model("auth", "Group")
    Organisation = apps.get_model("assessments", "Organisation")
    User = apps.get_model("assessments", "User")
    Old = apps.get_model("assessments", "Comment")
    partnership = Partnership.objects.create(name="SaferMK", slug="safermk", area_name="MK")
    theme = Theme.objects.create(partnership=partnership, slug="crime", name="Crime")
    group = Group.objects.create(name="Organisation: Police")
    police = Organisation.objects.create(name="Police", kind="police", group=group)
    author = User.objects.create(username="police", organisation=police)
    chapters = {}
    for year in (2016, 2017):
        assessment = Assessment.objects.create(
            partnership=partnership, year=year, title=f"Assessment {year}", status="draft"
        )
        chapters[year] = Chapter.objects.create(
            assessment=assessment, theme=theme, slug="crime", title="Crime", order=1
        )
        root = Old.objects.create(chapter=chapters[year], author=author, body=f"On {year}.")
        Old.objects.create(chapter=chapters[year], author=author, body="Reply.", parent=root)

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    for chapter in chapters.values():
        comments = Comment.objects.filter(chapter_id=chapter.pk)
        assert comments.count() == 2
        assert {c.assessment_id for c in comments} == {chapter.assessment_id}
    assert not Comment.objects.filter(horizon_item__isnull=False).exists()
