# Export addresses carry a random token instead of the sequential id (issue 15, finding 3).
# The three steps Django documents for a unique field on a table with rows: add it nullable,
# give every row its own value, then make it unique.
import uuid

from django.db import migrations, models


def give_each_export_a_token(apps, schema_editor):
    ReportExport = apps.get_model("assessments", "ReportExport")
    for export in ReportExport.objects.only("pk").iterator():
        ReportExport.objects.filter(pk=export.pk).update(token=uuid.uuid4())


class Migration(migrations.Migration):

    dependencies = [
        ("assessments", "0008_comment_on_chapter_only"),
    ]

    operations = [
        migrations.AddField(
            model_name="reportexport",
            name="token",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.RunPython(give_each_export_a_token, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="reportexport",
            name="token",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
    ]
