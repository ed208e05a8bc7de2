"""Demo data requests for the 2017 assessment: what the analyst has asked partners for.

Buckinghamshire Fire and Rescue Service is asked for its incidents by type, by month, for 2015
and 2016 (the figures behind the fire chapter); Thames Valley Police and the council for
quarterly figures. Nothing has been returned yet: the demo's own figures stay as they are.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from assessments.core.models import Assessment, Partnership
from assessments.core.periods import PeriodType
from assessments.data_returns.models import DataRequest
from assessments.demo.content import LICENCES
from assessments.indicators.models import Geography, ImportBatch, Indicator

BFRS = "Buckinghamshire Fire and Rescue Service"
FIRE_SOURCE = "Buckinghamshire Fire and Rescue Service"
FIRE_TYPES = {
    "fire-incidents-fires": "Fires attended by BFRS",
    "fire-incidents-false-alarms": "False alarms attended by BFRS",
    "fire-incidents-special-services": "Special service incidents attended by BFRS",
}
FIRE_GUIDANCE = (
    "Count every incident attended in Milton Keynes, by the month of the call.\n"
    "Fires include primary and secondary fires and chimney fires. False alarms include "
    "malicious, good intent and apparatus alarms. Special services are non-fire incidents such "
    "as road traffic collisions and flooding.\n"
    "The value of “Incidents attended by BFRS” is the total of the three types."
)
# (organisation, title, indicator codes, period type, first, last, due in days, sent?, guidance)
REQUESTS = [
    (BFRS, "Fire incidents by type, by month", ["fire-incidents", *FIRE_TYPES],
     PeriodType.MONTH, dt.date(2015, 1, 1), dt.date(2016, 12, 1), 10, True, FIRE_GUIDANCE),
    ("Thames Valley Police", "Domestic abuse incidents and crimes, by quarter",
     ["domestic-abuse"], PeriodType.QUARTER, dt.date(2016, 4, 1), dt.date(2017, 1, 1), 10, True,
     "Incidents and crimes flagged as domestic abuse, by the quarter they were recorded."),
    ("Milton Keynes Council", "Anti-social behaviour incidents, by quarter",
     ["anti-social-behaviour"], PeriodType.QUARTER, dt.date(2016, 4, 1), dt.date(2017, 1, 1),
     21, False, "Incidents reported to the council's anti-social behaviour team."),
]  # fmt: skip


def demo_data_returns_reset(partnership: Partnership) -> None:
    """Returns uploaded while trying the demo go, with their figures, before the demo's own
    figures are restored (they may have replaced some of them)."""
    DataRequest.objects.filter(assessment__partnership=partnership).delete()
    ImportBatch.objects.filter(
        partnership=partnership, source=ImportBatch.Source.DATA_RETURN
    ).delete()


def demo_data_returns_load(assessment: Assessment) -> None:
    partnership = assessment.partnership
    for code, name in FIRE_TYPES.items():
        Indicator.objects.update_or_create(
            partnership=partnership,
            code=code,
            defaults={
                "name": name,
                "unit": "incidents",
                "source": FIRE_SOURCE,
                "licence": LICENCES[FIRE_SOURCE],
            },
        )
    today = timezone.localdate()
    for organisation, title, codes, kind, first, last, due_in, sent, guidance in REQUESTS:
        request, _ = DataRequest.objects.update_or_create(
            assessment=assessment,
            organisation=partnership.organisations.get(name=organisation),
            title=title,
            defaults={
                "period_type": kind,
                "first_period_start": first,
                "last_period_start": last,
                "geography_level": Geography.Level.AREA,
                "guidance": guidance,
                "due_on": today + dt.timedelta(days=due_in),
                "sent_at": timezone.now() if sent else None,
            },
        )
        request.indicators.set(Indicator.objects.filter(partnership=partnership, code__in=codes))
