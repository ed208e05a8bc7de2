"""The Celery tasks live in the feature packages; Celery's autodiscovery imports this module."""

from assessments.accounts import tasks as accounts_tasks  # noqa: F401
from assessments.consultation import tasks as consultation_tasks  # noqa: F401
from assessments.data_returns import tasks as data_returns_tasks  # noqa: F401
from assessments.ops import tasks as ops_tasks  # noqa: F401
from assessments.reporting import tasks as reporting_tasks  # noqa: F401
