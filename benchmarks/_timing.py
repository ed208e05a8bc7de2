"""The one way the benchmarks time an action: median milliseconds, and the queries of a run."""

import os
import statistics
import time

from django.conf import settings
from django.db import connection, reset_queries, transaction
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


def timed_with_floor(floor, action, repeat: int) -> tuple[float, int, float]:
    """Median ms of `action`, its queries, and the median ms of `floor` run in turn with it: on
    a shared machine the load changes from one second to the next, and a floor measured once
    before the pages compared them with another moment's machine."""
    runs, floors = [], []
    for _ in range(repeat):
        reset_queries()  # with DEBUG the log keeps only the last 9,000 queries
        runs.append(timed(action, repeat=1))
        floors.append(timed(floor, repeat=1)[0])
    return statistics.median(ms for ms, _ in runs), runs[-1][1], statistics.median(floors)


class _RollBack(Exception):
    pass


def at_two_sizes(measure) -> tuple[dict, dict]:
    """`measure(assessment)` on the demo and on the demo scaled to four times its indicators,
    chapters, headlines and comments (assessments/demo/scale.py), in a transaction rolled back."""
    from assessments.demo.load import demo_load  # noqa: PLC0415 (Django is set up by now)
    from assessments.demo.scale import demo_scale_up  # noqa: PLC0415

    try:
        with transaction.atomic():
            assessment = demo_load()
            at_demo = measure(assessment)
            demo_scale_up(assessment, factor=4)
            at_four = measure(assessment)
            raise _RollBack
    except _RollBack:
        pass
    return at_demo, at_four


def print_against_floor(
    title: str, at_demo: dict, at_four: dict, sizes: tuple[str, str] = ("demo", "4× size")
) -> None:
    """A table of each page's median ms as a multiple of the floor measured in turn with it
    (`timed_with_floor`) at both sizes, with its queries; the floor's own row first."""
    print(f"## {title} (DEBUG={settings.DEBUG}; load average {os.getloadavg()[0]:.1f})")  # noqa: T201
    small, large = sizes
    print(f"| page | {small} ms | × floor | queries | {large} ms | × floor | queries |")  # noqa: T201
    print("|---|---:|---:|---:|---:|---:|---:|")  # noqa: T201
    for name, (ms, queries, floor) in at_demo.items():
        ms4, queries4, floor4 = at_four[name]
        print(  # noqa: T201
            f"| {name} | {ms:.1f} | {ms / floor:.1f} | {queries} | {ms4:.1f} | "
            f"{ms4 / floor4:.1f} | {queries4} |"
        )
