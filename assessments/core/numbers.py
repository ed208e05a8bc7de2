"""How the app writes numbers, in GOV.UK style: the one place every change, percentage and
signed figure of a page, the PDF, the cover paper and the priorities' proposals is worded.

"%" straight after the number ("4.8%", never "4.8 %" or "4.8 per cent" in a figure), a real
minus sign ("−9.7%", U+2212, not a hyphen), a plus sign on rises, and rates and proportions
changing in percentage points, not per cent.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

MINUS = "\u2212"
ONE_PLACE = Decimal("0.1")


def one_place(value: Decimal) -> Decimal:
    """A figure as every page prints it: one decimal place, halves rounded up."""
    return value.quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


def signed(value: Decimal | float | int) -> str:
    """ "+4.8", "−9.7" or "0.0": a change with its sign, the minus a real minus sign."""
    if value > 0:
        return f"+{value}"
    return f"{value}".replace("-", MINUS)


def with_minus(text: str) -> str:
    """A number already written out ("-12.5", "-1,204") with its hyphen made a minus sign."""
    return text.replace("-", MINUS) if text.startswith("-") else text


def change_words(change: Decimal | None, *, is_rate: bool, points: str = "points") -> str:
    """ "+4.8%" for a count, "−0.9 points" (or "percentage points") for a rate; "" without."""
    if change is None:
        return ""
    return f"{signed(change)} {points}" if is_rate else f"{signed(change)}%"


def percent(value: Decimal | float | int, places: int = 0) -> str:
    """ "53%", "12.5%": a share or a band in per cent."""
    return with_minus(f"{value:,.{places}f}%")


def ranks(combined: Sequence[Decimal | int | None]) -> list[tuple[int, int | None]]:
    """(index, rank) in rank order, highest first, for figures given in some order (themes' combined
    scores in chapter order, LSOAs' counts by name).

    Python's sort is stable, so equal figures keep the order given; they share the rank of the
    first of them (1, 2, 2, 4). A missing score comes last and has no rank."""
    order = sorted(
        range(len(combined)),
        key=lambda i: (combined[i] is None, -(combined[i] or 0)),
    )
    result: list[tuple[int, int | None]] = []
    previous: Decimal | None = None
    rank = 0
    for position, index in enumerate(order, start=1):
        score = combined[index]
        if score is None:
            result.append((index, None))
            continue
        if score != previous:
            rank, previous = position, score
        result.append((index, rank))
    return result
