"""Counting the SQL statements a block of code sends, for the bounded-query tests."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, event, text

from trainer.extensions import db


@contextmanager
def count_statements() -> Iterator[list[str]]:
    """Collect every SQL statement sent to the database inside the block, by any of the app's engines."""
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


def backend_pid(connection: Connection) -> int:
    """The PostgreSQL server process of a connection."""
    return connection.exec_driver_sql("SELECT pg_backend_pid()").scalar_one()


def wait_until_blocked(waiting_pid: int, *, by: int, timeout: float = 10.0) -> None:
    """Return once the server process `waiting_pid` (busy in another thread) waits for a lock that the
    process `by` holds (PostgreSQL; pids from `backend_pid`, taken before the thread starts).

    Asked of the server (pg_blocking_pids) from a third connection: ordering transactions by the lock
    itself, never by sleeping and hoping."""
    holder_pid = by
    deadline = time.monotonic() + timeout
    with db.engine.connect() as observer:
        while time.monotonic() < deadline:
            blockers = observer.execute(text("SELECT pg_blocking_pids(:pid)"), {"pid": waiting_pid}).scalar_one()
            if holder_pid in blockers:
                return
            observer.rollback()  # a fresh snapshot of the lock table each round
    raise AssertionError(f"connection {waiting_pid} never waited for {holder_pid}")
