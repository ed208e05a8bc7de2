"""Import of police.uk street-level crime files (one CSV per force per month).

The files are streamed row by row: memory holds one counter per month × place × crime type, never
the rows, so it does not grow with the size of the file. Each month becomes one import batch
(key "police-uk:YYYY-MM"); importing a month again swaps its batch atomically, so counts are
replaced, never doubled.

Besides the partnership's own LSOAs, every row of a file counts for its comparators: the whole
force (one FORCE geography named from the file's "Falls within") and the local authority district
of the row's LSOA (one DISTRICT geography per LSOA name prefix, "Oxford 008A" -> "Oxford", named
as that month's file names it). A row without an LSOA counts for the force only, so a month's
districts plus its rows without an LSOA make up the force.

The area's rows are also counted on a fixed grid of square cells in British National Grid
metres (indicators/grid.py), from each row's longitude and latitude: where, finer than an LSOA.
A row of the area without coordinates counts for its LSOA but not on the grid.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import shutil
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from contextlib import ExitStack
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import chain, islice
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.text import slugify

from assessments.core.models import Partnership, User
from assessments.core.periods import PeriodType
from assessments.core.storage import StorageFault, storage_save
from assessments.indicators.grid import DEFAULT_CELL_METRES, GridTally
from assessments.indicators.models import (
    Geography,
    GridCount,
    ImportBatch,
    Indicator,
    Observation,
)
from assessments.indicators.selectors import (
    POLICE_UK_INDICATOR_PREFIX,
    batch_comparator_totals,
    batch_grid_totals,
    batch_totals_by_indicator,
)

SOURCE = "police.uk street-level crime (data.police.uk, Home Office)"
LICENCE = "Open Government Licence v3.0"
# What a chapter says under a police.uk figure beside the Home Office's of the same crime: which is
# the measure, and why the other differs.
STREET_LEVEL_CAVEAT = (
    "Street-level crime from police.uk, shown for its breakdown by estate; it is not the measure "
    "of record. Home Office police recorded crime is, and counts more: police.uk includes only "
    "crimes the police can place on a map, as recorded when each month was published."
)
ATTRIBUTION = (
    "Contains public sector information licensed under the Open Government Licence v3.0. "
    "Source: data.police.uk (Home Office)."
)
REQUIRED_COLUMNS = ("Month", "LSOA code", "LSOA name", "Crime type")
ASB = "Anti-social behaviour"
CRIME_TYPES = (
    ASB,
    "Bicycle theft",
    "Burglary",
    "Criminal damage and arson",
    "Drugs",
    "Other crime",
    "Other theft",
    "Possession of weapons",
    "Public order",
    "Robbery",
    "Shoplifting",
    "Theft from the person",
    "Vehicle crime",
    "Violence and sexual offences",
)
ALL_CRIME = "All crime excluding anti-social behaviour"
INDICATOR_PREFIX = POLICE_UK_INDICATOR_PREFIX


class PoliceUkFileError(ValueError):
    """A file that is not a police.uk street-level CSV; nothing of the import is saved."""


def indicator_code(crime_type: str) -> str:
    return INDICATOR_PREFIX + slugify(crime_type)


def place_code(name: str) -> str:
    """The code of a force or district, which police.uk files name but do not code."""
    return slugify(name)


def district_of(lsoa_name: str) -> str:
    """The local authority district an LSOA name starts with ("South Bucks 001A")."""
    return lsoa_name.rsplit(" ", 1)[0]


@dataclass
class MonthTally:
    """What one month of the files held: the counts and every row that was left out."""

    rows_read: int = 0
    outside_area: int = 0
    without_lsoa: int = 0
    # (LSOA code, crime type) -> number of rows
    counts: Counter = field(default_factory=Counter)
    lsoa_names: dict[str, str] = field(default_factory=dict)
    # (force name, crime type) and (district name, crime type) -> number of rows: comparators.
    forces: Counter = field(default_factory=Counter)
    districts: Counter = field(default_factory=Counter)
    files: set[str] = field(default_factory=set)
    # The area's rows by cell of the grid and crime type.
    grid: GridTally = field(default_factory=GridTally)

    @property
    def imported(self) -> int:
        return self.rows_read - self.outside_area - self.without_lsoa


def _rows(stream: BinaryIO, file_name: str) -> Iterable[dict[str, str]]:
    # newline="" keeps CRLF files (2024 onwards) from leaving "\r" in the last column.
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    reader = csv.DictReader(text)
    missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise PoliceUkFileError(
            f"{file_name} is not a police.uk street-level file: it has no column "
            f"{', '.join(repr(c) for c in missing)}."
        )
    yield from reader


def _parse_month(value: str, file_name: str, line: int) -> dt.date:
    try:
        return dt.datetime.strptime(value.strip(), "%Y-%m").date()
    except ValueError:
        raise PoliceUkFileError(
            f"{file_name}, line {line}: Month {value!r} is not a month like 2019-01."
        ) from None


def _point(row: dict[str, str], file_name: str, line: int) -> tuple[float, float] | None:
    """(longitude, latitude) of a row, or None where it has no location."""
    longitude, latitude = (row.get("Longitude") or "").strip(), (row.get("Latitude") or "").strip()
    if not longitude or not latitude:
        return None
    try:
        point = float(longitude), float(latitude)
    except ValueError:
        point = None
    if point is None or not (-180 <= point[0] <= 180 and -90 <= point[1] <= 90):
        raise PoliceUkFileError(
            f"{file_name}, line {line}: Longitude {longitude!r} and Latitude {latitude!r} are "
            "not a place on the map."
        )
    return point


def _force_name(row: dict[str, str], file_name: str, line: int) -> str:
    force = (row.get("Falls within") or row.get("Reported by") or "").strip()
    if not force:
        raise PoliceUkFileError(
            f'{file_name}, line {line}: no force is named ("Falls within" and "Reported by" '
            "are empty)."
        )
    return force


def tally_files(
    files: Iterable[tuple[str, BinaryIO]],
    area_prefix: str,
    cell_metres: int = DEFAULT_CELL_METRES,
) -> dict[dt.date, MonthTally]:
    """Count the rows of the files by month, place and crime type, and the area's rows by cell
    of the grid; read only, nothing saved."""
    prefix = area_prefix.strip().casefold() + " "
    known_types = frozenset(CRIME_TYPES)
    months: dict[dt.date, MonthTally] = defaultdict(lambda: MonthTally(grid=GridTally(cell_metres)))
    for file_name, stream in files:
        for line, row in enumerate(_rows(stream, file_name), start=2):
            tally = months[_parse_month(row["Month"], file_name, line)]
            tally.files.add(file_name)
            tally.rows_read += 1
            crime_type = row["Crime type"].strip()
            if crime_type not in known_types:
                raise PoliceUkFileError(
                    f"{file_name}, line {line}: unknown crime type {crime_type!r}."
                )
            tally.forces[_force_name(row, file_name, line), crime_type] += 1
            code, name = row["LSOA code"].strip(), row["LSOA name"].strip()
            if not code or not name:
                tally.without_lsoa += 1
                continue
            tally.districts[district_of(name), crime_type] += 1
            if not name.casefold().startswith(prefix):
                tally.outside_area += 1
            else:
                tally.counts[code, crime_type] += 1
                tally.lsoa_names.setdefault(code, name)
                tally.grid.add(_point(row, file_name, line), crime_type)
    for tally in months.values():
        tally.grid.flush()
    return dict(sorted(months.items()))


def _by_place(counts: Counter) -> dict[str, dict]:
    """{place: counts by crime type and all crime but ASB} of a (place, crime type) counter, as
    the files hold them: the preview's figures, in the shape of the stored summary's."""
    places: dict[str, Counter] = defaultdict(Counter)
    for (place, crime_type), count in counts.items():
        places[place][indicator_code(crime_type)] += count
        if crime_type != ASB:
            places[place][indicator_code(ALL_CRIME)] += count
    return {place: _counts(by_code) for place, by_code in sorted(places.items())}


def month_summary(tally: MonthTally) -> dict:
    per_type = Counter()
    for (_, crime_type), count in tally.counts.items():
        per_type[crime_type] += count
    return {
        "rows_read": tally.rows_read,
        "imported": tally.imported,
        "outside_area": tally.outside_area,
        "without_lsoa": tally.without_lsoa,
        "lsoas": len(tally.lsoa_names),
        "crime_types": {t: per_type[t] for t in CRIME_TYPES if per_type[t]},
        **grid_summary(tally.grid),
        "force": _by_place(tally.forces),
        "districts": _by_place(tally.districts),
    }


def grid_summary(grid: GridTally) -> dict:
    """What the grid holds of a month: the cell size, the rows placed and the cells they fill,
    and the area's rows that count for their LSOA but could not be placed (no coordinates)."""
    return {
        "grid": {
            "cell_metres": grid.cell_metres,
            "placed": grid.placed,
            "cells": grid.cell_count,
        },
        "without_coordinates": grid.without_coordinates,
    }


