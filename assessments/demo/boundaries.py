"""The demo's LSOA boundaries: Milton Keynes' 2021 LSOAs from the copy in demo/data/, read
through the same code as an analyst's upload, as the SaferMK partnership's 2021 boundary set.

Not yet part of `demo_load`: call `demo_boundaries_load(partnership)` to add the set (again: the
set is replaced with the file's LSOAs, nothing else changes).
"""

from __future__ import annotations

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
