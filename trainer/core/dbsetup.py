"""Database engine settings: SQLite pragmas for concurrent writes."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url


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
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    global _installed
    if _installed:
        return
    event.listen(Engine, "connect", _on_connect)
    _installed = True


def _on_connect(dbapi_connection, connection_record) -> None:
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        _sqlite_pragmas(dbapi_connection, connection_record)
