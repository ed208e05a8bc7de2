"""The demo's LSOA boundaries: Milton Keynes' 2021 LSOAs from the copy in demo/data/, read
through the same code as an analyst's upload, as the SaferMK partnership's 2021 boundary set.

`demo_load` calls `demo_boundaries_load(partnership)` (again: the set is replaced with the file's
LSOAs, nothing else changes). The demo's made-up police.uk counts sit on LSOAs of this file
(`lsoa_codes_2021`, read by demo/indicator_data.py), so a map drawn with the set shades them.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

from assessments.core.models import Partnership
from assessments.indicators.boundaries import boundary_set_replace, read_boundaries
from assessments.indicators.models import LsoaBoundarySet

DATA = Path(__file__).resolve().parent / "data"
BOUNDARIES_2021 = DATA / "milton-keynes-lsoa-2021.geojson"
ATTRIBUTION_2021 = (
    "Source: Office for National Statistics licensed under the Open Government Licence v.3.0. "
    "Contains OS data © Crown copyright and database right 2021."
)


def demo_boundaries_load(partnership: Partnership) -> LsoaBoundarySet:
    """The partnership's 2021 boundary set, made or replaced from the demo's copy."""
    boundaries = read_boundaries(BOUNDARIES_2021.read_bytes(), vintage=2021)
    boundary_set, _ = LsoaBoundarySet.objects.update_or_create(
        partnership=partnership,
        vintage=LsoaBoundarySet.Vintage.LSOA_2021,
        defaults={
            "name": "Milton Keynes LSOAs, December 2021 (demo copy)",
            "source": "Office for National Statistics (ONS) digital boundaries",
            "attribution": ATTRIBUTION_2021,
        },
    )
    boundary_set_replace(boundary_set, boundaries, BOUNDARIES_2021.name)
    return boundary_set


@functools.cache
def lsoa_codes_2021() -> dict[str, str]:
    """{name: code} of the 2021 LSOAs in the demo's copy ("Milton Keynes 031A": "E01016711")."""
    features = json.loads(BOUNDARIES_2021.read_bytes())["features"]
    return {f["properties"]["LSOA21NM"]: f["properties"]["LSOA21CD"] for f in features}
