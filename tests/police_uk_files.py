"""Small police.uk street-level files written by the tests, in the real files' format."""

from __future__ import annotations

import csv
import io
import random

HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
    "Crime type,Last outcome category,Context"
)
FORCE = "Thames Valley Police"
TYPES = ["Anti-social behaviour", "Burglary", "Drugs", "Shoplifting", "Vehicle crime",
         "Violence and sexual offences"]  # fmt: skip
LSOAS = [
    ("E01016700", "Testville 001A"),
    ("E01016701", "Testville 001B"),
    ("E01016702", "Testville 002A"),
    ("E01099999", "Elsewhere 001A"),  # outside the area
    ("", ""),  # no location
    ("E01088888", "Far Away Vale 003C"),  # outside the area, a district of three words
]


def police_uk_row(
    month: str,
    lsoa: tuple[str, str],
    crime_type: str,
    n: int = 0,
    at: tuple[str, str] = ("-0.75", "52.04"),
) -> list[str]:
    """A row; `at` is its (longitude, latitude), left empty where the row has no LSOA."""
    code, name = lsoa
    crime_id = "" if crime_type == "Anti-social behaviour" else f"{n:064x}"
    located = (*at, "On or near Test Street") if code else ("", "", "No Location")
    return [crime_id, month, FORCE, FORCE, *located, code, name, crime_type, "", ""]


def police_uk_csv(rows: list[list[str]], *, crlf: bool = False) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n" if crlf else "\n")
    writer.writerow(HEADER.split(","))
    writer.writerows(rows)
    return out.getvalue().encode()


def random_month(month: str, rows: int, seed: int) -> list[list[str]]:
    chooser = random.Random(seed)
    return [
        police_uk_row(month, chooser.choice(LSOAS), chooser.choice(TYPES), n) for n in range(rows)
    ]


def independent_count(data: bytes, prefix: str) -> dict[str, int]:
    """Rows per crime type whose LSOA name starts with the prefix: what the import must give."""
    counts: dict[str, int] = {}
    for row in csv.DictReader(io.StringIO(data.decode(), newline="")):
        if row["LSOA name"].startswith(prefix + " "):
            counts[row["Crime type"]] = counts.get(row["Crime type"], 0) + 1
    return counts


def _rows_of(data: bytes):
    return csv.DictReader(io.StringIO(data.decode(), newline=""))


def independent_force_count(data: bytes) -> dict[str, dict[str, int]]:
    """{force ("Falls within"): {crime type: rows}} over every row of the file."""
    counts: dict[str, dict[str, int]] = {}
    for row in _rows_of(data):
        per_type = counts.setdefault(row["Falls within"], {})
        per_type[row["Crime type"]] = per_type.get(row["Crime type"], 0) + 1
    return counts


def independent_district_count(data: bytes) -> dict[str, dict[str, int]]:
    """{district (the LSOA name without its last word): {crime type: rows}}; rows without an
    LSOA belong to no district."""
    counts: dict[str, dict[str, int]] = {}
    for row in _rows_of(data):
        if row["LSOA name"]:
            per_type = counts.setdefault(" ".join(row["LSOA name"].split()[:-1]), {})
            per_type[row["Crime type"]] = per_type.get(row["Crime type"], 0) + 1
    return counts


def rows_without_lsoa(data: bytes) -> int:
    return sum(1 for row in _rows_of(data) if not row["LSOA code"])
