# Exports: when the render last reported progress; the broker flag goes, the outbox replaces it.

from django.db import migrations, models


def waiting_exports_to_outbox(apps, schema_editor):
    """Exports still waiting for the broker become outbox jobs, which the relay publishes."""
    ReportExport = apps.get_model("assessments", "ReportExport")
    OutboxJob = apps.get_model("assessments", "OutboxJob")
    waiting = ReportExport.objects.filter(status="queued", awaiting_broker=True)
    OutboxJob.objects.bulk_create(
        OutboxJob(task="render_report_export_task", args=[pk])
        for pk in waiting.values_list("pk", flat=True)
    )


class Migration(migrations.Migration):

    dependencies = [
        ('assessments', '0010_outbox'),
    ]

    operations = [
        migrations.RunPython(waiting_exports_to_outbox, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name='reportexport',
            name='awaiting_broker',
        ),
        migrations.AddField(
            model_name='reportexport',
            name='progressed_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]
