"""Use-cases of certificates: who completes, issue (once), revoke, reissue, public verification.

A certificate carries a register number (serial) sequential per issuing unit and year and a
random verification code; public look-ups go by the code only. What it certifies is kept as a
snapshot and its PDF is stored when issued, so later edits never change it silently.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from trainer.accounts.models import User
from trainer.attendance.completion import shortfall
from trainer.attendance.register import Register, get_register
from trainer.audit.services import record_audit
from trainer.certificates.models import CODE_ALPHABET, Certificate, new_verification_code
from trainer.certificates.pdf import CertificateData, render_certificate
from trainer.certificates.public_url import LOCAL_MESSAGE, clean_public_base_url, is_local_url, qr_base_url
from trainer.certificates.wording import decision_reference, work_unit_agency
from trainer.core.clock import local_today
from trainer.core.db import utcnow
from trainer.core.errors import DomainError, ValidationError, said
from trainer.core.templating import hours as format_hours
from trainer.core.text import N_, clean_text
from trainer.courses.issuer import course_letterhead
from trainer.courses.models import Course, CourseStatus
from trainer.cycle.locks import ensure_period_open
from trainer.documents.layout import short_date
from trainer.extensions import db
from trainer.participants.models import Participant
from trainer.units.models import Unit

CODE_RE = re.compile(f"^[{CODE_ALPHABET}]{{10,24}}$")


@dataclass(frozen=True)
class Completion:
    """One enrolled participant: completed or not, why not, and their certificate if any."""

    participant_id: int
    full_name: str
    unit_name: str
    hours_attended: Any
    attendance_ratio: float
    completed: bool
    reason: str  # shown to the organizer, in the page's language (Vietnamese outside a request)
    certificate: Certificate | None


@dataclass
class IssueResult:
    """Certificates issued now, and who was skipped with a reason code."""

    issued: list[Certificate] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)
    message: str = ""  # Vietnamese summary when nothing could be issued
    local_url: bool = False  # the QR codes of the certificates issued point at the server itself


def _certificates_by_participant(course: Course) -> dict[int, Certificate]:
    return {c.participant_id: c for c in db.session.scalars(select(Certificate).where(
        Certificate.course_id == course.id))}


def list_completion(course: Course, register: Register | None = None) -> list[Completion]:
    """Who completes the course and who does not, and why (hours missing), with their certificates."""
    register = register or get_register(course)
    certificates = _certificates_by_participant(course)
    rows = []
    for row in register.rows:
        if not register.sessions:
            reason = said(N_("Khóa học chưa có buổi học nào."))
        elif row.completed:
            reason = ""
        else:
            needed = shortfall(row.hours_attended, register.scheduled_hours, register.threshold)
            reason = said(N_("Thiếu %(needed)s giờ: đã học %(attended)s/%(scheduled)s giờ (%(ratio)s), "
                             "cần %(required)s."),
                          {"needed": format_hours(needed), "attended": format_hours(row.hours_attended),
                           "scheduled": format_hours(register.scheduled_hours),
                           "ratio": f"{row.attendance_ratio:.0%}", "required": f"{float(register.threshold):.0%}"})
        rows.append(Completion(row.participant_id, row.full_name, row.unit_name, row.hours_attended,
                               row.attendance_ratio, row.completed, reason, certificates.get(row.participant_id)))
    return rows


SNAPSHOT_VERSION = 2  # 2: adds work_unit, curriculum_title_confirmed and curriculum_decision


def build_snapshot(course: Course, participant: Participant, scheduled_hours: Any) -> dict[str, Any]:
    """What a certificate certifies, frozen at issue time.

    The curriculum's legal reference (`curriculum_decision`) is kept only when an administrator has
    confirmed its title: an unconfirmed title is never printed as Decision 1288's programme."""
    curriculum = course.curriculum
    title_confirmed = bool((curriculum.confirmed or {}).get("title"))
    return {
        "version": SNAPSHOT_VERSION,
        "full_name": participant.full_name,
        "birth_date": participant.birth_date.isoformat() if participant.birth_date else None,
        "unit_name": participant.unit.name, "work_unit": work_unit_agency(participant.unit.name),
        "position": participant.position,
        "course_title": course.title, "curriculum_code": curriculum.code, "curriculum_title": curriculum.title,
        "curriculum_title_confirmed": title_confirmed,
        "curriculum_decision": decision_reference(curriculum.decision) if title_confirmed else "",
        "start_date": course.start_date.isoformat(), "end_date": course.end_date.isoformat(),
        "venue": course.venue, "hours": float(scheduled_hours), "organizer_name": course.unit_name,
        "letterhead": asdict(course_letterhead(course)),  # the course's issuer and signer, as issued
        **({"anonymised": True} if participant.anonymised_at is not None else {}),
    }


