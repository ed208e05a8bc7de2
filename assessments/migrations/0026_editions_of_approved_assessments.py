"""An edition for every assessment approved or published before editions existed, frozen from
its data as it stands at the upgrade (the edition says so: `frozen_at_upgrade`).

This runs the app's own freezing code (publication/services/editions.py), not a copy of it: the
edition must be exactly what the app would freeze. A database created afresh has no such
assessment, so later changes to that code never meet this migration there."""

from django.apps import apps as real_apps
from django.db import migrations


def schema_is_current(schema_editor) -> bool:
    """Whether every table and column of the app's own models is in the database: only then can
    the app's own code read them. A later migration that adds a column runs freeze_existing
    again once it is there (0029)."""
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
        for model in real_apps.get_app_config("assessments").get_models():
            table = model._meta.db_table
            if table not in tables:
                return False
            columns = {c.name for c in connection.introspection.get_table_description(cursor, table)}
            if any(field.column not in columns for field in model._meta.concrete_fields):
                return False
    return True


def freeze_existing(apps, schema_editor):
    from assessments.core.models import Assessment  # noqa: PLC0415 (the app's own models)
    from assessments.publication.services.editions import (  # noqa: PLC0415
        edition_freeze,
        edition_publish,
    )

    WorkflowEvent = apps.get_model("assessments", "WorkflowEvent")
    # Asked of the historical model first: the app's own model may have columns that later
    # migrations add, which a database created afresh does not have yet.
    approved = apps.get_model("assessments", "Assessment").objects.filter(
        status__in=["approved", "published"]
    )
    if not approved.exists() or not schema_is_current(schema_editor):
        return
    # Those without an edition: run again by a later migration, it freezes nothing twice.
    unfrozen = Assessment.objects.filter(
        status__in=["approved", "published"], editions__isnull=True
    )
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

    operations = [migrations.RunPython(freeze_existing, migrations.RunPython.noop)]
