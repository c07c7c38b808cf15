"""SQLite backups through the online backup API (`sqlite3.Connection.backup`).

A backup copies the database in one step: one read transaction, hence a consistent snapshot, safe
under WAL while the app's writers carry on. The copy is switched to a rollback journal, so it is one
self-contained file that `sqlite3` opens. A restore runs the same API the other way, into the live
database: one write transaction (waiting for the writer in flight), so the app's other connections
see the old database or the new one, never half of each; the live database stays in WAL mode.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from urllib.parse import quote

from sqlalchemy.engine import Engine

from trainer.backups.format import BackupError, check_core_tables


def _database_path(engine: Engine) -> str:
    path = engine.url.database
    if not path or path == ":memory:" or path.startswith("file::memory:"):
        raise BackupError("memory_database", "Cơ sở dữ liệu SQLite trong bộ nhớ không sao lưu được.")
    return path


def refuse_live_file(engine: Engine, path: Path) -> None:
    """Raise BackupError when `path` is the live database file itself (or its -wal, -shm)."""
    live = Path(_database_path(engine)).resolve()
    if path.resolve() in {live, live.with_name(live.name + "-wal"), live.with_name(live.name + "-shm")}:
        raise BackupError("live_database", f"{path} là chính tệp cơ sở dữ liệu đang dùng: chọn tệp khác.")


def _check(conn: sqlite3.Connection, path: Path) -> set[str]:
    """The tables of an intact trainer database at `path`; raises BackupError otherwise."""
    try:
        verdict = conn.execute("PRAGMA quick_check").fetchone()[0]
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError as exc:
        raise BackupError("damaged_backup", f"{path} hỏng: {exc}.") from exc
    if verdict != "ok":
        raise BackupError("damaged_backup", f"{path} hỏng (kiểm tra của SQLite: {verdict}).")
    check_core_tables(tables, path, "sqlite")
    return tables


def backup(engine: Engine, target: Path) -> None:
    """Copy the live database into the empty file `target`. Raises BackupError."""
    _database_path(engine)
    copy = sqlite3.connect(target)
    try:
        with engine.connect() as conn:
            conn.connection.driver_connection.backup(copy)  # pages=-1: all in one step
        copy.execute("PRAGMA journal_mode=DELETE")
        _check(copy, target)
    finally:
        copy.close()


def restore(engine: Engine, source: Path) -> tuple[set[str], str | None]:
    """Replace the live database by the backup `source`: (the tables restored, its migration)."""
    _database_path(engine)
    saved = sqlite3.connect(f"file:{quote(str(source.resolve()))}?mode=ro", uri=True)
    try:
        tables = _check(saved, source)
        revision = None
        if "alembic_version" in tables:
            row = saved.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = row[0] if row else None
        with engine.connect() as conn:
            try:
                saved.backup(conn.connection.driver_connection)
            except sqlite3.Error as exc:
                raise BackupError("restore_failed", f"Không khôi phục được, cơ sở dữ liệu không đổi: {exc}.") from exc
    finally:
        saved.close()
    return tables - {"sqlite_sequence"}, revision
