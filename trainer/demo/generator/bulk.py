"""Chunked bulk inserts through SQLAlchemy Core: one executemany per chunk, no ORM object per row."""

from __future__ import annotations

import enum
import json
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Any, Protocol

from sqlalchemy import Table, func, insert, select, text

from trainer.extensions import db

CHUNK = 5000


class Progress(Protocol):
    """What the generator needs of a progress bar (click's ProgressBar fits)."""

    def update(self, n_steps: int) -> None:
        """Advance by `n_steps`."""


ProgressFactory = Callable[[str, int], AbstractContextManager[Progress]]


class _NoProgress:
    def update(self, n_steps: int) -> None:
        """Do nothing."""


def no_progress(label: str, length: int) -> AbstractContextManager[Progress]:
    """A progress factory that shows nothing (tests, library use)."""
    return nullcontext(_NoProgress())


class BulkWriter:
    """Buffers rows per table and inserts them in chunks; counts what it wrote."""

    def __init__(self, chunk: int = CHUNK) -> None:
        """Empty buffers; `chunk` rows per executemany."""
        self.chunk = chunk
        self.buffers: dict[Table, list[dict[str, Any]]] = {}
        self.counts: Counter[str] = Counter()

    def add(self, table: Table, row: dict[str, Any]) -> None:
        """Queue one row; the table's buffer is written when full."""
        buffer = self.buffers.setdefault(table, [])
        buffer.append(row)
        if len(buffer) >= self.chunk:
            self.flush(table)

    def flush(self, table: Table | None = None) -> None:
        """Write the buffered rows of `table` (default: of every table, in the order first used)."""
        postgres = db.session.get_bind().dialect.name == "postgresql"
        for tbl in [table] if table is not None else list(self.buffers):
            rows = self.buffers.get(tbl)
            if rows:
                if postgres:
                    _copy(tbl, rows)
                else:
                    db.session.execute(insert(tbl), rows)
                self.counts[tbl.name] += len(rows)
                self.buffers[tbl] = []


def _plain(value: Any) -> Any:
    """A value COPY takes as is: enums by value (psycopg would send their names), JSON as text."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return value


def _copy(table: Table, rows: list[dict[str, Any]]) -> None:
    """PostgreSQL's COPY FROM STDIN in the session's transaction: rows stream in one command, far faster
    than executemany."""
    from psycopg import sql

    columns = list(rows[0])
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table.name), sql.SQL(", ").join(sql.Identifier(c) for c in columns))
    driver = db.session.connection().connection.driver_connection
    with driver.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row([_plain(row[c]) for c in columns])


def next_id(table: Table) -> int:
    """The first free primary key of `table`: rows inserted with explicit IDs need no RETURNING."""
    return (db.session.scalar(select(func.max(table.c.id))) or 0) + 1


def sync_sequence(table: Table) -> None:
    """On PostgreSQL, move the table's ID sequence past the explicit IDs we inserted."""
    if db.session.get_bind().dialect.name != "postgresql":
        return  # SQLite picks max(rowid) + 1 by itself
    following = select(func.coalesce(func.max(table.c.id), 0) + 1).scalar_subquery()
    db.session.execute(select(func.setval(func.pg_get_serial_sequence(table.name, "id"), following, False)))


def analyze(tables: list[Table]) -> None:
    """On PostgreSQL, refresh the planner's statistics of the tables just filled (in this transaction).

    A million rows the planner has no statistics for make it guess a handful: the reports' joins then
    run as nested loops for minutes. Autovacuum would analyze them a minute after the commit, when it
    runs at all; the reports may be asked for at once. SQLite keeps no statistics unless asked, and its
    queries are written for that."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text(f"ANALYZE {', '.join(table.name for table in tables)}"))


@contextmanager
def large_page_cache() -> Iterator[None]:
    """On SQLite, a page cache big enough for the indexes of a million rows (the default 2 MB makes
    every index insert of a large table read pages from disk), for the generation only: the connection
    goes back to the pool afterwards, and kept there its 256 MB would serve every later request (and
    skewed `make bench`'s report figure, which runs on it: the floor gained more than the report)."""
    if db.session.get_bind().dialect.name != "sqlite":
        yield
        return
    previous = int(db.session.execute(text("PRAGMA cache_size")).scalar_one())
    db.session.execute(text("PRAGMA cache_size = -262144"))  # in KiB: 256 MiB
    try:
        yield
    finally:
        db.session.execute(text(f"PRAGMA cache_size = {previous}"))
