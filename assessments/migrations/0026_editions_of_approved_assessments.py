"""An edition for every assessment approved or published before editions existed, frozen from
its data as it stands at the upgrade (the edition says so: `frozen_at_upgrade`).

The freezing runs the app's own code (publication/services/editions.py), not a copy of it: the
edition must be exactly what the app would freeze. That code reads every table as it is today,
so it cannot run here, between this migration and the later ones that add columns it reads: it
runs once every migration is applied (`editions_freeze_missing`, on Django's post_migrate
signal, connected in the app's documents.py). This migration is kept for its place in the
history."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("assessments", "0025_editions")]

    operations = []
