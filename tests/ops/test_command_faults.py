"""Management commands that lose the database say so in one plain line, exit non-zero and say
that nothing was changed, instead of printing a traceback."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from assessments.indicators.models import ImportBatch, Observation

from ..db_faults import connection_lost_at_insert
from ..factories import GeographyFactory
from ..police_uk_files import police_uk_csv, random_month

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db(transaction=True)
def test_import_police_uk_that_loses_the_database_says_nothing_was_imported(partnership, tmp_path):
    GeographyFactory(partnership=partnership, code="E06000099", name="Testville")
    files = []
    for n, month in enumerate(["2019-01", "2019-02"]):
        path = tmp_path / f"{month}.csv"
        path.write_bytes(police_uk_csv(random_month(month, 50, seed=n)))
        files.append(str(path))
    with pytest.raises(CommandError) as raised, connection_lost_at_insert(4):
        call_command("import_police_uk", *files, partnership=partnership.slug, stdout=io.StringIO())
    message = str(raised.value)
    assert message.startswith("The database could not be reached (")
    assert message.endswith("): nothing was changed.")
    assert "\n" not in message
    assert (ImportBatch.objects.count(), Observation.objects.count()) == (0, 0)


@pytest.mark.slow(reason="runs manage.py in a fresh process against a database that is not there")
def test_a_command_run_without_a_database_prints_one_line_and_fails(tmp_path):
    environment = {
        **os.environ,
        "DATABASE_URL": "postgres://nobody@127.0.0.1:1/nothing",
        "SAFERMK_VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "headlines", "safermk", "2017"],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 1
    assert "Traceback" not in result.stderr, result.stderr
    [line] = [line for line in result.stderr.splitlines() if "Error" in line]
    assert line.startswith("CommandError: The database could not be reached (")
    assert line.endswith("nothing was changed.")
