"""What an organizer does to a session's marks, beside the check-in itself: revoke the codes shown so far,
vouch for check-ins made from one device, remove a mark with a reason, and set a whole session's marks from
a roster or a paper sheet (through `services.check_in`, the one path that writes a mark)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from trainer.accounts.models import User
from trainer.attendance.models import AttendanceMark, AttendanceMethod, AttendanceRecord
from trainer.attendance.services import Who, check_in
from trainer.audit.services import record_audit
from trainer.core.errors import DomainError
from trainer.core.text import N_, clean_text
from trainer.cycle.locks import ensure_period_open
from trainer.extensions import db
from trainer.participants.models import Participant
from trainer.schedule.models import CourseSession


def revoke_checkin_codes(course_session: CourseSession, *, actor: User) -> None:
    """Make every QR and typed code of the session shown so far useless at once (a photo of the screen went
    round a Zalo group); the projector shows new ones at its next refresh. Audited."""
    course_session.checkin_version += 1
    record_audit(actor, "attendance.revoke_codes", course_session, unit_id=course_session.course.unit_id)
    db.session.flush()


def confirm_shared_checkins(course_session: CourseSession, participant_ids: set[int], *, actor: User) -> int:
    """An organizer vouches for check-ins flagged as made from one device or client (a phone lent in the
    hall): they are no longer flagged. Returns how many records were confirmed. Audited."""
    if not participant_ids:
        return 0
    records = db.session.scalars(select(AttendanceRecord).where(
        AttendanceRecord.course_session_id == course_session.id, AttendanceRecord.participant_id.in_(participant_ids),
        AttendanceRecord.confirmed_by_id.is_(None))).all()
    for record in records:
        record.confirmed_by_id = actor.id
    if records:
        record_audit(actor, "attendance.confirm", course_session, unit_id=course_session.course.unit_id,
                     participant_ids=sorted(r.participant_id for r in records))
    db.session.flush()
    return len(records)


def unmark_attendance(course_session: CourseSession, participant: Participant, *, reason: str,
                      actor: User) -> bool:
    """Remove a participant's mark with a reason (audited). False when there was none.

    Raises DomainError('reason_required').
    """
    reason = clean_text(reason, "reason", 300, label=N_("lý do"))
    if not reason:
        raise DomainError("reason_required", N_("Nhập lý do bỏ điểm danh."), fields={"reason": N_("Bắt buộc.")},
                          status=422)
    ensure_period_open(course_session.course_id)
    record = db.session.scalar(select(AttendanceRecord).where(
        AttendanceRecord.course_session_id == course_session.id, AttendanceRecord.participant_id == participant.id))
    if record is None:
        return False
    record_audit(actor, "attendance.unmark", record, unit_id=course_session.course.unit_id,
                 session_id=course_session.id, participant_id=participant.id, method=record.method.value,
                 reason=reason)
    db.session.delete(record)
    db.session.flush()
    return True


def apply_marks(course_session: CourseSession, marks: dict[int, AttendanceMark | None], *, register, reason: str,
                method: AttendanceMethod, actor: User, now: datetime) -> tuple[int, int, int]:
    """Make the marks of a session match `marks` ({participant id: present | late | excused | None for
    absent}) from a roster or a paper sheet; people not in `marks` keep theirs.

    Only enrolled participants count. Removing a mark needs a reason. Returns (added, changed, removed).
    Raises DomainError('reason_required').
    """
    enrolled = {row.participant_id for row in register.rows}
    current = {pid: recorded for (pid, sid), recorded in register.marks.items() if sid == course_session.id}
    wanted = {pid: mark for pid, mark in marks.items() if pid in enrolled}
    to_remove = sorted(pid for pid, mark in wanted.items() if mark is None and pid in current)
    to_set = sorted(pid for pid, mark in wanted.items() if mark is not None and current.get(pid) is not mark)
    reason = clean_text(reason, "reason", 300, label=N_("lý do"))
    if to_remove and not reason:
        raise DomainError("reason_required", N_("Nhập lý do khi bỏ điểm danh của học viên."),
                          fields={"reason": N_("Bắt buộc khi bỏ điểm danh.")}, status=422)
    for pid in to_set:
        check_in(course_session, Who(participant_id=pid), method=method, actor=actor, now=now, mark=wanted[pid])
    if to_remove:
        people = {p.id: p for p in db.session.scalars(select(Participant).where(Participant.id.in_(to_remove)))}
        for pid in to_remove:
            unmark_attendance(course_session, people[pid], reason=reason, actor=actor)
    added = sum(1 for pid in to_set if pid not in current)
    return added, len(to_set) - added, len(to_remove)
