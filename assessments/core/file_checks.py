"""Checks every uploaded table passes before anything reads it as rows: no formula in any cell
of any sheet, no column heading twice, and a workbook read only as far as its real cells reach.

An XLSX worksheet declares its extent in `<dimension ref="A1:XFD1048576">`, and openpyxl's
read-only rows are padded out to it, so a 167 KB file once cost 9.4 s of CPU. The extent is
therefore measured here from the cells themselves, and a cell beyond what a table may hold is
refused. Formulas are looked for in the sheet XML (`<f>` in a cell), in every sheet, because the
reader only reads one sheet and a formula anywhere travels with the stored file.
"""

from __future__ import annotations

import io
import zipfile
from collections import Counter
from dataclasses import dataclass
from xml.etree.ElementTree import iterparse

import openpyxl
from django.conf import settings
from openpyxl.utils.cell import coordinate_to_tuple, get_column_letter

from assessments.core.spreadsheet import looks_like_formula

# Far more than any table here has (the widest, a data return, has 9), and small enough that a
# row padded out to it costs nothing.
MAX_COLUMNS = 100
FORMULA_REFUSED = (
    "Files may hold values only: anything that looks like a spreadsheet formula is refused. "
    "Copy the cells and paste them as values, then upload the file again."
)


class ImportLimitError(ValueError):
    """A file refused before reading: the message says which limit or cell, and why."""


@dataclass(frozen=True)
class Extent:
    rows: int
    columns: int


def check_headings(headers) -> None:
    names = [str(header or "").strip() for header in headers or []]
    repeated = sorted(name for name, count in Counter(filter(None, names)).items() if count > 1)
    if repeated:
        raise ImportLimitError(
            f"The file's columns are wrong: repeated column {', '.join(repeated)}. Keep one "
            "column of each name."
        )


def check_no_formula_text(dataset) -> None:
    """Every cell, by position, headings included: a value under a repeated or empty heading
    would escape a check made row by row through a dict of headings."""
    for number, values in enumerate([dataset.headers or [], *dataset], start=1):
        for column, value in enumerate(values, start=1):
            if looks_like_formula(value):
                cell = f"{get_column_letter(column)}{number}"
                raise ImportLimitError(f"Row {number}, cell {cell}: “{value}”. {FORMULA_REFUSED}")


def _sheet_cells(stream):
    """(row, column, is_formula) of each cell as stored, whatever the sheet declares."""
    row = column = 0
    for event, element in iterparse(stream, events=("start", "end")):
        tag = element.tag.rpartition("}")[2]
        if event == "start" and tag == "row":
            row, column = int(element.get("r") or row + 1), 0
        elif event == "end" and tag == "c":
            reference = element.get("r")
            row, column = coordinate_to_tuple(reference) if reference else (row, column + 1)
            yield row, column, any(child.tag.rpartition("}")[2] == "f" for child in element)
            element.clear()
        elif event == "end" and tag == "row":
            element.clear()


def scan_workbook(data: bytes, sheet_name: str | None) -> Extent:
    """Refuse a formula in any cell of any sheet and a cell outside what a table may hold; the
    extent of the sheet that will be read (`sheet_name`, else the active one)."""
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    chosen = book[sheet_name] if sheet_name in book.sheetnames else book.active
    max_rows = settings.IMPORT_MAX_ROWS + 1  # and the headings
    extent = Extent(0, 0)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for sheet in book.worksheets:
            # openpyxl's read-only sheet knows its part of the zip; the cells are read here.
            with archive.open(sheet._worksheet_path) as stream:
                for row, column, is_formula in _sheet_cells(stream):
                    cell = f"Sheet “{sheet.title}”, cell {get_column_letter(column)}{row}"
                    if is_formula:
                        raise ImportLimitError(f"{cell} holds a formula. {FORMULA_REFUSED}")
                    if sheet is chosen:
                        if row > max_rows or column > MAX_COLUMNS:
                            raise ImportLimitError(
                                f"{cell} is outside the table: files may have up to "
                                f"{settings.IMPORT_MAX_ROWS:,} rows and {MAX_COLUMNS} columns."
                            )
                        extent = Extent(max(extent.rows, row), max(extent.columns, column))
    book.close()
    return extent
