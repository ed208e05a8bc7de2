"""The real police.uk months and Milton Keynes LSOA boundaries kept in tests/data, loaded as an
analyst would: the months through `import_police_uk`, the boundaries through the upload's
reading (boundaries.py)."""

from __future__ import annotations

import io
import json
import lzma
from collections.abc import Iterable
from pathlib import Path

from django.core.management import call_command

from assessments.core.models import Partnership
from assessments.indicators.boundaries import boundary_set_replace, read_boundaries
from assessments.indicators.models import LsoaBoundarySet

DATA = Path(__file__).resolve().parent / "data"
REAL_MONTHS = DATA / "police-uk"
PREFIX = "Milton Keynes"


def import_real_months(
    partnership: Partnership, folder: Path, months: Iterable[str] | None = None
) -> None:
    """Import the months named ("2024-01"), every month without them."""
    chosen = set(months) if months is not None else None
    paths = []
    for path in sorted(REAL_MONTHS.glob("*.csv.xz")):
        if chosen is None or path.name[:7] in chosen:
            paths.append(folder / path.name.removesuffix(".xz"))
            paths[-1].write_bytes(lzma.decompress(path.read_bytes()))
    call_command(
        "import_police_uk", *map(str, paths), partnership=partnership.slug, lsoa_prefix=PREFIX,
        stdout=io.StringIO(),
    )  # fmt: skip


def load_real_boundaries(partnership: Partnership, vintage: int) -> LsoaBoundarySet:
    path = DATA / "boundaries" / f"milton-keynes-lsoa-{vintage}.geojson"
    boundary_set = LsoaBoundarySet.objects.create(
        partnership=partnership, vintage=vintage, name=f"Milton Keynes {vintage} LSOAs",
        attribution=f"Contains OS data © Crown copyright and database right {vintage}.",
    )  # fmt: skip
    boundary_set_replace(
        boundary_set, read_boundaries(path.read_bytes(), vintage=vintage), path.name
    )
    return boundary_set


def hotspot_counts(first: str, last: str, crime_types: Iterable[str]) -> dict[str, int]:
    """{LSOA code: count} as `manage.py hotspots safermk … --json` lists them."""
    out = io.StringIO()
    types = [part for name in crime_types for part in ("--crime-type", name)]
    call_command("hotspots", "safermk", "--from", first, "--to", last, *types, "--json", stdout=out)
    return {row["code"]: row["count"] for row in json.loads(out.getvalue())}
