"""Helpers of the courses tests (fixtures are in conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta

from sqlalchemy import event

from trainer.extensions import db

START = date.today() + timedelta(days=60)  # far enough ahead for withdrawals, which use the real clock


@contextmanager
def count_statements() -> Iterator[list[str]]:
    """Collect the SQL statements run on the engine inside the block."""
    statements: list[str] = []

    def listener(conn, cursor, statement, parameters, context, executemany) -> None:
        """Record one statement."""
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
