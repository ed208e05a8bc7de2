from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("assessments", "0028_workflow_emails")]

    operations = [
        migrations.AddField(
            model_name="partnership",
            name="restricted_marking",
            field=models.CharField(
                default="OFFICIAL-SENSITIVE",
                help_text="The protective marking printed on every page of restricted copies, on "
                "the appendix pages and in appendix downloads: a Government Security "
                "Classification such as OFFICIAL-SENSITIVE.",
                max_length=60,
            ),
        ),
    ]
