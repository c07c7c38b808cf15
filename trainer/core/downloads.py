"""File downloads built in memory (PDF, .xlsx, .zip)."""

from __future__ import annotations

from urllib.parse import quote

from flask import Response

from trainer.core.text import fold


def file_response(body: bytes, filename: str, mimetype: str, *, inline: bool = False) -> Response:
    """A file response: an ASCII filename for old clients and the Vietnamese one as filename* (RFC 6266).

    Kept out of shared caches: most of what trainer lets people download lists people.
    """
    disposition = "inline" if inline else "attachment"
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = (
        f"{disposition}; filename=\"{fold(filename)}\"; filename*=UTF-8''{quote(filename)}")
    response.headers["Cache-Control"] = "private, no-store"
    return response
