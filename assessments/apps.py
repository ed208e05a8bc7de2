from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.module_loading import autodiscover_modules

from assessments.core import cache_version


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = "Strategic assessments"

    def ready(self) -> None:
        # As the admin loads admin.py: tasks.py registers the Celery tasks in every process, so
        # that services find them by name (core/jobs.py); documents.py fills reporting's registry
        # and readiness.py adds publication's checks to consultation's gate.
        autodiscover_modules("tasks", "documents", "readiness")
        # Cached figures and published pages are keyed by the partnership's version.
        cache_version.watch(self)
        # The chapter page's kept discussions are keyed by when they last changed. Imported
        # here: the module needs the models, which are loaded by now.
        from assessments.consultation import discussions  # noqa: PLC0415

        discussions.watch()
        post_migrate.connect(_freeze_earlier_approvals, sender=self)


def _freeze_earlier_approvals(sender, plan=None, using="default", **kwargs) -> None:
    """After `migrate` (not a test's flush: no plan) has brought the database to the code's
    migrations, the editions of assessments approved before editions existed: the freezing
    code reads the app's models as they are now, which only the up-to-date schema has."""
    if plan is None:
        return
    from django.db import connections  # noqa: PLC0415
    from django.db.migrations.executor import MigrationExecutor  # noqa: PLC0415

    executor = MigrationExecutor(connections[using])
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        return  # migrated to an earlier state on purpose: the models do not fit it
    from assessments.publication.services.editions import (  # noqa: PLC0415
        editions_of_earlier_approvals_freeze,
    )

    editions_of_earlier_approvals_freeze()
