"""Uploads waiting for the "confirm import" step, kept in the instance folder under a random name.

The browser cannot re-send a file, so a workbook that passed its dry run is kept until the
organizer confirms. The name binds the file to its uploader; stale files are swept away.
"""

from __future__ import annotations

import re
import secrets
import time
from pathlib import Path

from flask import current_app

from trainer.accounts.models import User

MAX_AGE_SECONDS = 24 * 3600
_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")


def _folder() -> Path:
    """The folder of kept uploads, created on first use."""
    folder = Path(current_app.instance_path) / "participant-imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _path(token: str, actor: User) -> Path | None:
    """Where `actor`'s upload `token` is kept; None for a malformed token (no path tricks)."""
    if not _TOKEN.fullmatch(token or ""):
        return None
    return _folder() / f"{actor.id}-{token}.xlsx"


def stash_upload(data: bytes, actor: User) -> str:
    """Keep an upload for `actor` and return its token; files older than a day are deleted."""
    cutoff = time.time() - MAX_AGE_SECONDS
    for old in _folder().glob("*.xlsx"):
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
    token = secrets.token_urlsafe(24)
    path = _path(token, actor)
    assert path is not None  # noqa: S101 - token_urlsafe always matches _TOKEN
    path.write_bytes(data)
    return token


def stashed_upload(token: str, actor: User) -> Path | None:
    """The kept file of `token` if it exists and belongs to `actor`."""
    path = _path(token, actor)
    return path if path is not None and path.is_file() else None


def discard_upload(token: str, actor: User) -> None:
    """Delete a kept upload (after the import, or when it is abandoned)."""
    path = _path(token, actor)
    if path is not None:
        path.unlink(missing_ok=True)
