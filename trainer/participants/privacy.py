"""A participant's rights over their data (domain/privacy.md, API.md Participants): everything held
about one person, and anonymisation.

Anonymising erases for good the name, phone, e-mail, date of birth and position, and everything that
repeats them: the certificates' frozen snapshots and stored PDFs, the numbers typed in the person's
refused check-ins, and the free texts that quote them (reasons, notes, audit details). The personal
code changes, so a printed badge no longer opens the record. Gender, the ethnic-minority flag, target
group, unit, enrolments, attendance, hours and certificates stay, so no report figure changes.
Services flush, never commit.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import String, cast, or_, select
from sqlalchemy.orm import joinedload

from trainer.accounts.models import User
from trainer.attendance.models import AttendanceRecord, CheckinAttempt
from trainer.audit.models import AuditEntry
from trainer.audit.services import record_audit
from trainer.certificates.models import Certificate
from trainer.certificates.services import anonymise_certificate
from trainer.core.clock import local_now
from trainer.core.db import utcnow
from trainer.core.errors import N_, DomainError, ValidationError
from trainer.core.text import clean_text, fold
from trainer.courses.models import Enrolment
from trainer.extensions import db
from trainer.participants.fields import generate_codes, normalise_phone
from trainer.participants.models import Participant
from trainer.participants.queries import list_enrolments
from trainer.schedule.models import CourseSession

ANONYMISED_NAME = "Người đã ẩn danh"
ERASED = "[đã xóa]"  # what replaces the person's name, phone or e-mail inside a free text
REASON_MAX = 500


# --- export: everything held about one person ------------------------------------------------------


def _when(value: datetime | None) -> str | None:
    """A moment as ISO 8601 in the app's time zone (with its offset)."""
    return local_now(value).isoformat() if value is not None else None


def _day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _number(value: Decimal | float | None) -> float | None:
    return float(value) if value is not None else None


def _phone_matches(typed: str | None, phone: str | None) -> bool:
    """Whether a number typed at a check-in is `phone` (in any accepted writing)."""
    if not typed or not phone:
        return False
    try:
        return normalise_phone(typed) == phone
    except DomainError:
        return False


def refused_attempts(participant: Participant) -> list[CheckinAttempt]:
    """The person's refused check-ins: linked to them, or with their phone or code typed."""
    conditions = [CheckinAttempt.participant_id == participant.id,
                  CheckinAttempt.participant_code_tried == participant.code]
    if participant.phone:  # typed in any writing: the last digits narrow it, normalising decides
        conditions.append(CheckinAttempt.phone_tried.like(f"%{participant.phone[-2:]}"))
    candidates = db.session.scalars(select(CheckinAttempt).where(or_(*conditions))
                                    .order_by(CheckinAttempt.attempted_at, CheckinAttempt.id))
    return [a for a in candidates if a.participant_id == participant.id or a.participant_code_tried == participant.code
            or _phone_matches(a.phone_tried, participant.phone)]


def _profile(participant: Participant) -> dict[str, Any]:
    unit = participant.unit
    return {"id": participant.id, "code": participant.code, "full_name": participant.full_name,
            "gender": participant.gender.value, "birth_date": _day(participant.birth_date),
            "ethnic_minority": participant.ethnic_minority, "phone": participant.phone, "email": participant.email,
            "position": participant.position, "target_group": participant.target_group.value,
            "unit": {"code": unit.code, "name": unit.name, "scheme": unit.scheme},
            "notice_version": participant.notice_version, "created_at": _when(participant.created_at),
            "updated_at": _when(participant.updated_at), "anonymised_at": _when(participant.anonymised_at)}


def _enrolment(enrolment: Enrolment, attended_hours: Decimal | None) -> dict[str, Any]:
    course = enrolment.course
    return {"course": {"id": course.id, "title": course.title, "curriculum_code": course.curriculum.code,
                       "organizer": course.unit_name, "start_date": _day(course.start_date),
                       "end_date": _day(course.end_date), "venue": course.venue},
            "status": enrolment.status.value, "enrolled_at": _when(enrolment.enrolled_at),
            "withdrawn_at": _when(enrolment.withdrawn_at), "withdraw_reason": enrolment.withdraw_reason,
            "target_group_mismatch": enrolment.target_group_mismatch, "attended_hours": _number(attended_hours)}


