"""Back up and restore the whole database while the app runs (`flask backup`, `flask restore`).

The engine's own tools do the work: SQLite's online backup API (trainer.backups.sqlite), pg_dump
and pg_restore on PostgreSQL (trainer.backups.postgres). Here: the checks common to both (a file
to restore is a trainer backup of the app's engine), and the file handling. A backup is written
beside its target under a temporary name, flushed to disk, then renamed: a file with the target's
name is always a complete backup, even when the machine stops mid-way. Backups hold personal data
(`../shared/domain/privacy.md`): they are created readable by their owner only (mode 0600).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app
from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine

from trainer.backups import postgres, sqlite
from trainer.backups.format import ENGINE_NAMES, BackupError, backup_kind
from trainer.core import clock
from trainer.extensions import db

SUFFIX = {"sqlite": "db", "postgresql": "dump"}


@dataclass(frozen=True)
class BackupResult:
    """A backup written: where, of which engine, its size, how long it took, notes for the operator."""

    path: Path
    engine: str
    size_bytes: int
    seconds: float
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class RestoreResult:
    """A restore done: the engine, the tables restored, the migration the backup is at (when known)."""

    engine: str
    tables: int
    revision: str | None
    seconds: float
    notes: list[str] = field(default_factory=list)


def engine_name(engine: Engine) -> str:
    """`sqlite` or `postgresql`; raises BackupError for any other engine."""
    name = engine.dialect.name
    if name not in SUFFIX:
        raise BackupError("unsupported_engine", f"Chưa hỗ trợ sao lưu cơ sở dữ liệu {name}.")
    return name


def default_backup_name(engine: str) -> str:
    """`trainer-YYYYMMDD-HHMMSS.db|dump`, in the app's local time."""
    return f"trainer-{clock.now().astimezone(clock.local_zone()):%Y%m%d-%H%M%S}.{SUFFIX[engine]}"


@contextmanager
def _partial_file(target: Path) -> Iterator[Path]:
    """A private (0600) empty file beside `target`, moved onto it when the block succeeds, else removed."""
    partial = target.with_name(f".{target.name}.partial-{os.getpid()}")
    partial.unlink(missing_ok=True)
    os.close(os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    try:
        yield partial
        with partial.open("rb") as file:
            os.fsync(file.fileno())
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    directory = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(directory)  # the rename itself survives a crash
    finally:
        os.close(directory)


def backup_database(output: Path) -> BackupResult:
    """Write a consistent copy of the whole database to `output` (a directory: a dated file in it).

    Raises BackupError."""
    engine = db.engine
    kind = engine_name(engine)
    if output.is_dir():
        output = output / default_backup_name(kind)
    if not output.parent.is_dir():
        raise BackupError("no_directory", f"Thư mục {output.parent} không tồn tại.")
    if kind == "sqlite":
        sqlite.refuse_live_file(engine, output)
    started = time.monotonic()
    notes: list[str] = []
    with _partial_file(output) as partial:
        if kind == "sqlite":
            sqlite.backup(engine, partial)
        else:
            notes = postgres.backup(engine, partial)
    return BackupResult(output, kind, output.stat().st_size, time.monotonic() - started, notes)


def restore_database(source: Path) -> RestoreResult:
    """Replace the whole database with the backup `source`. Raises BackupError.

    The app's processes should be stopped: a restore waits for a write in flight, and a page open in a
    browser would otherwise go on from data that no longer exists."""
    engine = db.engine
    kind = engine_name(engine)
    if not source.is_file():
        raise BackupError("no_backup_file", f"Không có tệp {source}.")
    found = backup_kind(source)
    if found is None:
        raise BackupError("not_a_backup", f"{source} không phải bản sao lưu của trainer "
                                          "(không phải cơ sở dữ liệu SQLite hay tệp pg_dump).")
    if found != kind:
        raise BackupError("wrong_engine", f"{source} là bản sao lưu {ENGINE_NAMES[found]}, còn ứng dụng đang dùng "
                                          f"{ENGINE_NAMES[kind]}: chỉ khôi phục được bản sao lưu cùng loại.")
    if kind == "sqlite":
        sqlite.refuse_live_file(engine, source)
    started = time.monotonic()
    db.session.remove()  # this process holds no transaction on the database being replaced
    notes: list[str] = []
    if kind == "sqlite":
        tables, revision = sqlite.restore(engine, source)
    else:
        tables, notes = postgres.restore(engine, source)
        revision = current_revision() if "alembic_version" in tables else None
    for each in db.engines.values():  # no pooled connection keeps a view of the old database
        each.dispose()
    return RestoreResult(kind, len(tables - {"alembic_version"}), revision, time.monotonic() - started, notes)


def current_revision() -> str | None:
    """The migration the database is at (alembic_version); None without that table."""
    with db.engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def migration_heads() -> list[str]:
    """The latest migration(s) of this code (Alembic heads)."""
    from alembic.script import ScriptDirectory

    return list(ScriptDirectory.from_config(current_app.extensions["migrate"].migrate.get_config()).get_heads())
