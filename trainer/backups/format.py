"""What a trainer backup is: a SQLite database file or a pg_dump custom archive holding trainer's tables."""

from __future__ import annotations

from pathlib import Path

from trainer.core.errors import DomainError

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"
# Tables every trainer database has had since its first migration: the mark of a trainer backup.
CORE_TABLES = frozenset({"units", "users", "courses", "participants"})
ENGINE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL (pg_dump)"}


class BackupError(DomainError):
    """A backup or restore that cannot be done; the message says why and what to do."""

    status = 422


def backup_kind(path: Path) -> str | None:
    """`sqlite`, `postgresql` (a pg_dump custom archive) or None, from the file's first bytes."""
    with path.open("rb") as file:
        head = file.read(len(SQLITE_MAGIC))
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PGDUMP_MAGIC):
        return "postgresql"
    return None


def check_core_tables(tables: set[str], path: Path, kind: str) -> None:
    """Raise BackupError unless `tables` (of the file `path`) include trainer's core tables."""
    missing = CORE_TABLES - tables
    if missing:
        raise BackupError("not_a_backup", f"{path} là tệp {ENGINE_NAMES[kind]} nhưng không phải bản sao lưu của "
                                          f"trainer (thiếu bảng {', '.join(sorted(missing))}).")
