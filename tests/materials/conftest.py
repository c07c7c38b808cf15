"""Sample files of every accepted type (and impostors), built in memory."""

from __future__ import annotations

import io
import zipfile

import pytest


def zip_bytes(entries: dict[str, bytes], *, stored_first: str | None = None) -> bytes:
    """A ZIP archive of `entries` (the `stored_first` one uncompressed and first, as ODF requires)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if stored_first:
            archive.writestr(zipfile.ZipInfo(stored_first), entries[stored_first], compress_type=zipfile.ZIP_STORED)
        for name, data in entries.items():
            if name != stored_first:
                archive.writestr(name, data)
    return buffer.getvalue()


OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


def ole(stream_name: str) -> bytes:
    """A stand-in compound file whose directory names `stream_name`."""
    return OLE2 + b"\x00" * 512 + stream_name.encode("utf-16-le") + b"\x00" * 512


MP3_FRAME = b"\xff\xfb\x90\x64" + b"\x00" * 413
ID3 = b"ID3\x04\x00\x00\x00\x00\x00\x0a" + b"\x00" * 10  # a 10-byte tag body

SAMPLES: dict[str, tuple[str, bytes, str]] = {
    # name: (filename, content, expected content type)
    "pdf": ("Bài giảng.pdf", b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "application/pdf"),
    "docx": ("Đề cương.docx", zip_bytes({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}),
             "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "pptx": ("Trình chiếu.pptx", zip_bytes({"[Content_Types].xml": b"<Types/>", "ppt/presentation.xml": b"<p/>"}),
             "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    "odt": ("Văn bản.odt", zip_bytes({"mimetype": b"application/vnd.oasis.opendocument.text",
                                      "content.xml": b"<office:document-content/>"}, stored_first="mimetype"),
            "application/vnd.oasis.opendocument.text"),
    "odp": ("Trình chiếu.odp", zip_bytes({"mimetype": b"application/vnd.oasis.opendocument.presentation",
                                          "content.xml": b"<x/>"}, stored_first="mimetype"),
            "application/vnd.oasis.opendocument.presentation"),
    "doc": ("Cũ.doc", ole("WordDocument"), "application/msword"),
    "ppt": ("Cũ.ppt", ole("PowerPoint Document"), "application/vnd.ms-powerpoint"),
    "mp3": ("Bản tin.mp3", ID3 + MP3_FRAME * 3, "audio/mpeg"),
    "mp3_raw": ("Bản tin 2.mp3", MP3_FRAME * 3, "audio/mpeg"),
    "m4a": ("Phỏng vấn.m4a", b"\x00\x00\x00\x20ftypM4A \x00\x00\x02\x00M4A isommp42" + b"\x00" * 64, "audio/mp4"),
    "aac": ("Tin ngắn.aac", b"\xff\xf1\x50\x80\x02\x1f\xfc" + b"\x00" * 64, "audio/aac"),
    "ogg": ("Nhạc hiệu.ogg", b"OggS\x00\x02" + b"\x00" * 64, "audio/ogg"),
    "wav": ("Thu âm.wav", b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x00" * 64, "audio/wav"),
}

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 200


@pytest.fixture
def samples() -> dict[str, tuple[str, bytes, str]]:
    """Accepted files by type: (filename, content, expected content type)."""
    return SAMPLES
