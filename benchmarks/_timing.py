"""The one way the benchmarks time an action: median milliseconds, and the queries of a run."""

import statistics
import time

from django.db import connection
from django.test.utils import CaptureQueriesContext


def timed(action, repeat: int = 5) -> tuple[float, int]:
    """Median milliseconds of `repeat` runs of `action`, and the queries of the last run."""
    timings = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            action()
            timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings), len(queries)
