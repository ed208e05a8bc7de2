"""The database connection lost in the middle of a piece of work."""

from __future__ import annotations

from contextlib import contextmanager

from django.db import OperationalError, connection


@contextmanager
def connection_lost_at_insert(number: int):
    """Lose this connection at the given INSERT statement: on PostgreSQL its backend is killed;
    on SQLite, which has no server, the statement fails as a lost connection does."""
    inserts = 0

    def wrapper(execute, sql, params, many, context):
        nonlocal inserts
        if sql.lstrip().upper().startswith("INSERT"):
            inserts += 1
            if inserts == number and connection.vendor == "postgresql":
                execute("SELECT pg_terminate_backend(pg_backend_pid())", None, False, context)
            elif inserts == number:
                raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield
    connection.close()  # the next query reconnects
