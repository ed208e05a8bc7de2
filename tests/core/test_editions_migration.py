"""The upgrade that brought editions freezes one for every assessment approved or published before
it, from the data as it stood, and says so: once `migrate` has brought the database up to date,
whatever migrations came after editions (publication/services/editions.py,
`editions_of_earlier_approvals_freeze`)."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from assessments.core.models import Assessment

SCHEMA = [("assessments", "0025_editions")]


@pytest.mark.slow(reason="migrates the schema back to 0025 and forward again: 5-12 s")
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

    # Migrated part of the way, the models of today's code do not fit: nothing is frozen yet.
    call_command("migrate", "assessments", "0026", verbosity=0)
    assert not apps.get_model("assessments", "Edition").objects.exists()
    call_command("migrate", verbosity=0)  # up to date: the editions are frozen

    published, approved, draft = Assessment.objects.order_by("year")
    edition = published.public_edition
    assert (edition.number, edition.status, edition.frozen_at_upgrade) == (1, "published", True)
    assert "What 2016 said." in edition.content
    assert list(approved.editions.values_list("status", flat=True)) == ["approved"]
    assert approved.public_edition is None and not draft.editions.exists()
