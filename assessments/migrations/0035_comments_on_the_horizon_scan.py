"""Comments on the horizon scan (issue 32): a comment is on a chapter or on a row of the horizon
scan, and names its assessment itself, filled here from its chapter for every existing one; no
chapter may take the address of the scan's comments page."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_assessments(apps, schema_editor):
    Comment = apps.get_model("assessments", "Comment")
    Chapter = apps.get_model("assessments", "Chapter")
    of_chapter = Chapter.objects.filter(pk=OuterRef("chapter_id")).values("assessment_id")
    Comment.objects.update(assessment_id=Subquery(of_chapter[:1]))
    if schema_editor.connection.vendor == "postgresql":
        # The update's deferred foreign-key checks run now: PostgreSQL refuses to alter a table
        # with checks still pending (the column is made NOT NULL next).
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):
    dependencies = [("assessments", "0034_partnership_restricted_marking")]

    operations = [
        migrations.AddField(
            model_name="comment",
            name="assessment",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="comments",
                to="assessments.assessment",
            ),
        ),
        migrations.RunPython(fill_assessments, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="comment",
            name="assessment",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="comments",
                to="assessments.assessment",
            ),
        ),
        migrations.AddField(
            model_name="comment",
            name="horizon_item",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="comments",
                to="assessments.horizonscanitem",
                verbose_name="horizon scan row",
            ),
        ),
        migrations.AlterField(
            model_name="comment",
            name="chapter",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="comments",
                to="assessments.chapter",
            ),
        ),
        migrations.AddConstraint(
            model_name="comment",
            constraint=models.CheckConstraint(
                condition=models.Q(("chapter__isnull", False), ("horizon_item__isnull", True))
                | models.Q(("chapter__isnull", True), ("horizon_item__isnull", False)),
                name="comment_on_chapter_or_horizon_item",
            ),
        ),
        migrations.RemoveConstraint(model_name="chapter", name="chapter_slug_not_reserved"),
        migrations.AddConstraint(
            model_name="chapter",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("slug__in", ("appendices", "changes", "compare", "consultation", "cover",
                                  "dashboard", "decision", "edit", "editions", "exports",
                                  "feedback", "horizon-scan", "meeting", "pdf", "priorities",
                                  "returns", "transition")),
                    _negated=True,
                ),
                name="chapter_slug_not_reserved",
            ),
        ),
    ]  # fmt: skip
