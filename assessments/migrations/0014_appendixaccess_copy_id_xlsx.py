from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0013_reportexport_recipient_copy_id"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="appendixaccess",
            name="appendix_access_route_valid",
        ),
        migrations.AddField(
            model_name="appendixaccess",
            name="copy_id",
            field=models.CharField(blank=True, db_index=True, max_length=32),
        ),
        migrations.AlterField(
            model_name="appendixaccess",
            name="route",
            field=models.CharField(
                choices=[
                    ("page", "Web page"),
                    ("csv", "CSV download"),
                    ("xlsx", "XLSX download"),
                    ("pdf", "PDF export"),
                ],
                max_length=4,
            ),
        ),
        migrations.AddConstraint(
            model_name="appendixaccess",
            constraint=models.CheckConstraint(
                condition=models.Q(("route__in", ["page", "csv", "xlsx", "pdf"])),
                name="appendix_access_route_valid",
            ),
        ),
    ]
