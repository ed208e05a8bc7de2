"""The admin classes live in the feature packages; importing them here registers them."""

from assessments.accounts import admin as accounts_admin  # noqa: F401
from assessments.appendices import admin as appendices_admin  # noqa: F401
from assessments.consultation import admin as consultation_admin  # noqa: F401
from assessments.core import admin as core_admin  # noqa: F401
from assessments.data_returns import admin as data_returns_admin  # noqa: F401
from assessments.indicators import admin as indicators_admin  # noqa: F401
from assessments.priorities import admin as priorities_admin  # noqa: F401
from assessments.publication import admin as publication_admin  # noqa: F401
from assessments.reporting import admin as reporting_admin  # noqa: F401
