"""Cells a spreadsheet would run as formulas (OWASP "CSV injection"), and how to defuse them."""

from __future__ import annotations

import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"^[+-]?(\d[\d,]*)?(\.\d+)?$")


def looks_like_formula(value) -> bool:
    return (
        isinstance(value, str)
        and value.startswith(FORMULA_STARTS)
        and not PLAIN_NUMBER.match(value.strip())
    )


def neutralise(value):
    """Text a spreadsheet would run gets a leading apostrophe; numbers are left alone."""
    return "'" + value if looks_like_formula(value) else value