def police_uk_indicators(partnership: Partnership) -> dict[str, Indicator]:
    """One indicator per crime type, plus all crime excluding anti-social behaviour."""
    indicators = {}
    for crime_type in (*CRIME_TYPES, ALL_CRIME):
        name = f"{crime_type} (police.uk)"
        indicators[crime_type], _ = Indicator.objects.get_or_create(
            partnership=partnership,
            code=indicator_code(crime_type),
            defaults={
                "name": name,
                "unit": "incidents" if crime_type == ASB else "crimes",
                "source": SOURCE,
                "licence": LICENCE,
            },
        )
    return indicators


def _places(partnership: Partnership, level: str, names: dict[str, str]) -> dict[str, Geography]:
    """{code: geography} of one level for the codes given, creating those not yet known.

    A place already known keeps its name: a later file's spelling does not rename it."""
    existing = {
        g.code: g
        for g in Geography.objects.filter(
            partnership=partnership, level=level, code__in=list(names)
        )
    }
    new = [
        Geography(partnership=partnership, level=level, code=code, name=name)
        for code, name in names.items()
        if code not in existing
    ]
    Geography.objects.bulk_create(new)
    existing.update({g.code: g for g in new})
    return existing


def _comparators(partnership, level: str, counts: Counter) -> tuple[Counter, dict]:
    """A (name, crime type) counter of forces or districts keyed by the place's code instead
    (two spellings of one place add up), and those places by code."""
    by_code, names = Counter(), {}
    for (name, crime_type), count in counts.items():
        by_code[place_code(name), crime_type] += count
        names.setdefault(place_code(name), name)
    return by_code, _places(partnership, level, names)


