"""Database engine settings: SQLite pragmas for concurrent writes."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine


def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    # WAL lets readers run beside a writer; busy_timeout makes writers wait instead of failing
    # with "database is locked"; synchronous=NORMAL is safe under WAL and much faster.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


_installed = False


def init_engine_options(app: Flask) -> None:
    """Install the SQLite pragmas on every new SQLite connection (once per process)."""
    global _installed
    if _installed:
        return
    event.listen(Engine, "connect", _on_connect)
    _installed = True


def _on_connect(dbapi_connection, connection_record) -> None:
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        _sqlite_pragmas(dbapi_connection, connection_record)
