"""The download response of a material, shared by the staff page and the trainees' links."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

from flask import Response, request

from trainer.materials.models import Material
from trainer.materials.services import material_path

DOWNLOAD_CHUNK = 256 * 1024


def _content_disposition(filename: str) -> str:
    """`attachment` with an ASCII fallback name and the exact UTF-8 name (RFC 6266 / 5987)."""
    ascii_name = unicodedata.normalize("NFKD", filename.replace("đ", "d").replace("Đ", "D"))
    ascii_name = "".join(ch for ch in ascii_name.encode("ascii", "ignore").decode()
                         if ch.isprintable() and ch not in '"\\') or "tai-lieu"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"


def _chunks(path: Path) -> Iterator[bytes]:
    """The file's bytes in chunks; opened on first read and closed at the end or when abandoned
    (a response nobody reads never holds an open file)."""
    with path.open("rb") as fh:
        while chunk := fh.read(DOWNLOAD_CHUNK):
            yield chunk


def material_response(material: Material) -> Response:
    """The file under its original name, never rendered by the browser as anything else; resumable
    (Range) since a 3G connection may drop halfway. Raises DomainError('file_missing')."""
    path = material_path(material)
    response = Response(_chunks(path), mimetype=material.content_type, direct_passthrough=True)
    response.content_length = path.stat().st_size
    response.set_etag(material.sha256)
    response.headers["Content-Disposition"] = _content_disposition(material.filename)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.cache_control.private = True
    response.cache_control.no_cache = True
    return response.make_conditional(request, accept_ranges=True, complete_length=response.content_length)
