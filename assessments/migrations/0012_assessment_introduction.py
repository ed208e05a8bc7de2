from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0011_export_progressed_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="assessment",
            name="introduction",
            field=models.TextField(
                blank=True,
                help_text="Markdown: the foreword or introduction that opens the report (its PDF).",
            ),
        ),
    ]
