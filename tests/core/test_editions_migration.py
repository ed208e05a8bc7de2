"""The upgrade that brought editions froze one for every assessment approved or published before
it, from the data as it stood, and said so (migration 0026, the freezing run once every
migration is applied, so that a later migration's column is there when the freezing reads it)."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from assessments.core.models import Assessment

SCHEMA = [("assessments", "0025_editions")]


@pytest.mark.django_db(transaction=True)
def test_the_upgrade_freezes_an_edition_of_each_approved_and_published_assessment():
    executor = MigrationExecutor(connection)
    executor.migrate(SCHEMA)
    apps = executor.loader.project_state(SCHEMA).apps
    Partnership = apps.get_model("assessments", "Partnership")
    Old = apps.get_model("assessments", "Assessment")
    Chapter = apps.get_model("assessments", "Chapter")
    Theme = apps.get_model("assessments", "Theme")
    partnership = Partnership.objects.create(name="SaferMK", slug="safermk", area_name="MK")
    theme = Theme.objects.create(partnership=partnership, slug="crime", name="Crime")
    for year, status in ((2016, "published"), (2017, "approved"), (2018, "draft")):
        assessment = Old.objects.create(
            partnership=partnership, year=year, title=f"Assessment {year}", status=status
        )
        Chapter.objects.create(
            assessment=assessment, theme=theme, slug="crime", title="Crime", order=1,
            narrative=f"What {year} said.",
        )  # fmt: skip

    # The upgrade, as `migrate` runs it: every migration, then the freezing (post_migrate).
    call_command("migrate", verbosity=0)

    published, approved, draft = Assessment.objects.order_by("year")
    edition = published.public_edition
    assert (edition.number, edition.status, edition.frozen_at_upgrade) == (1, "published", True)
    assert "What 2016 said." in edition.content
    assert list(approved.editions.values_list("status", flat=True)) == ["approved"]
    assert approved.public_edition is None and not draft.editions.exists()
