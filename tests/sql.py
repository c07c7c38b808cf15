"""Counting the SQL statements a block of code sends, for the bounded-query tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event

from trainer.extensions import db


@contextmanager
def count_statements() -> Iterator[list[str]]:
    """Collect every SQL statement sent to the database inside the block."""
    seen: list[str] = []

    def listener(conn, cursor, statement, parameters, context, executemany) -> None:
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