def check_issue_date(course: Course, issued_on: date | None, *, today: date | None = None) -> date:
    """The date printed on the course's certificates: `issued_on` as the organizer chose it, by default
    the course's last day. Never before that day (the course was not completed yet) nor after today.

    Raises ValidationError('issued_on_before_end' | 'issued_on_future' | 'course_not_ended')."""
    today = today or local_today()
    end = short_date(course.end_date)
    if course.end_date > today:
        message = N_("Khóa học kết thúc ngày %(end)s: chưa thể cấp giấy chứng nhận trước ngày đó.")
        raise ValidationError("course_not_ended", message, fields={"issued_on": message}, params={"end": end})
    day = issued_on or course.end_date
    if day < course.end_date:
        message = N_("Ngày cấp %(day)s trước ngày kết thúc khóa học (%(end)s): chọn từ ngày %(end)s đến hôm nay.")
        raise ValidationError("issued_on_before_end", message, fields={"issued_on": message},
                              params={"day": short_date(day), "end": end})
    if day > today:
        message = N_("Ngày cấp %(day)s là ngày trong tương lai: chọn từ ngày %(end)s đến hôm nay (%(today)s).")
        raise ValidationError("issued_on_future", message, fields={"issued_on": message},
                              params={"day": short_date(day), "end": end, "today": short_date(today)})
    return day


def _next_serial(unit: Unit, year: int) -> int:
    """The next register number of `unit` in `year` (the unit row is locked on PostgreSQL)."""
    db.session.execute(select(Unit.id).where(Unit.id == unit.id).with_for_update())
    current = db.session.scalar(select(func.max(Certificate.serial_number)).where(
        Certificate.issuing_unit_id == unit.id, Certificate.serial_year == year))
    return (current or 0) + 1


def format_serial(number: int, year: int) -> str:
    """The register number as printed: "0015/2024"."""
    return f"{number:04d}/{year}"


def issue_certificates(course: Course, *, actor: User | None, issued_on: date | None = None,
                       today: date | None = None,
                       on_progress: Callable[[int, int], None] | None = None, store_pdfs: bool = True,
                       public_base_url: str | None = None, local_url_ok: bool = False) -> IssueResult:
    """Issue one certificate to every enrolled participant who completed `course` and has none yet.

    The certificates are dated `issued_on` (default: the course's last day; see `check_issue_date`,
    `today` being the local date now) and numbered in that year's register.
    Idempotent: a second call issues nothing new; with no completers the result says so in
    `message`. `public_base_url`, typed by the person issuing, replaces the configured address in
    these certificates' QR codes and stays with them (reprints, reissues). Without it, a QR address
    that is the server's own is refused unless `local_url_ok` (phones cannot open it).
    Raises DomainError('course_cancelled' | 'no_certificates_for_course' | 'public_base_url_local'
    | 'public_base_url_missing'), ValidationError('public_base_url_invalid' | 'public_base_url_not_public'
    | 'issued_on_before_end' | 'issued_on_future' | 'course_not_ended').
    """
    if course.status is CourseStatus.CANCELLED:
        raise DomainError("course_cancelled", N_("Khóa học đã bị hủy, không cấp giấy chứng nhận."))
    if not course.issues_certificates:
        raise DomainError("no_certificates_for_course", N_("Khóa học này được thiết lập không cấp giấy chứng nhận."))
    ensure_period_open(course)
    day = check_issue_date(course, issued_on, today=today)
    register = get_register(course)
    completion = list_completion(course, register)
    result = IssueResult()
    if not any(c.completed for c in completion):
        result.message = ("Chưa có học viên nào đủ điều kiện hoàn thành khóa học "
                          f"(tham dự ít nhất {float(register.threshold):.0%} số giờ đã lên lịch).")
    todo = []
    for c in completion:
        if not c.completed:
            result.skipped.append((c.participant_id, "not_completed"))
        elif c.certificate is not None:
            result.skipped.append((c.participant_id, "already_issued"))
        else:
            todo.append(c.participant_id)
    base = clean_public_base_url(public_base_url) if public_base_url else None
    if todo and base is None and store_pdfs:
        configured = qr_base_url()
        result.local_url = is_local_url(configured)
        if result.local_url and not local_url_ok:
            raise DomainError("public_base_url_local", LOCAL_MESSAGE.format(base=configured))
    people = {p.id: p for p in db.session.scalars(select(Participant).where(Participant.id.in_(todo))
                                                  .options(joinedload(Participant.unit)))} if todo else {}
    number = _next_serial(course.unit, day.year) if todo else 0
    for i, participant_id in enumerate(todo):
        certificate = Certificate(
            course_id=course.id, participant_id=participant_id, issuing_unit_id=course.unit_id,
            serial_year=day.year, serial_number=number + i, serial=format_serial(number + i, day.year),
            code=new_verification_code(), issued_on=day, issued_by_id=actor.id if actor else None,
            snapshot=build_snapshot(course, people[participant_id], register.scheduled_hours)
            | ({"public_base_url": base} if base else {}))
        db.session.add(certificate)
        result.issued.append(certificate)
    db.session.flush()
    for i, certificate in enumerate(result.issued, start=1):
        if store_pdfs:
            store_pdf(certificate)
        if on_progress:
            on_progress(i, len(result.issued))
    if not result.issued and not result.message:
        result.message = N_("Không có giấy chứng nhận mới: mọi học viên hoàn thành đều đã được cấp.")
    if result.issued:
        record_audit(actor, "certificate.issue", course, count=len(result.issued),
                     serials=[c.serial for c in result.issued][:5],
                     **({"public_base_url": base} if base else {"local_url": True} if result.local_url else {}))
    return result


