"""Uploads waiting for the "confirm import" step, kept in the instance folder under a random name.

The browser cannot re-send a file, so a workbook that passed its dry run is kept until the
organizer confirms. The name binds the file to its uploader; stale files are swept away.
"""

from __future__ import annotations

import json
import re
import secrets
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import current_app

from trainer.accounts.models import User
from trainer.core import clock

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


# --- the uploaded file with an error column -----------------------------------------------------------
# A dry run with row errors keeps the upload (and what the annotation needs: the list's sheet, its header
# rows, each bad row's messages) for an hour at most, for its uploader only; the annotated workbook is built
# when it is downloaded, and the kept files are deleted then. A person's data is on the server no longer than
# the clerk needs to click the link; the session cookie never holds it.

ERROR_FILE_MAX_AGE = timedelta(hours=1)


def _error_folder() -> Path:
    """The folder of uploads kept for their error file, created on first use."""
    folder = Path(current_app.instance_path) / "participant-import-errors"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _error_paths(token: str, actor: User) -> tuple[Path, Path] | None:
    """The kept upload and its notes for `actor`'s `token`; None for a malformed token."""
    if not _TOKEN.fullmatch(token or ""):
        return None
    base = _error_folder() / f"{actor.id}-{token}"
    return base.with_suffix(".xlsx"), base.with_suffix(".json")


def sweep_error_files() -> None:
    """Delete every kept upload past its hour (each stash and each download sweeps)."""
    cutoff = (clock.now() - ERROR_FILE_MAX_AGE).timestamp()
    for notes in _error_folder().glob("*.json"):
        try:
            kept_at = json.loads(notes.read_text(encoding="utf-8"))["kept_at"]
        except (OSError, ValueError, KeyError):
            kept_at = 0
        if kept_at < cutoff:
            notes.with_suffix(".xlsx").unlink(missing_ok=True)
            notes.unlink(missing_ok=True)


def stash_error_file(data: bytes, actor: User, *, sheet: str, header_rows: tuple[int, int],
                     messages: dict[int, list[str]]) -> str:
    """Keep an upload with row errors for its error file; return the token of the download link."""
    sweep_error_files()
    token = secrets.token_urlsafe(24)
    paths = _error_paths(token, actor)
    assert paths is not None  # noqa: S101 - token_urlsafe always matches _TOKEN
    paths[0].write_bytes(data)
    paths[1].write_text(json.dumps({"kept_at": clock.now().timestamp(), "sheet": sheet,
                                    "header_rows": list(header_rows),
                                    "messages": {str(k): v for k, v in messages.items()}}, ensure_ascii=False),
                        encoding="utf-8")
    return token


def take_error_file(token: str, actor: User) -> tuple[bytes, dict[str, Any]] | None:
    """The kept upload of `token` and its notes, removed from the server; None when it is not `actor`'s, was
    taken already or is past its hour."""
    sweep_error_files()
    paths = _error_paths(token, actor)
    if paths is None or not paths[1].is_file():
        return None
    try:
        data, notes = paths[0].read_bytes(), json.loads(paths[1].read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    finally:
        for path in paths:
            path.unlink(missing_ok=True)
    notes["messages"] = {int(k): v for k, v in notes["messages"].items()}
    notes["header_rows"] = tuple(notes["header_rows"])
    return data, notes


def kept_for_someone_else(token: str, actor: User) -> bool:
    """Whether `token` names an error file kept for another user (who alone may take it)."""
    if not _TOKEN.fullmatch(token or ""):
        return False
    return any(not notes.name.startswith(f"{actor.id}-") for notes in _error_folder().glob(f"*-{token}.json"))
