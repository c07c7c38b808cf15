"""SQLite's writers queue on an advisory lock (trainer.core.dbsetup): held from a transaction's first write
to its end, shared by a process, never a cause of a deadlock or of a lost row."""

from __future__ import annotations

import multiprocessing
import sqlite3
from pathlib import Path

import pytest

from trainer.core.dbsetup import QueuedWriterConnection

ROWS = 150


def _connect(path: Path, timeout: float = 5.0) -> sqlite3.Connection:
    connection = sqlite3.connect(path, factory=QueuedWriterConnection, timeout=timeout)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=FULL")
    return connection


@pytest.fixture
def database(tmp_path: Path) -> Path:
    path = tmp_path / "writers.db"
    with _connect(path) as connection:
        connection.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, worker INT, n INT, UNIQUE (worker, n))")
    return path


def test_the_lock_is_held_from_the_first_write_to_the_end_of_the_transaction(database: Path):
    connection = _connect(database)
    lock = connection.writer_lock
    assert lock is not None and lock.path == f"{database}-writer.lock"
    connection.execute("SELECT count(*) FROM t").fetchone()
    assert (connection.holding, lock.holders) == (False, 0)  # reading takes nothing
    connection.execute("INSERT INTO t (worker, n) VALUES (0, 1)")
    assert (connection.holding, lock.holders) == (True, 1)
    connection.execute("UPDATE t SET n = 2 WHERE n = 1")  # the same transaction: taken once
    assert lock.holders == 1
    connection.commit()
    assert (connection.holding, lock.holders) == (False, 0)
    connection.execute("INSERT INTO t (worker, n) VALUES (0, 3)")
    connection.rollback()
    assert (connection.holding, lock.holders) == (False, 0)
    assert connection.execute("SELECT n FROM t").fetchall() == [(2,)]
    # a write behind a CTE takes it too (the driver autocommits it; the lock goes with the next commit)
    connection.cursor().execute("WITH x AS (SELECT 4 AS n) INSERT INTO t (worker, n) SELECT 0, n FROM x")
    assert connection.holding
    connection.commit()
    assert (connection.holding, lock.holders) == (False, 0)
    connection.close()


def test_two_connections_of_one_thread_never_wait_for_each_other_on_it(database: Path):
    """A process shares its lock: the second writer goes to SQLite's own busy wait (and its timeout), not
    to a wait on a lock its own thread holds."""
    first, second = _connect(database), _connect(database, timeout=0.2)
    first.execute("INSERT INTO t (worker, n) VALUES (1, 1)")
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        second.execute("INSERT INTO t (worker, n) VALUES (2, 1)")
    second.rollback()
    first.commit()
    second.execute("INSERT INTO t (worker, n) VALUES (2, 1)")
    second.commit()
    assert first.writer_lock.holders == 0
    first.close()
    second.close()


def _write(path: str, worker: int) -> None:
    connection = _connect(Path(path))
    for n in range(ROWS):
        connection.execute("SELECT count(*) FROM t WHERE worker = ?", (worker,)).fetchone()
        connection.execute("INSERT INTO t (worker, n) VALUES (?, ?)", (worker, n))
        connection.commit()
    connection.close()


def test_writers_of_four_processes_store_every_row_once(database: Path):
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_write, args=(str(database), worker)) for worker in range(4)]
    for process in workers:
        process.start()
    for process in workers:
        process.join(60)
    assert [process.exitcode for process in workers] == [0] * 4  # no "database is locked"
    with _connect(database) as connection:
        assert connection.execute("SELECT count(*), count(DISTINCT worker || '-' || n) FROM t").fetchone() == (
            4 * ROWS, 4 * ROWS)


def test_an_in_memory_database_has_no_lock():
    connection = sqlite3.connect(":memory:", factory=QueuedWriterConnection)
    connection.execute("CREATE TABLE t (n INT)")
    connection.execute("INSERT INTO t VALUES (1)")
    assert connection.writer_lock is None and not connection.holding
    connection.close()