def _observations(counts: Counter, places: dict[str, Geography], month, batch, indicators):
    """A month's observations of one kind of place: each crime type, and all crime but ASB."""
    all_crime = Counter()
    for (key, crime_type), count in counts.items():
        if crime_type != ASB:
            all_crime[key] += count
        yield month_observation(indicators[crime_type], places[key], batch, month, count)
    for key, count in all_crime.items():
        yield month_observation(indicators[ALL_CRIME], places[key], batch, month, count)


def month_observation(indicator, geography, batch, month: dt.date, count) -> Observation:
    """One month's count at one place, as an import of police.uk files stores it."""
    return Observation(
        indicator=indicator,
        geography=geography,
        batch=batch,
        period_type=PeriodType.MONTH,
        period_start=month,
        value=count,
    )


def batch_replace(
    *, partnership: Partnership, key: str, source: str, **fields
) -> tuple[ImportBatch, ImportBatch | None]:
    """Create the current batch for a key, superseding (and emptying) the previous one.

    Call inside a transaction. Only one batch per key may be current, so the new batch is
    created pointing at the old one, then the pointers are turned round.
    """
    old = ImportBatch.objects.filter(
        partnership=partnership, key=key, superseded_by__isnull=True
    ).first()
    batch = ImportBatch.objects.create(
        partnership=partnership, key=key, source=source, superseded_by=old, **fields
    )
    if old is not None:
        old.observations.all().delete()
        old.grid_counts.all().delete()
        old.superseded_by = batch
        old.save(update_fields=["superseded_by"])
        batch.superseded_by = None
        batch.save(update_fields=["superseded_by"])
    return batch, old


def _save_month(partnership, month: dt.date, tally: MonthTally, indicators, user) -> ImportBatch:
    batch, _ = batch_replace(
        partnership=partnership,
        key=f"police-uk:{month:%Y-%m}",
        source=ImportBatch.Source.POLICE_UK,
        file_name=", ".join(sorted(tally.files))[:255],
        imported_by=user,
        row_count=tally.imported,
        summary=month_summary(tally),
    )
    places = [
        (tally.counts, _places(partnership, Geography.Level.LSOA, tally.lsoa_names)),
        _comparators(partnership, Geography.Level.FORCE, tally.forces),
        _comparators(partnership, Geography.Level.DISTRICT, tally.districts),
    ]
    Observation.objects.bulk_create(
        chain.from_iterable(
            _observations(counts, at, month, batch, indicators) for counts, at in places
        ),
        batch_size=2000,
    )
    cells = (
        GridCount(
            batch=batch,
            indicator=indicators[crime_type],
            month=month,
            cell_metres=tally.grid.cell_metres,
            easting=easting,
            northing=northing,
            count=count,
        )
        for easting, northing, crime_type, count in tally.grid.cells()
    )
    # In chunks: bulk_create would hold every cell of the month as a model instance at once.
    while chunk := list(islice(cells, 1000)):
        GridCount.objects.bulk_create(chunk)
    return batch


