"""The one rule for cells a spreadsheet would run (OWASP "CSV injection"), used by every export.

Text starting with = + - @ tab or carriage return gets a leading apostrophe; a value that is
nothing but a number (a sign, digits, thousands commas, a decimal part) stays a number, so a
negative change such as "-5" is still a figure when the CSV is opened.
"""

import pytest

from assessments.core.spreadsheet import looks_like_formula, neutralise


@pytest.mark.parametrize(
    "text",
    [
        "=1+1",
        '=HYPERLINK("http://evil.example")',
        "+SUM(A1)",
        "-2+3",
        "-A1",
        "@SUM(A1)",
        "\tx",
        "\rx",
        "\t5",  # a tab or carriage return first is not a number, whatever follows
        "\r-5",
        "+44 1908 000000",  # a phone number is text: a spreadsheet would read it as "=44 1908 …"
        "-",
        "+",
        "-5\n=1+1",
        "-1+cmd|' /C calc'!A0",
    ],
)
def test_text_a_spreadsheet_would_run_gets_an_apostrophe(text):
    assert looks_like_formula(text)
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("text", ["-5", "+5", "-3.5", "-1,234", "-1,234.50", "-.5", "-5 "])
def test_plain_numbers_stay_numbers(text):
    assert not looks_like_formula(text)
    assert neutralise(text) == text


@pytest.mark.parametrize("value", ["Burglary", "5", "", " =1", "a=b", -3.5, 0, None])
def test_anything_else_is_left_alone(value):
    assert not looks_like_formula(value)
    assert neutralise(value) == value
