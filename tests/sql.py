"""Counting the SQL statements a block of code sends, for the bounded-query tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event

from trainer.extensions import db


@contextmanager
def count_statements() -> Iterator[list[str]]:
    """Collect every SQL statement sent to the database inside the block, by any of the app's engines
    (the check-in's fast path has an autocommit engine of its own)."""
    seen: list[str] = []

    def listener(conn, cursor, statement, parameters, context, executemany) -> None:
        seen.append(statement)

    engines = list(db.engines.values())
    for engine in engines:
        event.listen(engine, "before_cursor_execute", listener)
    try:
        yield seen
    finally:
        for engine in engines:
            event.remove(engine, "before_cursor_execute", listener)
