"""Small-number suppression for public figures about small areas (estates, LSOAs).

A count from 1 to threshold − 1 is shown as "fewer than 5" so that victims cannot be identified
(primary suppression). A total printed beside the cells would give a single hidden cell back by
subtraction, so in every row or column with exactly one hidden cell the next smallest cell is
hidden too (secondary suppression), repeated until no line has exactly one. Restricted
appendices show the real values and do not use this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

Number = int | Decimal | None


@dataclass(frozen=True)
class Cell:
    value: Number
    reason: str = ""  # "" shown; "small" below the threshold; "secondary" would reveal one

    @property
    def hidden(self) -> bool:
        return bool(self.reason)

    def display(self, threshold: int) -> str:
        if self.reason == "small":
            return f"fewer than {threshold}"
        if self.reason == "secondary":
            return "withheld"
        if self.value is None:
            return "no data"
        return f"{self.value:,.0f}" if self.value == int(self.value) else f"{self.value:,.1f}"


@dataclass
class SuppressedTable:
    cells: list[list[Cell]]
    row_totals: list[Cell]
    column_totals: list[Cell]
    threshold: int

    @property
    def anything_hidden(self) -> bool:
        return any(cell.hidden for row in self.cells for cell in row)


def threshold() -> int:
    return settings.SUPPRESSION_THRESHOLD


def is_small(value: Number, limit: int) -> bool:
    return value is not None and 0 < value < limit


def suppress(
    grid: list[list[Number]],
    *,
    limit: int | None = None,
    row_totals: bool = True,
    column_totals: bool = True,
) -> SuppressedTable:
    """Hide small counts in a table, and enough others that shown totals cannot reveal them."""
    limit = limit or threshold()
    hidden = [[("small" if is_small(v, limit) else "") for v in row] for row in grid]
    lines = []
    if row_totals:
        lines += [[(r, c) for c in range(len(row))] for r, row in enumerate(grid)]
    if column_totals and grid:
        lines += [[(r, c) for r in range(len(grid))] for c in range(len(grid[0]))]
    line_totals_hidden = [False] * len(lines)
    changed = True
    while changed:
        changed = False
        for index, line in enumerate(lines):
            if sum(1 for r, c in line if hidden[r][c]) != 1 or line_totals_hidden[index]:
                continue
            candidates = [(grid[r][c], r, c) for r, c in line if not hidden[r][c] and grid[r][c]]
            if candidates:
                _, r, c = min(candidates)
                hidden[r][c] = "secondary"
            else:  # nothing else to hide: the total itself would give the cell away
                line_totals_hidden[index] = True
            changed = True
    cells = [[Cell(v, hidden[r][c]) for c, v in enumerate(row)] for r, row in enumerate(grid)]
    totals = [Cell(_sum(grid[r][c] for r, c in line)) for line in lines]
    totals = [
        Cell(t.value, "secondary" if gone else "")
        for t, gone in zip(totals, line_totals_hidden, strict=True)
    ]
    split = len(grid) if row_totals else 0
    return SuppressedTable(cells, totals[:split], totals[split:], limit)


def suppress_list(values: list[Number], *, limit: int | None = None, total: bool = True):
    """One column of small-area counts, with or without its total shown."""
    return suppress([[v] for v in values], limit=limit, row_totals=False, column_totals=total)


def _sum(values) -> Number:
    present = [v for v in values if v is not None]
    return sum(present) if present else None
