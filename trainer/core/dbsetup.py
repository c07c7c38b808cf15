"""Database engine settings: SQLite pragmas for concurrent writes."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url

AUTOCOMMIT_BIND = "autocommit"


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
    """Install the SQLite pragmas on every new SQLite connection (once per process), and add the
    `autocommit` bind.

    SQLite drops `pool_pre_ping`: a file has no server connection to lose, and the ping would be
    one more statement in every request.

    The `autocommit` bind is a second engine on the same database for the trainee check-in
    (trainer.attendance.fastpath), the one request that comes in bursts: its connections are in
    autocommit mode from the start, so plain reads and single-statement writes send neither BEGIN
    nor COMMIT, and they are not pinged (a lost connection makes the fast path hand over to the full
    one, on the main engine). On PostgreSQL its commits are asynchronous (synchronous_commit=off):
    a check-in does not wait for the WAL to reach the disk, the durability SQLite has in WAL mode
    with synchronous=NORMAL: a crash of the server itself may lose the last fraction of a second of
    check-ins, never corrupts them. No model is bound to it.
    """
    url = make_url(str(app.config.get("SQLALCHEMY_DATABASE_URI", "")))
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    options.setdefault("hide_parameters", True)  # error messages and logs never quote a name or a phone
    if url.get_backend_name() == "sqlite":
        options.pop("pool_pre_ping", None)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    if url.database not in (None, "", ":memory:"):  # an in-memory SQLite is one connection's own
        fast = url
        if url.get_backend_name() == "postgresql":
            fast = url.update_query_dict({"options": f"{url.query.get('options', '')} -csynchronous_commit=off"
                                          .strip()})
        bind = {**options, "url": fast.render_as_string(hide_password=False), "isolation_level": "AUTOCOMMIT",
                "pool_pre_ping": False, "pool_reset_on_return": None}  # no transaction to roll back
        app.config["SQLALCHEMY_BINDS"] = {**(app.config.get("SQLALCHEMY_BINDS") or {}), AUTOCOMMIT_BIND: bind}
    global _installed
    if _installed:
        return
    event.listen(Engine, "connect", _on_connect)
    _installed = True


def _on_connect(dbapi_connection, connection_record) -> None:
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        _sqlite_pragmas(dbapi_connection, connection_record)
