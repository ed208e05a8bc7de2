"""The one way the benchmarks time an action: median milliseconds, and the queries of a run."""

import statistics
import time

from django.db import connection, transaction
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


def print_against_floor(title: str, at_demo: dict, at_four: dict) -> None:
    """A table of each page's median ms as a multiple of the floor (the first row) at both
    sizes, with its queries."""
    floor_demo, floor_four = next(iter(at_demo.values()))[0], next(iter(at_four.values()))[0]
    print(f"## {title}")  # noqa: T201
    print("| page | demo ms | × floor | queries | 4× size ms | × floor | queries |")  # noqa: T201
    print("|---|---:|---:|---:|---:|---:|---:|")  # noqa: T201
    for name, (ms, queries) in at_demo.items():
        ms4, queries4 = at_four[name]
        print(  # noqa: T201
            f"| {name} | {ms:.1f} | {ms / floor_demo:.1f} | {queries} | {ms4:.1f} | "
            f"{ms4 / floor_four:.1f} | {queries4} |"
        )
