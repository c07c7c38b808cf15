"""Attachments of a periodic report (the signed scan, supporting tables): PDF, Word, Excel, JPEG or PNG, judged by
their content, kept under `<instance>/report_attachments` (CYCLE_ATTACHMENTS_DIR) with a random stored name,
added and removed while the report is a draft or returned, downloaded by whoever may view the report."""

from __future__ import annotations

import secrets
import zipfile
from pathlib import Path, PurePosixPath
from typing import IO, TYPE_CHECKING

from flask import current_app
from sqlalchemy import event

from trainer.audit.services import record_audit
from trainer.core.errors import DomainError, ValidationError
from trainer.cycle.models import ReportAttachment, ReportSubmission
from trainer.cycle.submissions import check_editable
from trainer.extensions import db
from trainer.materials.services import clean_filename

if TYPE_CHECKING:
    from trainer.accounts.models import User

MAX_BYTES = 10 * 1024 * 1024
MAX_FILES = 10
CHUNK = 64 * 1024
TYPES = {".pdf": "application/pdf", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png",
         ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
ZIP_MARKERS = {".docx": "word/document.xml", ".xlsx": "xl/workbook.xml"}


def _invalid(code: str, message: str) -> ValidationError:
    return ValidationError(code, message, fields={"file": message})


def attachments_dir() -> Path:
    """CYCLE_ATTACHMENTS_DIR, else `<instance>/report_attachments`."""
    directory = Path(current_app.config.get("CYCLE_ATTACHMENTS_DIR")
                     or Path(current_app.instance_path) / "report_attachments")
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def _content_matches(path: Path, extension: str) -> bool:
    """The file's first bytes (or, for Office files, its archive's entries) agree with its extension."""
    with path.open("rb") as fh:
        head = fh.read(8)
    if extension == ".pdf":
        return head.startswith(b"%PDF-")
    if extension == ".png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if extension in (".jpg", ".jpeg"):
        return head.startswith(b"\xff\xd8\xff")
    try:
        with zipfile.ZipFile(path) as archive:
            return ZIP_MARKERS[extension] in archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return False


def _after_rollback_delete(path: Path) -> None:
    """The stored file goes when its row is not written."""
    event.listen(db.session(), "after_rollback", lambda _s: path.unlink(missing_ok=True), once=True)


def add_attachment(actor: User, submission: ReportSubmission, stream: IO[bytes], filename: str) -> ReportAttachment:
    """Store an uploaded file with the report; logged with its type and size only.

    Raises DomainError('forbidden', 403 | 'submission_not_editable', 409 | 'file_too_large', 413) and
    ValidationError('file_required' | 'file_type_not_allowed' | 'file_type_mismatch' | 'too_many_files')."""
    check_editable(actor, submission)
    name = clean_filename(filename)
    if not name:
        raise _invalid("file_required", "Chọn tệp cần đính kèm.")
    extension = PurePosixPath(name).suffix.lower()
    if extension not in TYPES:
        raise _invalid("file_type_not_allowed", "Chỉ nhận tệp PDF, Word (.docx), Excel (.xlsx), JPEG hoặc PNG.")
    if len(submission.attachments) >= MAX_FILES:
        raise _invalid("too_many_files", f"Mỗi báo cáo đính kèm tối đa {MAX_FILES} tệp.")
    directory = attachments_dir()
    stored_name = secrets.token_hex(20)
    final, size = directory / stored_name, 0
    try:
        with final.open("wb") as out:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > MAX_BYTES:
                    message = "Tệp quá lớn: tối đa 10 MB."
                    raise DomainError("file_too_large", message, fields={"file": message}, status=413)
                out.write(chunk)
        if size == 0 or not _content_matches(final, extension):
            raise _invalid("file_type_mismatch", f"Nội dung tệp không phải {extension.lstrip('.').upper()} như tên "
                                                 "tệp; tệp đã bị từ chối.")
    except Exception:
        final.unlink(missing_ok=True)
        raise
    _after_rollback_delete(final)
    attachment = ReportAttachment(submission=submission, filename=name, stored_name=stored_name,
                                  content_type=TYPES[extension], size_bytes=size, uploaded_by_id=actor.id)
    db.session.add(attachment)
    db.session.flush()
    record_audit(actor, "report_submission.attach", submission, attachment_id=attachment.id,
                 content_type=attachment.content_type, size_bytes=size)
    return attachment


def attachment_path(attachment: ReportAttachment) -> Path:
    """The stored file. Raises DomainError('file_missing', 404)."""
    path = attachments_dir() / attachment.stored_name
    if not path.is_file():
        raise DomainError("file_missing", "Tệp đính kèm không còn trên máy chủ.", status=404)
    return path


def remove_attachment(actor: User, attachment: ReportAttachment) -> None:
    """Remove an attachment of a draft or returned report (its file goes once the removal is committed)."""
    submission = attachment.submission
    check_editable(actor, submission)
    path = attachments_dir() / attachment.stored_name
    event.listen(db.session(), "after_commit", lambda _s: path.unlink(missing_ok=True), once=True)
    record_audit(actor, "report_submission.detach", submission, attachment_id=attachment.id)
    db.session.delete(attachment)
    db.session.flush()
