"""Use-cases of attendance: check-in by session token, marks by organizers, refused attempts.

Every refusal has a stable code (the API's error code) and a Vietnamese message, and is stored
as a CheckinAttempt for the organizer to review: the caller commits even when a CheckinRefused
propagates, since the attempt is the only pending change then.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, false, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from trainer.accounts.models import User
from trainer.attendance.models import AttendanceMethod, AttendanceRecord, CheckinAttempt
from trainer.attendance.tokens import TokenError, verify_token
from trainer.audit.services import record_audit
from trainer.core.db import utcnow
from trainer.core.errors import DomainError
from trainer.courses.models import Course, CourseStatus, Enrolment, EnrolmentStatus
from trainer.extensions import db
from trainer.participants.models import Participant
from trainer.schedule.models import CourseSession

# Failed look-ups (unknown or not-enrolled numbers) allowed per network and session in
# FAILURE_WINDOW; successful check-ins never count, so a hall sharing one IP is never blocked.
MAX_FAILURES = 20
FAILURE_WINDOW = timedelta(minutes=10)

MESSAGES = {
    "checked_in": "Điểm danh thành công.",
    "already_checked_in": "Bạn đã điểm danh buổi này rồi.",
    "not_enrolled": "Số điện thoại này không có trong danh sách học viên của lớp. Hãy kiểm tra lại số "
                    "đã đăng ký hoặc báo cán bộ tổ chức lớp.",
    "wrong_course": "Bạn đang quét mã của lớp khác. Lớp của bạn: {course}.",
    "too_early": "Chưa đến giờ điểm danh. Buổi học bắt đầu lúc {start}; điểm danh mở từ {opens}.",
    "too_late": "Đã hết giờ điểm danh của buổi học này (kết thúc lúc {end}).",
    "course_cancelled": "Lớp học này đã bị hủy.",
    "device_used": "Điện thoại này đã điểm danh cho một học viên khác trong buổi này. Mỗi người điểm danh "
                   "bằng điện thoại của mình.",
    "too_many_attempts": "Có quá nhiều lần nhập số không đúng từ mạng này. Vui lòng thử lại sau ít phút "
                         "hoặc báo cán bộ tổ chức lớp.",
    "phone_required": "Nhập số điện thoại bạn đã đăng ký.",
}
STATUS = {"not_enrolled": 404, "wrong_course": 409, "too_early": 409, "too_late": 409, "course_cancelled": 409,
          "device_used": 409, "too_many_attempts": 429, "phone_required": 422}


class CheckinRefused(DomainError):
    """A refused check-in. `code` is the API code; `reason` the finer result shown to people.

    Outside the window the API code is `checkin_closed` (the contract's) and `reason` says
    whether it is too early or too late.
    """

    def __init__(self, reason: str, *, message: str | None = None) -> None:
        code = "checkin_closed" if reason in ("too_early", "too_late", "course_cancelled") else reason
        super().__init__(code, message or MESSAGES[reason], status=STATUS[reason])
        self.reason = reason


@dataclass
class CheckinResult:
    """What a check-in did."""

    status: str  # checked_in | already_checked_in
    record: AttendanceRecord
    participant: Participant
    course_session: CourseSession

    @property
    def message(self) -> str:
        """The Vietnamese sentence for the trainee."""
        return MESSAGES[self.status]


def checkin_window(starts_at: datetime, ends_at: datetime, opens_minutes: int) -> tuple[datetime, datetime]:
    """When check-in opens (the course's `checkin_opens_minutes` before the start) and closes (the
    session's end). Plain values: the fast path (trainer.attendance.fastpath) has rows, not objects."""
    return starts_at - timedelta(minutes=opens_minutes), ends_at


def is_late(starts_at: datetime, late_minutes: int, now: datetime) -> bool:
    """Arriving after the start plus the course's `late_after_minutes` counts as late."""
    return now > starts_at + timedelta(minutes=late_minutes)


def _local(value: datetime) -> str:
    from trainer.core.templating import vn_datetime

    return vn_datetime(value)


def _check_window(course_session: CourseSession, now: datetime) -> None:
    if course_session.course.status is CourseStatus.CANCELLED:
        raise CheckinRefused("course_cancelled")
    opens, closes = checkin_window(course_session.starts_at, course_session.ends_at,
                                   course_session.course.checkin_opens_minutes)
    if now < opens:
        raise CheckinRefused("too_early", message=MESSAGES["too_early"].format(
            start=_local(course_session.starts_at), opens=_local(opens)))
    if now > closes:
        raise CheckinRefused("too_late", message=MESSAGES["too_late"].format(end=_local(closes)))


def is_enrolled(participant: Participant, course: Course) -> bool:
    """True when the participant holds an active place in the course."""
    return db.session.scalar(select(Enrolment.id).where(
        Enrolment.course_id == course.id, Enrolment.participant_id == participant.id,
        Enrolment.status == EnrolmentStatus.ENROLLED)) is not None


def _other_open_course(participant: Participant, now: datetime) -> Course | None:
    """A course the participant is enrolled in with a session open for check-in now."""
    stmt = (select(Course).join(CourseSession).join(Enrolment, Enrolment.course_id == Course.id)
            .where(Enrolment.participant_id == participant.id, Enrolment.status == EnrolmentStatus.ENROLLED,
                   Course.status != CourseStatus.CANCELLED,
                   CourseSession.starts_at <= now + timedelta(hours=1), CourseSession.ends_at >= now)
            .limit(1))
    return db.session.scalar(stmt)


def record_checkin(course_session: CourseSession, participant: Participant, *, method: AttendanceMethod,
                   recorded_by: User | None = None, device_id: str | None = None, enforce_window: bool = True,
                   known_enrolled: bool = False, now: datetime | None = None) -> CheckinResult:
    """Mark `participant` present at `course_session`; a repeat returns the first record.

    Raises CheckinRefused('not_enrolled' | 'too_early' | 'too_late' | 'course_cancelled' | 'device_used').
    Concurrent duplicates are caught by the unique constraint. `known_enrolled` skips the
    enrolment check when the caller has just made it.
    """
    now = now or utcnow()
    if not known_enrolled and not is_enrolled(participant, course_session.course):
        raise CheckinRefused("not_enrolled")
    if enforce_window:
        _check_window(course_session, now)
    # This person's record, or another person's made from the same device, in one statement.
    mine = AttendanceRecord.participant_id == participant.id
    same_device = AttendanceRecord.device_id == device_id if device_id else false()
    found = db.session.scalars(select(AttendanceRecord).where(
        AttendanceRecord.course_session_id == course_session.id, or_(mine, same_device))).all()
    existing = next((r for r in found if r.participant_id == participant.id), None)
    if existing is not None:
        return CheckinResult("already_checked_in", existing, participant, course_session)
    if found:
        raise CheckinRefused("device_used")
    late = is_late(course_session.starts_at, course_session.course.late_after_minutes, now)
    record = AttendanceRecord(course_session_id=course_session.id, participant_id=participant.id,
                              checked_in_at=now, method=method, is_late=late,
                              recorded_by_id=recorded_by.id if recorded_by else None, device_id=device_id)
    db.session.add(record)
    try:
        db.session.flush()
    except IntegrityError:
        # The same person at the same moment from another request: the unique constraint kept one
        # record. Not a savepoint: pysqlite mishandles SAVEPOINT, and a check-in is the request's
        # only write, so rolling the whole transaction back loses nothing else.
        db.session.rollback()
        existing = db.session.scalar(select(AttendanceRecord).where(
            AttendanceRecord.course_session_id == course_session.id,
            AttendanceRecord.participant_id == participant.id))
        return CheckinResult("already_checked_in", existing, existing.participant, existing.course_session)
    return CheckinResult("checked_in", record, participant, course_session)


def store_refusal(refused: CheckinRefused, *, course_session_id: int | None, phone: str | None = None,
                  participant_code: str | None = None, participant_id: int | None = None,
                  client_key: str | None = None, device_id: str | None = None,
                  now: datetime | None = None) -> CheckinAttempt:
    """Keep a refused attempt for the organizer (time, session, reason, what was tried)."""
    attempt = CheckinAttempt(course_session_id=course_session_id, attempted_at=now or utcnow(),
                             reason=getattr(refused, "reason", refused.code), phone_tried=phone,
                             participant_code_tried=participant_code, participant_id=participant_id,
                             client_key=client_key, device_id=device_id)
    db.session.add(attempt)
    return attempt


def checkin_fields(data: dict[str, Any]) -> tuple[str | None, str | None]:
    """The phone number and participant code of a JSON check-in, as text; None when absent or empty."""
    phone, code = data.get("phone"), data.get("participant_code")
    return (str(phone) if phone else None), (str(code) if code else None)


def client_key(remote_addr: str | None, secret: str) -> str:
    """A keyed hash of a client's address: failures are counted per network, the IP is not kept."""
    return hashlib.sha256(f"{secret}|{remote_addr or ''}".encode()).hexdigest()


def _too_many_failures(course_session_id: int, client_key: str | None, now: datetime) -> bool:
    if not client_key:
        return False
    failures = db.session.scalar(select(func.count(CheckinAttempt.id)).where(
        CheckinAttempt.client_key == client_key, CheckinAttempt.course_session_id == course_session_id,
        CheckinAttempt.reason.in_(("not_enrolled", "wrong_course")),
        CheckinAttempt.attempted_at >= now - FAILURE_WINDOW))
    return failures >= MAX_FAILURES


def find_enrolled(course_id: int, *, phone: str | None = None,
                  participant_code: str | None = None) -> tuple[Participant | None, bool]:
    """The participant with this phone (normalised) or personal code, and whether they hold an
    active place in the course, in one statement."""
    from trainer.participants.services import normalise_phone

    if participant_code:
        condition = Participant.code == participant_code.strip().upper()
    else:
        try:
            condition = Participant.phone == normalise_phone(phone or "")
        except DomainError:
            return None, False
    row = db.session.execute(
        select(Participant, Enrolment.id).outerjoin(Enrolment, and_(
            Enrolment.participant_id == Participant.id, Enrolment.course_id == course_id,
            Enrolment.status == EnrolmentStatus.ENROLLED)).where(condition)).first()
    return (row[0], row[1] is not None) if row else (None, False)


def session_for_token(token: str, now: datetime, *, allow_expired: bool = False) -> CourseSession:
    """The session a token names, after checking its signature and age.

    Raises TokenError('token_invalid' | 'token_expired'); with `allow_expired` (a grace ticket
    vouches for an earlier valid scan) an expired but genuine token is accepted.
    """
    from trainer.attendance.tokens import parse_token

    session_id = parse_token(token)[0]
    course_session = db.session.get(CourseSession, session_id, options=[joinedload(CourseSession.course)])
    if course_session is None:
        raise TokenError("token_invalid", "Mã QR không hợp lệ. Hãy quét lại mã trên màn chiếu.", status=400)
    try:
        verify_token(token, course_session.checkin_secret, course_session.checkin_version, now)
    except TokenError as exc:
        if not (allow_expired and exc.code == "token_expired"):
            raise
    return course_session


def checkin_with_token(course_session: CourseSession, *, phone: str | None = None,
                       participant_code: str | None = None, participant: Participant | None = None,
                       device_id: str | None = None, client_key: str | None = None,
                       now: datetime | None = None) -> CheckinResult:
    """A trainee checks in with the session's QR: by phone, personal code or a remembered device.

    Raises CheckinRefused (stored as an attempt first) for every refusal.
    """
    now = now or utcnow()
    tried = {"phone": phone, "participant_code": participant_code}

    def refuse(reason: str, who: Participant | None = None, message: str | None = None) -> CheckinRefused:
        refused = CheckinRefused(reason, message=message)
        store_refusal(refused, course_session_id=course_session.id, participant_id=who.id if who else None,
                      client_key=client_key, device_id=device_id, now=now, **tried)
        return refused

    enrolled = False
    if participant is None:
        if not (phone or participant_code):
            raise CheckinRefused("phone_required")
        participant, enrolled = find_enrolled(course_session.course_id, phone=phone, participant_code=participant_code)
    else:
        enrolled = is_enrolled(participant, course_session.course)
    if participant is None or not enrolled:
        # Only failed look-ups are limited (per network): a hall sharing one address is never
        # slowed down by its own successful check-ins.
        if _too_many_failures(course_session.id, client_key, now):
            raise refuse("too_many_attempts", participant)
        if participant is None:
            raise refuse("not_enrolled")
        other = _other_open_course(participant, now)
        if other is not None:
            raise refuse("wrong_course", participant, MESSAGES["wrong_course"].format(course=other.title))
        raise refuse("not_enrolled", participant)
    try:
        return record_checkin(course_session, participant, method=AttendanceMethod.QR, device_id=device_id,
                              known_enrolled=True, now=now)
    except CheckinRefused as exc:
        raise refuse(exc.reason, participant, exc.message) from None


def mark_attendance(course_session: CourseSession, participant: Participant, *, method: AttendanceMethod,
                    actor: User, now: datetime | None = None) -> CheckinResult:
    """An organizer marks someone present (badge scan, roster or paper sheet); no time window applies."""
    result = record_checkin(course_session, participant, method=method, recorded_by=actor, enforce_window=False,
                            now=now)
    if result.status == "checked_in":
        record_audit(actor, "attendance.mark", result.record, unit_id=course_session.course.unit_id,
                     session_id=course_session.id, participant_id=participant.id, method=method.value)
    return result


def unmark_attendance(course_session: CourseSession, participant: Participant, *, reason: str,
                      actor: User) -> bool:
    """Remove a participant's mark with a reason (audited). False when there was none.

    Raises DomainError('reason_required').
    """
    if not reason or not reason.strip():
        raise DomainError("reason_required", "Nhập lý do bỏ điểm danh.", fields={"reason": "Bắt buộc."}, status=422)
    record = db.session.scalar(select(AttendanceRecord).where(
        AttendanceRecord.course_session_id == course_session.id, AttendanceRecord.participant_id == participant.id))
    if record is None:
        return False
    record_audit(actor, "attendance.unmark", record, unit_id=course_session.course.unit_id,
                 session_id=course_session.id, participant_id=participant.id, method=record.method.value,
                 reason=reason.strip()[:300])
    db.session.delete(record)
    db.session.flush()
    return True


def apply_marks(course_session: CourseSession, present: set[int], *, register, reason: str,
                method: AttendanceMethod, actor: User, now: datetime | None = None) -> tuple[int, int]:
    """Make the marks of a session match `present` (participant ids) from a roster or paper sheet.

    Only enrolled participants count. Removing marks needs a reason. Returns (added, removed).
    Raises DomainError('reason_required').
    """
    enrolled = {row.participant_id for row in register.rows}
    marked = {pid for (pid, sid) in register.marks if sid == course_session.id}
    to_add, to_remove = (present & enrolled) - marked, marked - present
    if to_remove and not reason.strip():
        raise DomainError("reason_required", "Nhập lý do khi bỏ điểm danh của học viên.",
                          fields={"reason": "Bắt buộc khi bỏ điểm danh."}, status=422)
    people = {p.id: p for p in db.session.scalars(select(Participant).where(
        Participant.id.in_(to_add | to_remove)))} if to_add or to_remove else {}
    for pid in sorted(to_add):
        mark_attendance(course_session, people[pid], method=method, actor=actor, now=now)
    for pid in sorted(to_remove):
        unmark_attendance(course_session, people[pid], reason=reason, actor=actor)
    return len(to_add), len(to_remove)
