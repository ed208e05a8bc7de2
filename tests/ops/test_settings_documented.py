"""Every environment variable that safermk/settings.py reads is documented in
docs/configuration.md (the README links it).

The settings are parsed, not imported: a read is `os.getenv("NAME")`, `os.environ["NAME"]`,
`os.environ.get("NAME")` (or `.setdefault`, `.pop`), `"NAME" in os.environ`, or a call of one of the
settings' own helpers (`envbool`, `envint`, `envlist`, and any new function that passes one of its
parameters to `os.getenv` or `os.environ`). The configuration table documents a variable by
naming it in backticks: `NAME`.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = ROOT / "safermk" / "settings.py"
CONFIGURATION = ROOT / "docs" / "configuration.md"

ENVIRON_METHODS = {"get", "setdefault", "pop"}


def _is_environ(node: ast.expr) -> bool:
    """`os.environ`, or `environ` imported from os."""
    if isinstance(node, ast.Attribute):
        return node.attr == "environ" and isinstance(node.value, ast.Name) and node.value.id == "os"
    return isinstance(node, ast.Name) and node.id == "environ"


def _is_getenv(func: ast.expr) -> bool:
    if isinstance(func, ast.Attribute):
        if func.attr == "getenv" and isinstance(func.value, ast.Name) and func.value.id == "os":
            return True
        return func.attr in ENVIRON_METHODS and _is_environ(func.value)
    return isinstance(func, ast.Name) and func.id == "getenv"


def _direct_reads(tree: ast.AST) -> list[ast.expr]:
    """The expressions naming a variable in each direct read of the environment."""
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _is_getenv(node.func) and node.args:
            names.append(node.args[0])
        elif isinstance(node, ast.Subscript) and _is_environ(node.value):
            names.append(node.slice)
        elif (
            isinstance(node, ast.Compare)
            and len(node.ops) == 1
            and isinstance(node.ops[0], ast.In | ast.NotIn)
            and _is_environ(node.comparators[0])
        ):
            names.append(node.left)
    return names


def _helpers(tree: ast.Module) -> dict[str, int]:
    """Functions of the module that read the variable named by one of their parameters, with
    that parameter's position (envbool, envint, envlist)."""
    helpers = {}
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef):
            continue
        parameters = [arg.arg for arg in node.args.args]
        for name in _direct_reads(node):
            if isinstance(name, ast.Name) and name.id in parameters:
                helpers[node.name] = parameters.index(name.id)
    return helpers


def variables_read(settings_source: str) -> tuple[set[str], list[int]]:
    """The names of the variables the source reads, and the lines of reads whose name is not a
    string literal (so that the test cannot tell which variable they read)."""
    tree = ast.parse(settings_source)
    helpers = _helpers(tree)
    # The helpers' own reads, such as `os.getenv(name, default)`, are counted at their calls.
    inside_helpers = {
        id(name)
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef) and node.name in helpers
        for name in _direct_reads(node)
        if isinstance(name, ast.Name) and name.id in [arg.arg for arg in node.args.args]
    }
    found = [name for name in _direct_reads(tree) if id(name) not in inside_helpers]
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            position = helpers.get(node.func.id)
            if position is not None and len(node.args) > position:
                found.append(node.args[position])
    names, dynamic = set(), []
    for name in found:
        if isinstance(name, ast.Constant) and isinstance(name.value, str):
            names.add(name.value)
        else:
            dynamic.append(name.lineno)
    return names, sorted(dynamic)


def undocumented(settings_source: str, readme: str) -> list[str]:
    """The variables the settings read that the configuration table does not name as `NAME`,
    and a note for each read whose variable is computed rather than written out."""
    names, dynamic = variables_read(settings_source)
    missing = sorted(name for name in names if not re.search(rf"`{re.escape(name)}`", readme))
    return missing + [f"(a variable named at run time, line {line})" for line in dynamic]


def test_every_environment_variable_of_the_settings_is_in_the_readme():
    missing = undocumented(SETTINGS.read_text(), CONFIGURATION.read_text())
    assert not missing, (
        "safermk/settings.py reads environment variables that docs/configuration.md does not "
        f"document (add each as `NAME` to its table): {', '.join(missing)}"
    )


def test_the_settings_are_really_read():
    """Guards the test above against passing because the parser found nothing."""
    names, dynamic = variables_read(SETTINGS.read_text())
    assert {
        "DJANGO_DEBUG",  # envbool
        "DATABASE_CONN_MAX_AGE",  # envint
        "DJANGO_ALLOWED_HOSTS",  # envlist
        "DATABASE_URL",  # os.getenv
        "OTP_TOTP_ISSUER",
    } <= names
    assert "name" not in names and dynamic == []  # the helpers' own os.getenv(name, ...)


def _newly_undocumented(source: str, readme: str) -> list[str]:
    """What `undocumented` reports for `source` beyond what it reports for today's settings, so
    that these tests check the detection whatever the table says today."""
    today = set(undocumented(SETTINGS.read_text(), readme))
    return [problem for problem in undocumented(source, readme) if problem not in today]


@pytest.mark.parametrize(
    "read",
    [
        'NEW_THING = os.getenv("NEW_THING")',
        'NEW_THING = os.getenv("NEW_THING", "default")',
        'NEW_THING = os.environ["NEW_THING"]',
        'NEW_THING = os.environ.get("NEW_THING", "")',
        'NEW_THING = "NEW_THING" in os.environ',
        'NEW_THING = envbool("NEW_THING", "False")',
        'NEW_THING = envint("NEW_THING", 3)',
        'NEW_THING = envlist("NEW_THING", "a,b")',
    ],
)
def test_a_new_variable_without_documentation_is_reported(read):
    source = SETTINGS.read_text() + f"\n{read}\n"
    readme = CONFIGURATION.read_text()
    assert _newly_undocumented(source, readme) == ["NEW_THING"]
    assert _newly_undocumented(source, readme + "\n| `NEW_THING` | | a new setting |\n") == []


def test_a_new_helper_is_followed():
    source = (
        SETTINGS.read_text()
        + "\ndef envfloat(name, default):\n    return float(os.getenv(name, default))\n"
        + '\nRATIO = envfloat("NEW_RATIO", 0.5)\n'
    )
    assert _newly_undocumented(source, CONFIGURATION.read_text()) == ["NEW_RATIO"]


def test_a_variable_named_at_run_time_is_reported():
    source = SETTINGS.read_text() + '\nPREFIX = "X"\nVALUE = os.getenv(PREFIX + "_VALUE")\n'
    (problem,) = _newly_undocumented(source, CONFIGURATION.read_text())
    assert problem.startswith("(a variable named at run time, line ")


def test_a_name_only_inside_a_longer_name_does_not_count():
    source = 'import os\nA = os.getenv("SITE")\n'
    assert undocumented(source, "`SITE_URL` is documented") == ["SITE"]
    assert undocumented(source, "`SITE` is documented") == []
