"""Benchmark: importing police.uk street-level rows on SQLite and PostgreSQL.

Files of 25,000, 50,000 and 100,000 rows are built from the real Thames Valley files in
../shared/data/police-uk/ (repeated to reach the size), and each is imported into a fresh
database in a child process. The import keeps, besides Milton Keynes' LSOAs, the whole force and
each district of the files as comparators (issue 19). Reported: the time of the import, and the
peak of Python memory during a second import of the same file (tracemalloc slows code down, so it
is not timed), and the observations stored (of which at the force and its districts). Memory must
not grow with the file; 100,000 rows must take under 10 s.

Since issue 34 the import also counts the area's rows on a grid of 250 m cells (British National
Grid, indicators/grid.py). Each file is imported twice more with the grid left out (its points
neither transformed nor stored, as before the grid), so the grid's cost is read off the pair; the
100,000-row file must import with its grid in under 10 s with at most twice the memory without it.
"""

from __future__ import annotations

import itertools
import json
import lzma
import os
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

REAL_FILES = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "police-uk"
# The repository's own copy (every Milton Keynes row of the six months, a sample of the rest),
# for a clone without ../shared: more of its rows are in the area, so the grid does more.
KEPT_FILES = Path(__file__).resolve().parent.parent / "tests" / "data" / "police-uk"
SIZES = (25_000, 50_000, 100_000)
POSTGRES_URL = os.getenv("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/safermk_bench")


def say(line: str) -> None:
    """A benchmark is a command-line program: its report goes to standard output."""
    sys.stdout.write(line + "\n")


def real_files(folder: Path) -> list[Path]:
    """The six real months: ../shared's files, or else the repository's, decompressed."""
    everything = sorted(REAL_FILES.glob("*-street.csv"))
    if everything:
        return everything
    say(f"  ({REAL_FILES} not found: the sampled months of {KEPT_FILES})")
    for kept in sorted(KEPT_FILES.glob("*-street.csv.xz")):
        (folder / kept.name.removesuffix(".xz")).write_bytes(lzma.decompress(kept.read_bytes()))
    return sorted(folder.glob("*-street.csv"))


def build_file(rows: int, folder: Path, sources: list[Path]) -> Path:
    """A police.uk CSV of exactly this many data rows, cycling through the given real files."""
    path = folder / f"police-uk-{rows}-{len(sources)}.csv"

    def data_lines():
        for source in itertools.cycle(sources):
            with source.open("rb") as lines:
                next(lines)  # header
                yield from lines

    with path.open("wb") as out:
        with sources[0].open("rb") as first:
            out.write(first.readline())
        out.writelines(itertools.islice(data_lines(), rows))
    return path


def run_one(path: str, with_grid: bool = True) -> dict:
    """In a child process: a fresh database, the timed import, then the measured re-import."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safermk.settings")
    django.setup()
    from django.db import connection

    if connection.vendor == "sqlite":  # a file, like production, not the in-memory test default
        connection.settings_dict["TEST"]["NAME"] = str(Path(path).with_suffix(".sqlite3"))
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from assessments.core.models import Partnership
        from assessments.indicators.grid import GridTally
        from assessments.indicators.models import GridCount, Observation
        from assessments.indicators.police_uk import police_uk_import

        if not with_grid:  # as before issue 34: no point is kept, transformed or stored
            GridTally.add = lambda self, point, crime_type: None

        partnership = Partnership.objects.create(
            slug="bench", name="Bench", area_name="Milton Keynes"
        )

        def run() -> tuple[float, float]:
            started, cpu = time.perf_counter(), time.process_time()
            with open(path, "rb") as stream:
                police_uk_import(partnership=partnership, files=[(Path(path).name, stream)])
            return time.perf_counter() - started, time.process_time() - cpu

        seconds, cpu_seconds = run()
        tracemalloc.start()
        run()
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return {
            "grid": with_grid,
            "grid_counts": GridCount.objects.count(),
            "database": connection.vendor,
            "seconds": round(seconds, 2),
            # This process's CPU time: steadier than the wall clock on a shared machine.
            "cpu_seconds": round(cpu_seconds, 2),
            "peak_mb": round(peak / 1e6, 1),
            "observations": Observation.objects.count(),
            "comparator_observations": Observation.objects.filter(
                geography__level__in=["force", "district"]
            ).count(),
        }
    finally:
        connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)


def child(path: Path, database_url: str, with_grid: bool = True) -> dict | None:
    env = {**os.environ, "DATABASE_URL": database_url}
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.police_uk", "--run", str(path)]
        + ([] if with_grid else ["--no-grid"]),
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode:
        say(f"    failed on {database_url}: {result.stderr.strip().splitlines()[-1:]}")
        return None
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    say(
        "police.uk import (rows, database, seconds and CPU seconds of this process, peak Python "
        "memory of the import; "
        "with the grid, then without)"
    )
    with tempfile.TemporaryDirectory(prefix="bench-police-uk-") as folder:
        everything = real_files(Path(folder))
        # Six real months cycled, then one month repeated: memory follows the number of months
        # and places (what is counted), not the number of rows.
        runs = [(rows, everything) for rows in SIZES] + [(rows, everything[-1:]) for rows in SIZES]
        databases = [f"sqlite:///{folder}/bench.sqlite3", POSTGRES_URL]
        worst, memory = 0.0, 0.0
        for rows, sources in runs:
            path = build_file(rows, Path(folder), sources)
            say(f"  {', '.join(s.name[:7] for s in sources)}:")
            for url in databases:
                figures, without = child(path, url), child(path, url, with_grid=False)
                if figures and without:
                    if rows == max(SIZES):
                        worst = max(worst, figures["seconds"])
                        memory = max(memory, figures["peak_mb"] / without["peak_mb"])
                    say(
                        f"  {rows:>7,} rows  {figures['database']:<10} {figures['seconds']:>6.2f} s"
                        f" (CPU {figures['cpu_seconds']:.2f} s)  {figures['peak_mb']:>6.1f} MB  | "
                        f"without the grid {without['seconds']:>6.2f} s (CPU "
                        f"{without['cpu_seconds']:.2f} s)  {without['peak_mb']:>6.1f} MB  "
                        f"({figures['observations']:,} obs., "
                        f"{figures['comparator_observations']:,} at the force and districts; "
                        f"{figures['grid_counts']:,} grid counts)"
                    )
        verdict = "under" if worst < 10 else "OVER"
        say(f"  100,000 rows: slowest {worst:.2f} s with the grid, {verdict} the 10 s limit")
        verdict = "within" if memory <= 2 else "OVER"
        say(f"  100,000 rows: peak memory {memory:.2f}× without the grid, {verdict} the 2× limit")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--run"]:
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
        say(json.dumps(run_one(sys.argv[2], with_grid="--no-grid" not in sys.argv)))
    else:
        main()
