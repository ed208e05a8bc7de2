from django.apps import AppConfig
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