def police_uk_import(
    *,
    partnership: Partnership,
    files: Iterable[tuple[str, BinaryIO]],
    lsoa_prefix: str | None = None,
    user: User | None = None,
    cell_metres: int = DEFAULT_CELL_METRES,
) -> list[ImportBatch]:
    """Import police.uk files for the partnership's area: all months, or none on any error."""
    months = tally_files(files, lsoa_prefix or partnership.area_name, cell_metres)
    with transaction.atomic():
        indicators = police_uk_indicators(partnership)
        return [
            _save_month(partnership, month, tally, indicators, user)
            for month, tally in months.items()
        ]


def _counts(stored: Mapping[str, Decimal | int]) -> dict:
    """Counts by crime type and all crime but ASB, from {indicator code: total}."""
    return {
        "crime_types": {
            crime_type: int(stored[indicator_code(crime_type)])
            for crime_type in CRIME_TYPES
            if stored.get(indicator_code(crime_type))
        },
        "all_crime_excluding_asb": int(stored.get(indicator_code(ALL_CRIME), 0)),
    }


def police_uk_summary(batches: Iterable[ImportBatch]) -> dict[str, dict]:
    """Per month: rows read, imported, left out, and the counts per crime type, as stored: the
    area's, the force's and each district's (read back from the database, not the files)."""
    summary = {}
    for batch in batches:
        month = batch.key.removeprefix("police-uk:")
        stored = batch_totals_by_indicator(batch)
        comparators = batch_comparator_totals(batch)
        summary[month] = {
            **{k: batch.summary[k] for k in ("rows_read", "outside_area", "without_lsoa")},
            # Batches imported before the grid have none.
            "without_coordinates": batch.summary.get("without_coordinates"),
            "grid": batch_grid_totals(batch),
            "imported": int(
                sum(v for code, v in stored.items() if code != indicator_code(ALL_CRIME))
            ),
            **_counts(stored),
            **{
                block: {name: _counts(totals) for name, totals in comparators[level].items()}
                for block, level in (
                    ("force", Geography.Level.FORCE),
                    ("districts", Geography.Level.DISTRICT),
                )
            },
        }
    return summary


# Admin uploads wait between preview and confirmation in private media, under a random token.
UPLOADS = "police-uk-uploads"
TOKEN = re.compile(r"^[0-9a-f]{32}$")


def _upload_dir(token: str) -> Path:
    if not TOKEN.match(token):
        raise PoliceUkFileError("The upload has expired; choose the files again.")
    return Path(settings.MEDIA_ROOT) / UPLOADS / token


def police_uk_upload_store(files) -> str:
    """Keep uploaded files (Django UploadedFile) for the confirmation step; returns a token.
    StorageFault, with nothing left behind, on a full or read-only store."""
    discard_abandoned_uploads(UPLOADS)
    token = uuid.uuid4().hex
    try:
        for number, upload in enumerate(files):
            # Our own file names: the user's name is kept only as text after the number.
            name = f"{UPLOADS}/{token}/{number:03d}-{Path(upload.name).name}"
            storage_save(default_storage, name, upload)
    except StorageFault:
        police_uk_upload_discard(token)
        raise
    return token


def discard_abandoned_uploads(folder_name: str) -> int:
    """Previews that were never confirmed leave their files behind: clear those older than
    UPLOAD_RETENTION_HOURS (at each upload, and daily by the housekeeping job)."""
    root = Path(settings.MEDIA_ROOT) / folder_name
    cutoff = time.time() - settings.UPLOAD_RETENTION_HOURS * 3600
    old = [f for f in root.glob("*") if TOKEN.match(f.name) and f.stat().st_mtime < cutoff]
    for folder in old:
        shutil.rmtree(folder, ignore_errors=True)
    return len(old)


def police_uk_upload_tally(token: str, area_prefix: str) -> dict[dt.date, MonthTally]:
    with ExitStack() as stack:
        return tally_files(_open_upload(token, stack), area_prefix)


def police_uk_upload_import(
    *, token: str, partnership: Partnership, lsoa_prefix: str | None, user: User
) -> list[ImportBatch]:
    """Import the stored upload, then delete it."""
    with ExitStack() as stack:
        batches = police_uk_import(
            partnership=partnership,
            files=_open_upload(token, stack),
            lsoa_prefix=lsoa_prefix,
            user=user,
        )
    police_uk_upload_discard(token)
    return batches


def police_uk_upload_discard(token: str) -> None:
    shutil.rmtree(_upload_dir(token), ignore_errors=True)


def _open_upload(token: str, stack: ExitStack) -> list[tuple[str, BinaryIO]]:
    folder = _upload_dir(token)
    if not folder.is_dir():
        raise PoliceUkFileError("The upload has expired; choose the files again.")
    paths = sorted(folder.iterdir())
    return [(path.name.split("-", 1)[1], stack.enter_context(path.open("rb"))) for path in paths]