def _attendance(participant: Participant) -> list[dict[str, Any]]:
    records = db.session.scalars(
        select(AttendanceRecord).join(CourseSession).where(AttendanceRecord.participant_id == participant.id)
        .order_by(CourseSession.starts_at, AttendanceRecord.id).options(joinedload(AttendanceRecord.course_session)))
    return [{"session": {"id": r.course_session.id, "course_id": r.course_session.course_id,
                         "title": r.course_session.title, "starts_at": _when(r.course_session.starts_at),
                         "ends_at": _when(r.course_session.ends_at), "hours": _number(r.course_session.hours)},
             "checked_in_at": _when(r.checked_in_at), "method": r.method.value, "is_late": r.is_late,
             "mark": r.mark.value,
             "note": r.note, "device_id": r.device_id} for r in records]


def _certificates(participant: Participant) -> list[dict[str, Any]]:
    certificates = db.session.scalars(select(Certificate).where(Certificate.participant_id == participant.id)
                                      .order_by(Certificate.issued_on, Certificate.id))
    return [{"serial": c.serial, "code": c.code, "course_id": c.course_id, "issued_on": _day(c.issued_on),
             "issued_at": _when(c.issued_at), "revision": c.revision, "valid": c.is_valid,
             "revoked_at": _when(c.revoked_at), "revoke_reason": c.revoke_reason, "snapshot": c.snapshot}
            for c in certificates]


def _history(participant: Participant) -> list[dict[str, Any]]:
    entries = db.session.scalars(select(AuditEntry).where(
        AuditEntry.object_type == "Participant", AuditEntry.object_id == participant.id)
        .order_by(AuditEntry.at, AuditEntry.id))
    return [{"at": _when(e.at), "action": e.action, "actor_id": e.actor_id, "details": e.details} for e in entries]


def personal_data(participant: Participant) -> dict[str, Any]:
    """Everything stored about one person, as JSON-ready data (the contract's personal-data export)."""
    enrolments = list_enrolments(participant)
    hours = dict(db.session.execute(select(Enrolment.id, Enrolment.attended_hours).where(
        Enrolment.participant_id == participant.id)).all())  # kept by triggers: read, not cached
    return {
        "generated_at": _when(utcnow()),
        "participant": _profile(participant),
        "enrolments": [_enrolment(e, hours.get(e.id)) for e in enrolments],
        "attendance": _attendance(participant),
        "certificates": _certificates(participant),
        "checkin_attempts": [{"id": a.id, "session_id": a.course_session_id, "attempted_at": _when(a.attempted_at),
                              "reason": a.reason, "phone_tried": a.phone_tried,
                              "participant_code_tried": a.participant_code_tried}
                             for a in refused_attempts(participant)],
        "history": _history(participant),
    }


def export_personal_data(participant: Participant, *, actor: User, channel: str) -> dict[str, Any]:
    """Everything stored about one person, for them; the export is audited (who, when, through what)."""
    data = personal_data(participant)
    record_audit(actor, "participant.personal_data_export", participant, channel=channel)
    return data


# --- anonymisation -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AnonymiseResult:
    """What anonymising one person changed besides their record."""

    certificates: int
    checkin_attempts: int
    texts: int  # free texts (reasons, notes, audit details) that quoted the person


