from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("assessments", "0033_board_minutes_reference")]

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