def certificate_path(certificate: Certificate) -> Path:
    """Where a certificate's PDF of its current revision lives, under the instance folder."""
    return (Path(current_app.instance_path) / "certificates" / str(certificate.serial_year)
            / f"{certificate.code}-r{certificate.revision}.pdf")


def store_pdf(certificate: Certificate) -> None:
    """Render the certificate from its snapshot and store the file with its checksum."""
    pdf = render_certificate(certificate_data(certificate))
    path = certificate_path(certificate)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pdf)
    certificate.pdf_path = str(path.relative_to(current_app.instance_path))
    certificate.pdf_sha256 = hashlib.sha256(pdf).hexdigest()


def pdf_bytes(certificate: Certificate) -> bytes:
    """The certificate's stored PDF; rendered from its snapshot when no file was stored (demo data)
    or when it was revoked (then stamped "ĐÃ THU HỒI" with the date across the page)."""
    if certificate.pdf_path and certificate.revoked_at is None:
        path = Path(current_app.instance_path) / certificate.pdf_path
        if path.is_file():
            return path.read_bytes()
    return render_certificate(certificate_data(certificate))


def certificate_data(certificate: Certificate) -> CertificateData:
    """The renderer's input, from the certificate's snapshot."""
    return CertificateData.from_snapshot(certificate.snapshot, serial=certificate.serial, code=certificate.code,
                                         issued_on=certificate.issued_on, revoked_on=revoked_on(certificate),
                                         verify_url=verify_url(certificate.code,
                                                               certificate.snapshot.get("public_base_url")))


def revoked_on(certificate: Certificate) -> date | None:
    """The local date the certificate was revoked, if it was."""
    return local_today(certificate.revoked_at) if certificate.revoked_at else None


def verify_url(code: str, base: str | None = None) -> str:
    """The public verification page a certificate's QR encodes: on `base` (given when it was issued)
    when set, else on TRAINER_PUBLIC_BASE_URL, else on the host of the current request.
    Raises DomainError('public_base_url_missing')."""
    return f"{(base or qr_base_url()).rstrip('/')}/verify/{code}"


