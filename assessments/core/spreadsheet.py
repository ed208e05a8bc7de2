"""Cells a spreadsheet would run as formulas (OWASP "CSV injection"), and how to defuse them.

The one rule for every export and import: text starting with = + - @ tab or carriage return is
neutralised with a leading apostrophe (or, on import, refused), except a value that is nothing but
a number, so that a negative figure such as "-5" is still a number when the CSV is opened.
"""

from __future__ import annotations

import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A sign, then digits with thousands commas and/or a decimal part: at least one digit, so a bare
# "-" is text. "+44 1908 …" (a phone number) is not a number and a spreadsheet would try it as
# "=44 1908 …", so it is neutralised and shows as typed.
PLAIN_NUMBER = re.compile(r"[+-]?(\d[\d,]*(\.\d+)?|\.\d+)")


def looks_like_formula(value) -> bool:
    # Only trailing whitespace is forgiven: a leading tab or CR is itself a formula start.
    return (
        isinstance(value, str)
        and value.startswith(FORMULA_STARTS)
        and not PLAIN_NUMBER.fullmatch(value.rstrip())
    )


def neutralise(value):
    """Text a spreadsheet would run gets a leading apostrophe; numbers are left alone."""
    return "'" + value if looks_like_formula(value) else value


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
