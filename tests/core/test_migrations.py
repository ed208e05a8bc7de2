"""The package reorganisation kept the app's tables: migrating from the last migration before it
to the head keeps every appendix grant and every comment."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from assessments.appendices.models import (
    AppendixGroupObjectPermission,
    AppendixUserObjectPermission,
)
from assessments.consultation.models import Comment

BEFORE = [("assessments", "0007_publication")]


def _grant_appendices(apps) -> dict:
    """A partnership with one appendix granted to a group and another to a person, as the
    database stood before the reorganisation."""
    Partnership = apps.get_model("assessments", "Partnership")
    Assessment = apps.get_model("assessments", "Assessment")
    Appendix = apps.get_model("assessments", "Appendix")
    Chapter = apps.get_model("assessments", "Chapter")
    Theme = apps.get_model("assessments", "Theme")
    Comment = apps.get_model("assessments", "Comment")
    User = apps.get_model("assessments", "User")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    UserGrant = apps.get_model("assessments", "AppendixUserObjectPermission")
    GroupGrant = apps.get_model("assessments", "AppendixGroupObjectPermission")

    partnership = Partnership.objects.create(name="SaferMK", slug="safermk", area_name="MK")
    assessment = Assessment.objects.create(partnership=partnership, year=2017, title="2017")
    by_category = Appendix.objects.create(assessment=assessment, slug="a", title="A", order=1)
    by_estate = Appendix.objects.create(assessment=assessment, slug="b", title="B", order=2)
    police = Group.objects.create(name="Thames Valley Police")
    person = User.objects.create(username="sam")
    view = Permission.objects.get(content_type__app_label="assessments", codename="view_appendix")
    GroupGrant.objects.create(group=police, permission=view, content_object=by_category)
    GroupGrant.objects.create(group=police, permission=view, content_object=by_estate)
    UserGrant.objects.create(user=person, permission=view, content_object=by_estate)
    theme = Theme.objects.create(partnership=partnership, slug="crime", name="Crime")
    chapter = Chapter.objects.create(
        assessment=assessment, theme=theme, slug="crime", title="Crime", order=1
    )
    Comment.objects.create(author=person, chapter=chapter, body="Please add last year's figure.")
    return {
        "groups": {(police.pk, by_category.pk), (police.pk, by_estate.pk)},
        "users": {(person.pk, by_estate.pk)},
    }


@pytest.mark.slow(reason="migrates back to 0007 and forward to the head: 10-16 s")
@pytest.mark.django_db(transaction=True)
def test_migrating_to_the_head_keeps_every_appendix_grant_and_comment():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    granted = _grant_appendices(executor.loader.project_state(BEFORE).apps)

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    groups = set(AppendixGroupObjectPermission.objects.values_list("group", "content_object"))
    users = set(AppendixUserObjectPermission.objects.values_list("user", "content_object"))
    assert groups == granted["groups"]
    assert users == granted["users"]
    assert [c.body for c in Comment.objects.select_related("chapter")] == [
        "Please add last year's figure."
    ]
