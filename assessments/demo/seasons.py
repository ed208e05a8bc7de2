"""The demo's monthly counts: annual totals spread over the months with a seasonal shape."""

from __future__ import annotations

import datetime as dt

from assessments.core.periods import Period

# Crime is a little higher in summer: the demo spreads annual counts over months with this shape.
SEASONAL_WEIGHTS = [8, 8, 9, 9, 9, 8, 8, 8, 8, 8, 8, 9]


def spread_over_months(total: int, year: Period) -> list[tuple[dt.date, int]]:
    """Split an annual count into 12 monthly counts that add up to it exactly."""
    weight_sum = sum(SEASONAL_WEIGHTS)
    counts = [total * w // weight_sum for w in SEASONAL_WEIGHTS]
    for i in range(total - sum(counts)):
        counts[i % 12] += 1
    return [(month.start, count) for month, count in zip(year.months(), counts, strict=True)]
