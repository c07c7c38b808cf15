"""Database engine settings: SQLite pragmas for concurrent writes, and SQLite's writers queued on a lock.

SQLite lets one writer at a time commit; the others wait in its busy handler, which sleeps 1, 2, 5, 10, 15,
20, 25... ms between tries instead of waking when the writer is done. Under a burst of check-ins from
four gunicorn workers that turned a 1.5 ms durable commit into waits of up to seconds. So a connection that
is about to write first takes an advisory lock on `<database>-writer.lock` (fcntl, blocking: the kernel wakes
the next process the moment the lock is released) and releases it when its transaction ends. It changes no
result: SQLite's own locking still decides, the lock only orders the writers of different processes (a
process's threads share it and fall back to the busy handler), and nothing waits on it while holding
SQLite's write lock, so it cannot deadlock. PostgreSQL needs none of this.
"""

from __future__ import annotations

import fcntl
import os
import re
import sqlite3
import threading
from typing import Any

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url

# A statement that writes: SQLite starts its write transaction with it.
_WRITES = re.compile(r"\s*(INSERT|UPDATE|DELETE|REPLACE)\b|\s*WITH\b.*\b(INSERT|UPDATE|DELETE)\b", re.I | re.S)


class _WriterLock:
    """The advisory write lock of one database file, shared by the connections of this process."""

    def __init__(self, path: str) -> None:
        self.path, self.fd, self.pid, self.holders = path, -1, -1, 0
        self.mutex = threading.Lock()

    def acquire(self) -> None:
        with self.mutex:
            if self.holders == 0:
                if self.pid != os.getpid():  # a forked worker opens its own (locks are not inherited)
                    self.fd, self.pid = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600), os.getpid()
                fcntl.lockf(self.fd, fcntl.LOCK_EX)
            self.holders += 1

    def release(self) -> None:
        with self.mutex:
            if self.holders == 0:
                return
            self.holders -= 1
            if self.holders == 0 and self.pid == os.getpid():
                fcntl.lockf(self.fd, fcntl.LOCK_UN)


_locks: dict[str, _WriterLock] = {}
_locks_mutex = threading.Lock()


def _writer_lock(database: Any) -> _WriterLock | None:
    """The lock of a database file; None for an in-memory or URI database."""
    name = os.fspath(database) if isinstance(database, str | os.PathLike) else ""
    if not name or name == ":memory:" or name.startswith("file:"):
        return None
    path = os.path.abspath(name) + "-writer.lock"
    with _locks_mutex:
        return _locks.setdefault(path, _WriterLock(path))


class _QueuedCursor(sqlite3.Cursor):
    def execute(self, sql: str, parameters: Any = (), /) -> sqlite3.Cursor:
        self.connection.before_statement(sql)
        return super().execute(sql, parameters)

    def executemany(self, sql: str, parameters: Any, /) -> sqlite3.Cursor:
        self.connection.before_statement(sql)
        return super().executemany(sql, parameters)


class QueuedWriterConnection(sqlite3.Connection):
    """A sqlite3 connection whose write transactions queue on the database's writer lock."""

    def __init__(self, database: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(database, *args, **kwargs)
        self.writer_lock, self.holding = _writer_lock(database), False

    def before_statement(self, sql: str) -> None:
        if self.writer_lock is not None and not self.holding and not self.in_transaction and _WRITES.match(sql):
            self.writer_lock.acquire()
            self.holding = True

    def _transaction_over(self) -> None:
        if self.holding:
            self.holding = False
            self.writer_lock.release()

    def cursor(self, factory: Any = _QueuedCursor) -> sqlite3.Cursor:
        return super().cursor(factory)

    def execute(self, sql: str, parameters: Any = (), /) -> sqlite3.Cursor:
        return self.cursor().execute(sql, parameters)

    def executemany(self, sql: str, parameters: Any, /) -> sqlite3.Cursor:
        return self.cursor().executemany(sql, parameters)

    def commit(self) -> None:
        try:
            super().commit()
        finally:
            self._transaction_over()

    def rollback(self) -> None:
        try:
            super().rollback()
        finally:
            self._transaction_over()

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._transaction_over()


def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    # WAL lets readers run beside a writer; busy_timeout makes writers wait instead of failing with
    # "database is locked". synchronous=FULL: a commit is on disk before the check-in is confirmed to a phone
    # (NORMAL, the usual choice under WAL, may lose the last commits when the machine loses power).
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.close()


_installed = False


def init_engine_options(app: Flask) -> None:
    """Install the SQLite pragmas on every new SQLite connection (once per process).

    SQLite drops `pool_pre_ping`: a file has no server connection to lose, and the ping would be one more
    statement in every request. PostgreSQL keeps its defaults: every commit waits for the WAL to be on disk.
    """
    url = make_url(str(app.config.get("SQLALCHEMY_DATABASE_URI", "")))
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    options.setdefault("hide_parameters", True)  # error messages and logs never quote a name or a phone
    if url.get_backend_name() == "sqlite":
        options.pop("pool_pre_ping", None)
        options["connect_args"] = {"factory": QueuedWriterConnection, **options.get("connect_args", {})}
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    global _installed
    if _installed:
        return
    event.listen(Engine, "connect", _on_connect)
    _installed = True


def _on_connect(dbapi_connection, connection_record) -> None:
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        _sqlite_pragmas(dbapi_connection, connection_record)
