"""Database states made once per test process and put back in milliseconds.

A snapshot copies some of Django's tables into tables of the same names with a prefix, in the
same test database (`demo__assessments_chapter`, say). Neither Django's flush nor the reset
below knows those tables, so they last the whole run. Putting a snapshot back is one
INSERT ... SELECT per table, inside whatever transaction is open: a test's own (rolled back after
it) or a transactional test's (emptied by the reset after it). The same SQL runs on SQLite and
PostgreSQL; foreign keys are checked at commit, so the tables' order does not matter.

Two snapshots are taken:
- `MIGRATED`: the rows migrations leave (content types, permissions). After a transactional test
  (live server, real workers) the database goes back to them: every table emptied, those rows
  put back. Django's flush did the same in about a second, and gave the content types new ids.
- the demo (`demo_snapshot`): the rows `demo_load()` adds, taken by loading it once per process
  (one to three seconds) and put back by each `demo` fixture (milliseconds)."""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, transaction
from django.test.utils import override_settings

from assessments.core.models import Assessment
from assessments.demo.load import demo_load

# The hasher every test uses (conftest's _fast_passwords): the demo's users sign in as quickly.
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _quoted(table: str) -> str:
    return connection.ops.quote_name(table)


def _tables() -> list[str]:
    return sorted(connection.introspection.django_table_names(only_existing=True))


def _row_counts(tables: list[str]) -> dict[str, int]:
    counts = {}
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {_quoted(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


@dataclass(frozen=True)
class Snapshot:
    prefix: str
    tables: tuple[str, ...]

    @classmethod
    def taken(cls, prefix: str, tables: list[str]) -> Snapshot:
        with transaction.atomic(), connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"DROP TABLE IF EXISTS {_quoted(prefix + table)}")
                cursor.execute(
                    f"CREATE TABLE {_quoted(prefix + table)} AS SELECT * FROM {_quoted(table)}"
                )
        return cls(prefix, tuple(tables))

    def any_rows(self) -> bool:
        """Whether any of the snapshot's tables holds a row now."""
        exists = " OR ".join(f"EXISTS (SELECT 1 FROM {_quoted(t)})" for t in self.tables)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {exists}")
            return bool(cursor.fetchone()[0])

    def put_back(self) -> None:
        """Insert the snapshot's rows (its tables must hold none of them), and move the tables'
        id sequences past them: a table migrated again since (tests/core/test_migrations.py)
        counts from 1 on PostgreSQL, and would hand out the ids of the rows put back."""
        with transaction.atomic(), connection.cursor() as cursor:
            for table in self.tables:
                cursor.execute(
                    f"INSERT INTO {_quoted(table)} SELECT * FROM {_quoted(self.prefix + table)}"
                )
            for statement in connection.ops.sequence_reset_sql(no_style(), self._models()):
                cursor.execute(statement)

    def _models(self) -> list:
        tables = set(self.tables)
        return [
            model
            for model in apps.get_models(include_auto_created=True)
            if model._meta.db_table in tables
        ]


MIGRATED_PREFIX = "migrated__"
_migrated: Snapshot | None = None


def take_migrated_snapshot() -> None:
    """Once, right after the test database is migrated."""
    global _migrated
    tables = _tables()
    counts = _row_counts(tables)
    _migrated = Snapshot.taken(MIGRATED_PREFIX, [t for t in tables if counts[t]])


def reset_to_migrated() -> None:
    """Every table as migrations left it: what a transactional test's tear-down needs."""
    with transaction.atomic(), connection.cursor() as cursor:
        for table in _tables():
            cursor.execute(f"DELETE FROM {_quoted(table)}")
        _migrated.put_back()


@dataclass(frozen=True)
class DemoSnapshot:
    """The rows the demo adds to a migrated database, and its assessment's id."""

    rows: Snapshot
    assessment_pk: int

    @classmethod
    def taken(cls) -> DemoSnapshot:
        """Load the demo, keep a copy of what it wrote and leave the database as it was."""
        assert not connection.in_atomic_block, "ask for `demo` as an argument, not later"
        tables = _tables()
        before = _row_counts(tables)
        with override_settings(PASSWORD_HASHERS=FAST_HASHERS), transaction.atomic():
            assessment = demo_load()
        after = _row_counts(tables)
        filled = [t for t in tables if after[t] != before[t]]
        grown = [t for t in filled if before[t]]
        if grown:  # rows made by migrations are the migrated snapshot's, not the demo's
            raise RuntimeError(f"the demo added rows to tables migrations fill: {grown}")
        rows = Snapshot.taken("demo__", filled)
        with transaction.atomic(), connection.cursor() as cursor:
            for table in filled:
                cursor.execute(f"DELETE FROM {_quoted(table)}")
        return cls(rows, assessment.pk)

    def put_in(self) -> Assessment:
        """The demo in this test's database, as `demo_load()` would have left it. A test that
        made rows of the demo's kinds before gets a real `demo_load()`, which updates them as it
        always did (the copy would collide with them)."""
        if self.rows.any_rows():
            return demo_load()
        self.rows.put_back()
        return Assessment.objects.get(pk=self.assessment_pk)