def revoke_certificate(certificate: Certificate, *, reason: str, actor: User, now: datetime | None = None) -> None:
    """Revoke with a reason (logged); the verification page then says revoked.

    Raises ValidationError('reason_required'), DomainError('already_revoked').
    """
    reason = clean_text(reason, "reason", 500, label=N_("lý do thu hồi"))
    if not reason:
        raise ValidationError("reason_required", N_("Nhập lý do thu hồi."), fields={"reason": N_("Bắt buộc.")})
    if certificate.revoked_at is not None:
        raise DomainError("already_revoked", N_("Giấy chứng nhận này đã bị thu hồi trước đó."))
    ensure_period_open(certificate.course_id)
    certificate.revoked_at = now or utcnow()
    certificate.revoked_by_id = actor.id
    certificate.revoke_reason = reason
    record_audit(actor, "certificate.revoke", certificate, unit_id=certificate.issuing_unit_id,
                 serial=certificate.serial)


def reissue_certificate(certificate: Certificate, *, reason: str, actor: User) -> None:
    """Reissue from today's data (e.g. a corrected name): new revision and PDF, same code and page.

    A revoked certificate becomes valid again. Raises ValidationError('reason_required').
    """
    reason = clean_text(reason, "reason", 500, label=N_("lý do cấp lại"))
    if not reason:
        raise ValidationError("reason_required", N_("Nhập lý do cấp lại."), fields={"reason": N_("Bắt buộc.")})
    ensure_period_open(certificate.course_id)
    register = get_register(certificate.course)
    base = (certificate.snapshot or {}).get("public_base_url")  # the address printed on it stays
    certificate.snapshot = (build_snapshot(certificate.course, certificate.participant, register.scheduled_hours)
                            | ({"public_base_url": base} if base else {}))
    certificate.revision += 1
    certificate.revoked_at = certificate.revoked_by_id = certificate.revoke_reason = None
    store_pdf(certificate)
    record_audit(actor, "certificate.reissue", certificate, unit_id=certificate.issuing_unit_id,
                 serial=certificate.serial, revision=certificate.revision, reason=reason[:300])


def anonymise_certificate(certificate: Certificate, *, full_name: str, erase: Callable[[str], str | None]) -> None:
    """Erase the holder's personal data from a certificate (their anonymisation): the snapshot keeps
    `full_name` instead of the name, no date of birth or position, and says `anonymised`; the stored
    PDFs of every revision are deleted (the PDF is drawn from the snapshot when asked for). Its
    serial, code, course, dates and validity stay: the verification page still answers.
    """
    certificate.snapshot = {**(certificate.snapshot or {}), "full_name": full_name, "birth_date": None,
                            "position": "", "anonymised": True}
    if certificate.revoke_reason:
        certificate.revoke_reason = erase(certificate.revoke_reason)
    folder = Path(current_app.instance_path) / "certificates" / str(certificate.serial_year)
    for path in folder.glob(f"{certificate.code}-r*.pdf"):
        path.unlink(missing_ok=True)
    certificate.pdf_path = certificate.pdf_sha256 = None


def find_by_code(code: str) -> Certificate:
    """The certificate with this verification code.

    Raises DomainError('code_malformed', 400) for something that cannot be a code,
    DomainError('certificate_not_found', 404) for an unknown one.
    """
    cleaned = (code or "").strip().upper()
    if not CODE_RE.match(cleaned):
        raise DomainError("code_malformed", N_("Mã xác minh không đúng định dạng (10-24 chữ và số, không có "
                                               "0, O, 1, I, L)."), status=400)
    certificate = db.session.scalar(select(Certificate).where(Certificate.code == cleaned))
    if certificate is None:
        raise DomainError("certificate_not_found", N_("Không tìm thấy giấy chứng nhận nào có mã này."), status=404)
    return certificate


def public_view(certificate: Certificate) -> dict[str, Any]:
    """What anyone may see: the contract's fields, minimal personal data (no phone, no full birth date)."""
    snap = certificate.snapshot
    return {"serial": certificate.serial, "code": certificate.code, "valid": certificate.is_valid,
            "anonymised": bool(snap.get("anonymised")),
            "revoked": not certificate.is_valid,
            "revoked_on": revoked_on(certificate).isoformat() if certificate.revoked_at else None,
            "full_name": snap.get("full_name"), "birth_year": (snap.get("birth_date") or "")[:4] or None,
            "course_title": snap.get("course_title"), "curriculum_code": snap.get("curriculum_code"),
            "curriculum_title": snap.get("curriculum_title"), "unit_name": snap.get("organizer_name"),
            "start_date": snap.get("start_date"), "end_date": snap.get("end_date"), "hours": snap.get("hours"),
            "issued_on": certificate.issued_on.isoformat()}
