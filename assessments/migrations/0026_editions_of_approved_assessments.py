"""Once the step that froze an edition of every assessment approved or published before editions
existed. It ran the app's own freezing code, which reads the app's models as they are now: on
a database one migration behind, any column a later migration adds broke it. The freezing is
now done after `migrate` has brought the database up to date (publication/services/editions.py,
`editions_of_earlier_approvals_freeze`, connected in apps.py); this migration is kept so that
the numbering of those applied since stays as it is."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("assessments", "0025_editions")]

    operations = []