class _Eraser:
    """Replaces a person's name, phone (in any writing), e-mail and date of birth inside free texts."""

    def __init__(self, participant: Participant) -> None:
        patterns = []
        if participant.full_name:
            patterns.append(re.escape(participant.full_name))
        if participant.email:
            patterns.append(re.escape(participant.email))
        if participant.phone:
            digits = participant.phone[1:]
            patterns.append(r"(?:\+84|0084|84|0)[\s.\-]*(?:\(0\))?[\s.\-]*" + r"[\s.\-]?".join(digits) + r"(?!\d)")
        if participant.birth_date:
            born = participant.birth_date
            patterns += [re.escape(born.isoformat()), rf"0?{born.day}[/.\-]0?{born.month}[/.\-]{born.year}"]
        self.regex = re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE) if patterns else None
        # Inside JSON (audit details), as stored: SQLAlchemy writes non-ASCII letters as \uXXXX escapes.
        self.needles = sorted({v for v in (participant.full_name, participant.email, participant.phone) if v}
                              | {json.dumps(participant.full_name)[1:-1]})

    def text(self, value: str | None) -> str | None:
        """`value` with the person's data replaced by ERASED."""
        if not value or self.regex is None:
            return value
        return self.regex.sub(ERASED, value)

    def data(self, value: Any) -> Any:
        """A JSON value (dicts, lists, strings) with every string erased."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return {key: self.data(item) for key, item in value.items()}
        if isinstance(value, list):
            return [self.data(item) for item in value]
        return value


def _like(value: str) -> str:
    return "%" + value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _erase_texts(participant: Participant, eraser: _Eraser) -> int:
    """Erase the person from the free texts that may quote them; returns how many were changed."""
    changed = 0
    texts: list[tuple[Any, str]] = [(e, "withdraw_reason") for e in db.session.scalars(
        select(Enrolment).where(Enrolment.participant_id == participant.id, Enrolment.withdraw_reason.is_not(None)))]
    texts += [(r, "note") for r in db.session.scalars(select(AttendanceRecord).where(
        AttendanceRecord.participant_id == participant.id, AttendanceRecord.note.is_not(None)))]
    for obj, name in texts:
        erased = eraser.text(getattr(obj, name))
        if erased != getattr(obj, name):
            setattr(obj, name, erased)
            changed += 1
    # The audit log's details are meant to hold IDs only; a typed reason may still quote a name.
    details = cast(AuditEntry.details, String)
    entries = db.session.scalars(select(AuditEntry).where(or_(*(details.like(_like(n), escape="\\")
                                                                for n in eraser.needles))))
    for entry in entries:
        erased = eraser.data(entry.details)
        if erased != entry.details:
            entry.details = erased
            changed += 1
    return changed


def _erase_attempts(participant: Participant) -> int:
    """Forget the numbers and codes typed in the person's refused check-ins."""
    attempts = refused_attempts(participant)
    for attempt in attempts:
        attempt.phone_tried = None
        attempt.participant_code_tried = None
    return len(attempts)


def clean_reason(reason: Any) -> str:
    """The reason of an anonymisation. Raises ValidationError('reason_required' | 'invalid_characters' | 'too_long')."""
    if not isinstance(reason, str) or not reason.strip():
        message = N_("Nhập lý do ẩn danh hóa (ví dụ: theo yêu cầu xóa dữ liệu của người này, ngày ...).")
        raise ValidationError("reason_required", message, fields={"reason": message})
    return clean_text(reason, "reason", REASON_MAX, label=N_("lý do"))


def anonymise_participant(participant: Participant, *, reason: Any, actor: User,
                          now: datetime | None = None) -> AnonymiseResult:
    """Erase a person's name, phone, e-mail, date of birth and position for good (see the module).

    Raises ValidationError('reason_required' | ...), DomainError('already_anonymised', 409).
    """
    reason = clean_reason(reason)
    if participant.anonymised_at is not None:
        raise DomainError("already_anonymised", N_("Người này đã được ẩn danh hóa trước đó; không còn dữ liệu cá "
                                                   "nhân nào để xóa."), status=409)
    eraser = _Eraser(participant)
    attempts = _erase_attempts(participant)  # while the record still has the phone and code typed
    certificates = list(db.session.scalars(select(Certificate).where(Certificate.participant_id == participant.id)))
    for certificate in certificates:
        anonymise_certificate(certificate, full_name=ANONYMISED_NAME, erase=eraser.text)
    texts = _erase_texts(participant, eraser)
    participant.full_name = ANONYMISED_NAME
    participant.name_search = fold(ANONYMISED_NAME)
    participant.phone = participant.email = participant.birth_date = None
    participant.position = ""
    participant.code = generate_codes(1)[0]  # printed badges no longer open the record
    participant.anonymised_at = now or utcnow()
    db.session.flush()
    record_audit(actor, "participant.anonymise", participant, reason=eraser.text(reason),
                 certificates=len(certificates), checkin_attempts=attempts, texts=texts)
    return AnonymiseResult(certificates=len(certificates), checkin_attempts=attempts, texts=texts)
