"""Rows made once for all the tests of a module that only read them.

A module-scoped fixture opens a transaction outside any test and makes its rows there; each test's
own transaction (pytest-django's `db`) then nests in it as a savepoint and is rolled back as
usual, and the module's transaction is rolled back after its last test. Only for modules whose
tests are not transactional (a flush would empty the module's rows)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TypeVar

from django.db import connection, transaction

T = TypeVar("T")


def kept_for_the_module(django_db_blocker, make: Callable[[], T]) -> Iterator[T]:
    """For a module-scoped fixture to `yield from`: what `make()` returns, its rows kept until
    the module's last test has run."""
    with django_db_blocker.unblock():
        assert not connection.in_atomic_block, "a module's rows are made outside any test"
        kept = transaction.atomic()
        kept.__enter__()
        try:
            made = make()
        except BaseException:
            _roll_back(kept)
            raise
    try:
        yield made
    finally:
        with django_db_blocker.unblock():
            _roll_back(kept)


def _roll_back(kept: transaction.Atomic) -> None:
    transaction.set_rollback(True)
    kept.__exit__(None, None, None)
