"""An edition for every assessment approved or published before editions existed, frozen from
its data as it stands at the upgrade (the edition says so: `frozen_at_upgrade`).

This runs the app's own freezing code (publication/services/editions.py), not a copy of it: the
edition must be exactly what the app would freeze. A database created afresh has no such
assessment, so later changes to that code never meet this migration there."""

from django.db import migrations


def freeze_existing(apps, schema_editor):
    from assessments.core.models import Assessment  # noqa: PLC0415 (the app's own models)
    from assessments.publication.services.editions import (  # noqa: PLC0415
        edition_freeze,
        edition_publish,
    )

    WorkflowEvent = apps.get_model("assessments", "WorkflowEvent")
    unfrozen = Assessment.objects.filter(status__in=["approved", "published"], editions=None)
    for assessment in unfrozen:
        approval = (
            WorkflowEvent.objects.filter(assessment_id=assessment.pk, action="approve")
            .order_by("-at")
            .first()
        )
        edition_freeze(
            assessment,
            by=None,
            at=approval.at if approval else assessment.status_changed_at,
            frozen_at_upgrade=True,
        )
        if assessment.status == "published":
            edition_publish(assessment, by=None, at=assessment.status_changed_at)


class Migration(migrations.Migration):
    dependencies = [("assessments", "0025_editions")]

    # `freeze_existing` runs the app's current code, which reads every table and column the
    # report shows, some added by later migrations (0029's glossary terms): it runs in the last
    # migration instead, once the schema is whole, and skips assessments frozen already (by this
    # migration, on databases upgraded before it moved).
    operations = []
