import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0012_assessment_introduction"),
    ]

    operations = [
        migrations.AddField(
            model_name="reportexport",
            name="copy_id",
            field=models.CharField(blank=True, db_index=True, max_length=32),
        ),
        migrations.AddField(
            model_name="reportexport",
            name="recipient",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="personal_exports",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
    ]
