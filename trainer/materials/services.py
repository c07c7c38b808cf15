"""Use-cases of training materials: store an upload after checking its type and size, delete, list.

Files live under `<instance>/materials/` (or MATERIALS_DIR) with a random name; the database keeps
the original file name, its type as detected from the content, its size and SHA-256.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path, PurePosixPath
from typing import IO

from flask import current_app
from sqlalchemy import event

from trainer.accounts.models import User
from trainer.audit.services import record_audit
from trainer.core.errors import N_, DomainError, ValidationError
from trainer.core.permissions import Need, can
from trainer.core.templating import hours as decimal_text
from trainer.core.text import clean_text, nfc
from trainer.courses.models import Course
from trainer.curricula.models import CurriculumModule
from trainer.extensions import db
from trainer.materials.models import Material
from trainer.materials.queries import course_materials_stmt

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
CHUNK = 64 * 1024
STORED_NAME_RE = re.compile(r"[0-9a-f]{40}")


@dataclass(frozen=True)
class FileKind:
    """A document type we accept: how it is labelled, served and named."""

    label: str
    content_type: str
    extensions: tuple[str, ...]


KINDS: dict[str, FileKind] = {
    "pdf": FileKind("PDF", "application/pdf", (".pdf",)),
    "doc": FileKind("Word", "application/msword", (".doc",)),
    "docx": FileKind("Word", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",)),
    "ppt": FileKind("PowerPoint", "application/vnd.ms-powerpoint", (".ppt",)),
    "pptx": FileKind("PowerPoint", "application/vnd.openxmlformats-officedocument.presentationml.presentation",
                     (".pptx",)),
    "odt": FileKind("OpenDocument", "application/vnd.oasis.opendocument.text", (".odt",)),
    "odp": FileKind("OpenDocument", "application/vnd.oasis.opendocument.presentation", (".odp",)),
    "mp3": FileKind("MP3", "audio/mpeg", (".mp3",)),
    "m4a": FileKind("M4A", "audio/mp4", (".m4a", ".aac")),  # some phones name AAC-in-MP4 recordings .aac
    "aac": FileKind("AAC", "audio/aac", (".aac",)),
    "ogg": FileKind("OGG", "audio/ogg", (".ogg", ".oga", ".opus")),
    "wav": FileKind("WAV", "audio/wav", (".wav",)),
}
ACCEPTED_EXTENSIONS = tuple(sorted({ext for kind in KINDS.values() for ext in kind.extensions}))
TYPE_LABELS = {kind.content_type: kind.label for kind in KINDS.values()}

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
M4A_BRANDS = {b"M4A ", b"M4B ", b"mp42", b"mp41", b"isom", b"iso2", b"3gp4", b"3gp5"}
ODF_TYPES = {b"application/vnd.oasis.opendocument.text": "odt",
             b"application/vnd.oasis.opendocument.presentation": "odp"}


# --- presentation helpers (also template filters, see views.py) --------------------------------

def format_size(size: int) -> str:
    """A size as people read it on a phone bill: "350 KB", "2,4 MB" (1 KB = 1024 B; the decimal separator of
    the page's language: 2.4 MB in English)."""
    if size < 1024:
        return f"{size} B"
    kilobytes = (Decimal(size) / 1024).quantize(Decimal(1), ROUND_HALF_UP)
    if kilobytes < 1024:
        return f"{kilobytes} KB"
    for unit, power in (("MB", 2), ("GB", 3)):
        value = (Decimal(size) / 1024 ** power).quantize(Decimal("0.1"), ROUND_HALF_UP)
        if value < 1024 or unit == "GB":
            return f"{decimal_text(value)} {unit}"  # "20 MB", not "20,0 MB"
    raise AssertionError("unreachable")


def type_label(content_type: str) -> str:
    """A short label of a stored content type ("PDF", "PowerPoint", "MP3")."""
    return TYPE_LABELS.get(content_type, content_type)


def max_upload_bytes() -> int:
    """The largest material accepted: MATERIALS_MAX_BYTES, never above MAX_CONTENT_LENGTH."""
    limit = int(current_app.config.get("MATERIALS_MAX_BYTES") or DEFAULT_MAX_BYTES)
    request_limit = current_app.config.get("MAX_CONTENT_LENGTH")
    return min(limit, int(request_limit)) if request_limit else limit


def too_large_error(limit: int | None = None) -> DomainError:
    """The error of an upload above the limit (413)."""
    message = N_("Tệp quá lớn: dung lượng tối đa là %(size)s.")
    return DomainError("file_too_large", message, fields={"file": message}, status=413,
                       params={"size": format_size(limit or max_upload_bytes())})


# --- storage -----------------------------------------------------------------------------------

def materials_dir() -> Path:
    """Where the files are kept: MATERIALS_DIR, else `<instance>/materials` (never under static/)."""
    directory = Path(current_app.config.get("MATERIALS_DIR") or Path(current_app.instance_path) / "materials")
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def material_path(material: Material) -> Path:
    """The stored file of `material`. Raises DomainError('file_missing', 404)."""
    path = materials_dir() / material.stored_name
    if not STORED_NAME_RE.fullmatch(material.stored_name) or not path.is_file():
        raise DomainError("file_missing", N_("Tệp của tài liệu này không còn trên máy chủ."), status=404)
    return path


def _when_transaction_ends(*, on_commit: Callable[[], None] | None = None,
                           on_rollback: Callable[[], None] | None = None) -> None:
    """Run one of two callbacks when the current session's transaction ends (files follow the rows)."""
    session = db.session()
    done = {"flag": False}

    def committed(_session: object) -> None:
        """The transaction committed: run `on_commit` unless the other outcome came first."""
        if not done["flag"]:
            done["flag"] = True
            if on_commit:
                on_commit()

    def rolled_back(_session: object) -> None:
        """The transaction rolled back: run `on_rollback` unless the other outcome came first."""
        if not done["flag"]:
            done["flag"] = True
            if on_rollback:
                on_rollback()

    event.listen(session, "after_commit", committed, once=True)
    event.listen(session, "after_rollback", rolled_back, once=True)


# --- type detection ----------------------------------------------------------------------------

def _zip_kind(path: Path) -> str | None:
    """docx/pptx (Office Open XML) or odt/odp (OpenDocument) by the archive's entries, else None."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                with archive.open("mimetype") as fh:
                    return ODF_TYPES.get(fh.read(100).strip())
            if "[Content_Types].xml" in names:
                if "word/document.xml" in names:
                    return "docx"
                if "ppt/presentation.xml" in names:
                    return "pptx"
    except (zipfile.BadZipFile, OSError, KeyError):
        return None
    return None


def _ole_kind(path: Path) -> str | None:
    """doc/ppt (OLE2 compound files) by the name of their main stream, else None (xls, msi...)."""
    data = path.read_bytes()  # bounded by the size limit already checked
    if "WordDocument".encode("utf-16-le") in data:
        return "doc"
    if "PowerPoint Document".encode("utf-16-le") in data:
        return "ppt"
    return None


def _id3_end(head: bytes) -> int:
    """Where the audio starts after an ID3v2 tag (0 without one)."""
    if len(head) < 10 or head[:3] != b"ID3":
        return 0
    size = (head[6] & 0x7F) << 21 | (head[7] & 0x7F) << 14 | (head[8] & 0x7F) << 7 | (head[9] & 0x7F)
    return 10 + size + (10 if head[5] & 0x10 else 0)


def _audio_frame_kind(frame: bytes) -> str | None:
    """'aac' for an ADTS header, 'mp3' for an MPEG audio frame header, else None."""
    if len(frame) < 4 or frame[0] != 0xFF:
        return None
    if frame[1] & 0xF6 == 0xF0:  # 12-bit sync, layer 00: ADTS
        return "aac"
    layer, bitrate, rate = (frame[1] >> 1) & 3, frame[2] >> 4, (frame[2] >> 2) & 3
    if frame[1] & 0xE0 == 0xE0 and layer != 0 and bitrate not in (0, 15) and rate != 3:
        return "mp3"
    return None


def detect_kind(path: Path) -> str | None:
    """The KINDS key of a file judged by its content (magic bytes), or None when it is none of them."""
    with path.open("rb") as fh:
        head = fh.read(64)
        start = _id3_end(head)
        if start:
            fh.seek(start)
            return _audio_frame_kind(fh.read(4))
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(path)
    if head.startswith(OLE2_MAGIC):
        return _ole_kind(path)
    if head.startswith(b"OggS"):
        return "ogg"
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "wav"
    if head[4:8] == b"ftyp":
        return "m4a" if head[8:12] in M4A_BRANDS else None
    return _audio_frame_kind(head[:4])


def clean_filename(filename: str) -> str:
    """The base name of an uploaded file, NFC, without control characters, at most 255 characters."""
    name = PurePosixPath((filename or "").replace("\\", "/")).name
    name = "".join(ch for ch in nfc(name) if unicodedata.category(ch)[0] != "C").strip(" .")
    if len(name) > 255:
        stem, dot, ext = name.rpartition(".")
        name = stem[: 254 - len(ext)] + dot + ext if dot and len(ext) < 10 else name[:255]
    return name


def _extension(filename: str) -> str:
    """The file name's extension in lower case when it is one we accept, else ''."""
    suffix = PurePosixPath(filename).suffix.lower()
    return suffix if suffix in ACCEPTED_EXTENSIONS else ""


def _type_error(code: str, message: str, **params: object) -> ValidationError:
    """A 422 about the uploaded file, shown under the file field."""
    return ValidationError(code, message, fields={"file": message}, params=params)


def _receive(stream: IO[bytes], target: Path, limit: int) -> tuple[int, str]:
    """Copy `stream` to `target`, returning (size, sha256); stops and raises past `limit` bytes."""
    digest, size = hashlib.sha256(), 0
    with target.open("wb") as out:
        while chunk := stream.read(CHUNK):
            size += len(chunk)
            if size > limit:
                raise too_large_error(limit)
            digest.update(chunk)
            out.write(chunk)
    return size, digest.hexdigest()


# --- use-cases ---------------------------------------------------------------------------------

def add_material(stream: IO[bytes], filename: str, *, actor: User, title: str = "", course: Course | None = None,
                 module: CurriculumModule | None = None) -> Material:
    """Store an uploaded document for `course` (organizers in scope) or `module` (admins).

    The type is judged by the content and must agree with the extension. Raises DomainError
    ('forbidden' 403, 'file_too_large' 413) and ValidationError('file_required', 'file_empty',
    'file_type_not_allowed', 'file_type_mismatch').
    """
    if (course is None) == (module is None):
        raise ValueError("a material belongs to exactly one course or curriculum module")
    allowed = can(actor, Need.MANAGE, course) if course is not None else can(actor, Need.ADMINISTER)
    if not allowed:
        raise DomainError("forbidden", N_("Bạn không có quyền thêm tài liệu ở đây."), status=403)
    name = clean_filename(filename)
    if not name:
        raise _type_error("file_required", N_("Chọn tệp cần tải lên."))
    extension = _extension(name)
    if not extension:
        raise _type_error("file_type_not_allowed", N_("Chỉ nhận tài liệu PDF, Word, PowerPoint, OpenDocument và âm "
                                                      "thanh MP3, M4A/AAC, OGG, WAV."))
    directory = materials_dir()
    stored_name = secrets.token_hex(20)
    temporary = directory / f".upload-{stored_name}"
    try:
        size, sha256 = _receive(stream, temporary, max_upload_bytes())
        if size == 0:
            raise _type_error("file_empty", N_("Tệp tải lên không có nội dung."))
        kind = detect_kind(temporary)
        if kind is None or extension not in KINDS[kind].extensions:
            raise _type_error("file_type_mismatch", N_("Nội dung tệp không phải là %(kind)s như phần mở rộng của tên "
                                                       "tệp; tệp đã bị từ chối."), kind=extension.lstrip(".").upper())
        final = directory / stored_name
        temporary.replace(final)
    finally:
        temporary.unlink(missing_ok=True)
    _when_transaction_ends(on_rollback=lambda: final.unlink(missing_ok=True))  # no row, no file
    title = clean_text(title, "title", 300, label=N_("tiêu đề")) or PurePosixPath(name).stem[:300] or name
    material = Material(course=course, curriculum_module=module, title=title, filename=name,
                        stored_name=stored_name, content_type=KINDS[kind].content_type, size_bytes=size,
                        sha256=sha256, uploaded_by_id=actor.id)
    db.session.add(material)
    db.session.flush()
    record_audit(actor, "material.upload", material, unit_id=course.unit_id if course else None,
                 course_id=course.id if course else None, curriculum_module_id=module.id if module else None,
                 content_type=material.content_type, size_bytes=size)
    return material


def delete_material(material: Material, *, actor: User) -> None:
    """Delete a material; its file goes once the deletion is committed. Raises DomainError('forbidden', 403)."""
    course = material.course
    allowed = can(actor, Need.MANAGE, course) if course is not None else can(actor, Need.ADMINISTER)
    if not allowed:
        raise DomainError("forbidden", N_("Bạn không có quyền xóa tài liệu này."), status=403)
    path = materials_dir() / material.stored_name
    record_audit(actor, "material.delete", material, unit_id=course.unit_id if course else None,
                 course_id=material.course_id, curriculum_module_id=material.curriculum_module_id)
    db.session.delete(material)
    db.session.flush()
    _when_transaction_ends(on_commit=lambda: path.unlink(missing_ok=True))


def list_course_materials(course: Course) -> list[Material]:
    """The course's own materials, then those of the curriculum modules it was planned with (one statement)."""
    return list(db.session.scalars(course_materials_stmt(course)))
