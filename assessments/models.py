"""The app's models live in its feature packages; importing them here lets Django find them."""

from assessments.accounts.models import *  # noqa: F403
from assessments.appendices.models import *  # noqa: F403
from assessments.consultation.models import *  # noqa: F403
from assessments.core.models import *  # noqa: F403
from assessments.data_returns.models import *  # noqa: F403
from assessments.indicators.models import *  # noqa: F403
from assessments.ops.models import *  # noqa: F403
from assessments.priorities.models import *  # noqa: F403
from assessments.publication.models import *  # noqa: F403
from assessments.reporting.models import *  # noqa: F403
