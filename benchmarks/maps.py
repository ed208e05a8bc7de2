"""Drawing a map (issue 34): the demo's 166 Milton Keynes 2021 LSOAs shaded by made-up counts,
as a partner sees it and as the public does (suppressed), wide and narrow. Pure drawing: the
boundaries are read once beforehand, no database. Target: under 100 ms a map."""

import os
import statistics
import sys
import time

from assessments.demo.boundaries import BOUNDARIES_2021
from assessments.indicators.boundaries import read_boundaries
from assessments.indicators.maps import AreaFigure, ChoroplethMap, MapArea

RUNS = 30
TARGET_MS = 100


def _median_ms(action) -> float:
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        action()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def main() -> None:
    boundaries = read_boundaries(BOUNDARIES_2021.read_bytes(), vintage=2021)
    areas = [MapArea(b.code, b.name, b.polygons) for b in boundaries.lsoas]
    # Counts 0 to 40, a fifth of them under 5, as a quarter's crime of one type might be.
    figures = [AreaFigure(a.code, a.name, (i * 37) % 41) for i, a in enumerate(areas)]

    def drawn(public: bool, narrow: bool = False):
        def action():
            figure = ChoroplethMap(
                "Crimes by LSOA", areas, figures, "January to March 2024", 2021, "", public=public
            )
            return figure.narrow_svg() if narrow else figure.svg()

        return action

    load = os.getloadavg()[0]
    sys.stdout.write(
        f"Maps: {len(areas)} LSOAs, median of {RUNS} (target under {TARGET_MS} ms; "
        f"load average {load:.1f})\n"
    )
    for label, action in [
        ("partner, 640 wide", drawn(False)),
        ("public (suppressed), 640 wide", drawn(True)),
        ("public (suppressed), 320 wide", drawn(True, narrow=True)),
    ]:
        ms = _median_ms(action)
        flag = "" if ms < TARGET_MS else "  OVER TARGET"
        sys.stdout.write(f"  {label:<32} {ms:6.1f} ms  {len(action()):,} bytes{flag}\n")
