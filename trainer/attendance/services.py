"""Use-cases of attendance: the one check-in, marks by organizers, refused attempts.

Everyone marked present is marked by `check_in`: the trainee's page (`/c/<token>`, a phone number or the
phone remembered from an earlier session), the typed code (which leads to that page), the API
(`POST /api/v1/checkin`), the organizer's badge scanner and marks by hand (page and API). It reads the
session's rules as they are now (no cache: a cancelled course, a moved session or revoked codes refuse at
once in every worker), finds the person, their enrolment and their record in one statement, and writes
the record with one INSERT … ON CONFLICT DO NOTHING RETURNING, on the request's own session; the caller
commits. The unique key (session, participant) settles two taps that arrive at once.

Anonymous check-ins (the page, the API) are refused before any look-up when their client has failed too
often (trainer.core.throttle), so that nobody can test phone numbers for names; every refusal is stored as
a CheckinAttempt for the organizer and tells the caller nothing about another course or person. A record
keeps a keyed hash of its client (address and browser), so that several people checked in from one
device or client show on the register and projector for the organizer to confirm.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import and_, bindparam, delete, exists, false, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import aliased

from trainer.accounts.models import User
from trainer.attendance.models import AttendanceMark, AttendanceMethod, AttendanceRecord, CheckinAttempt, mark_of
from trainer.attendance.tokens import INVALID, TokenError, parse_token, verify_token
from trainer.audit.services import record_audit
from trainer.core import throttle
from trainer.core.clock import local_zone
from trainer.core.errors import DomainError
from trainer.core.text import N_
from trainer.courses.models import Course, CourseStatus, Enrolment, EnrolmentStatus
from trainer.cycle.locks import ensure_period_open
from trainer.extensions import db
from trainer.participants.fields import normalise_phone
from trainer.participants.models import Participant
from trainer.schedule.models import CourseSession

# Failed look-ups of anonymous check-ins (a phone or personal code that is not in the class), per client
# network: generous, since a commune hall shares one address and a few people mistype their number.
CHECKIN_LIMITS = (throttle.Limit(20, timedelta(minutes=10)), throttle.Limit(60, timedelta(hours=6)))
CHECKIN_SCOPE = "checkin.client"
# Wrong typed codes, per client network: a hall types few codes (most phones scan), a guesser types many.
# With 8 digits and 2 windows accepted, 1,000 open sessions leave 2,000 live codes in 10^8: 50,000 guesses
# on average, at most 10 an hour and 60 a day per network: over two years (README, "Check-in codes").
CODE_LIMITS = (throttle.Limit(10, timedelta(hours=1)), throttle.Limit(60, timedelta(hours=24)))
CODE_SCOPE = "checkin.code"
ATTEMPTS_KEEP = timedelta(days=30)  # refused attempts (with the number typed) kept for the organizer

# The Vietnamese sentences (the API's messages, and the msgids the pages translate): %(name)s are `params`.
MESSAGES = {
    "checked_in": N_("Điểm danh thành công."),
    "already_checked_in": N_("Bạn đã điểm danh buổi này rồi."),
    "not_enrolled": N_("Số điện thoại này không có trong danh sách học viên của lớp. Hãy kiểm tra lại số đã đăng "
                       "ký, xem có đúng mã của lớp mình không, hoặc báo cán bộ tổ chức lớp."),
    "too_early": N_("Chưa đến giờ điểm danh. Buổi học bắt đầu lúc %(start)s; điểm danh mở từ %(opens)s."),
    "too_late": N_("Đã hết giờ điểm danh của buổi học này (kết thúc lúc %(end)s)."),
    "course_cancelled": N_("Lớp học này đã bị hủy."),
    "device_used": N_("Điện thoại này đã điểm danh cho một học viên khác trong buổi này. Mỗi người điểm danh bằng "
                      "điện thoại của mình."),
    "phone_required": N_("Nhập số điện thoại bạn đã đăng ký."),
}
STATUS = {"not_enrolled": 404, "too_early": 409, "too_late": 409, "course_cancelled": 409, "device_used": 409,
          "phone_required": 422}


class CheckinRefused(DomainError):
    """A refused check-in. `code` is the API code; `reason` the finer result shown to people.

    Outside the window the API code is `checkin_closed` (the contract's) and `reason` says whether it is
    too early or too late.
    """

    def __init__(self, reason: str, **params: str) -> None:
        code = "checkin_closed" if reason in ("too_early", "too_late", "course_cancelled") else reason
        super().__init__(code, MESSAGES[reason] % params if params else MESSAGES[reason], status=STATUS[reason])
        self.reason = reason
        self.params = params  # for a page that says it in another language: gettext(MESSAGES[reason], **params)


@dataclass(frozen=True)
class Who:
    """Whom a check-in is for: a phone number or personal code typed or scanned, or a known participant id
    (a phone remembered by its cookie, an organizer's choice)."""

    phone: str | None = None
    participant_code: str | None = None
    participant_id: int | None = None


@dataclass(frozen=True)
class Client:
    """Where an anonymous check-in comes from: keyed hashes of its network (`network`, for the failure
    limit) and of its address and browser (`fingerprint`, for the shared-device flag), and the random id
    of its remembered device (the page's cookie; None on the API)."""

    network: str
    fingerprint: str
    device_id: str | None = None

    @classmethod
    def of(cls, remote_addr: str | None, user_agent: str | None, device_id: str | None = None) -> Client:
        """The client of a request (its address and User-Agent), never stored as such."""
        return cls(throttle.client_key(remote_addr),
                   throttle.keyed_hash("device", f"{remote_addr or ''}\x00{user_agent or ''}")[:32], device_id)


@dataclass(frozen=True)
class CheckinResult:
    """What a check-in did: the person and their record of the session."""

    status: str  # checked_in | already_checked_in
    participant_id: int
    full_name: str
    checked_in_at: datetime
    is_late: bool
    session_id: int
    session_title: str | None
    mark: AttendanceMark = AttendanceMark.PRESENT

    @property
    def message(self) -> str:
        """The Vietnamese sentence for the trainee."""
        return MESSAGES[self.status]


@dataclass(frozen=True)
class CheckinCourse:
    """What a check-in needs of a course (the names of Course's columns)."""

    id: int
    title: str
    venue: str | None
    status: CourseStatus
    end_date: date
    unit_id: int
    curriculum_id: int
    checkin_opens_minutes: int
    late_after_minutes: int


@dataclass(frozen=True)
class CheckinSession:
    """A session with its course's check-in rules, read by one prebuilt statement (`open_session`): the
    trainee's requests load no ORM object. Attribute names are CourseSession's, so that the rules below and
    the pages take either."""

    id: int
    title: str | None
    venue: str | None
    starts_at: datetime
    ends_at: datetime
    checkin_secret: str
    checkin_version: int
    course_id: int
    course: CheckinCourse


@cache
def _session_stmt() -> Any:
    """The session with its course's rules, by id (built once, at first use: the mappers are ready then)."""
    return (select(CourseSession.id, CourseSession.title, CourseSession.venue, CourseSession.starts_at,
                   CourseSession.ends_at, CourseSession.checkin_secret, CourseSession.checkin_version,
                   Course.id, Course.title, Course.venue, Course.status, Course.end_date, Course.unit_id,
                   Course.curriculum_id, Course.checkin_opens_minutes, Course.late_after_minutes)
            .join(Course, Course.id == CourseSession.course_id)
            .where(CourseSession.id == bindparam("session_id")))


def checkin_window(course_session: CourseSession | CheckinSession) -> tuple[datetime, datetime]:
    """When check-in opens (the course's `checkin_opens_minutes` before the start) and closes (the end)."""
    opens = course_session.starts_at - timedelta(minutes=course_session.course.checkin_opens_minutes)
    return opens, course_session.ends_at


def is_late(course_session: CourseSession | CheckinSession, now: datetime) -> bool:
    """Arriving after the start plus the course's `late_after_minutes` counts as late."""
    return now > course_session.starts_at + timedelta(minutes=course_session.course.late_after_minutes)


def _local(value: datetime) -> str:
    return f"{value.astimezone(local_zone()):%H:%M %d/%m/%Y}"


def closed_reason(course_session: CourseSession | CheckinSession, now: datetime) -> CheckinRefused | None:
    """Why the session takes no check-in of a trainee's own now (its course cancelled, too early, too late),
    or None when it does. Organizers' marks are refused only for a cancelled course."""
    if course_session.course.status is CourseStatus.CANCELLED:
        return CheckinRefused("course_cancelled")
    opens, closes = checkin_window(course_session)
    if now < opens:
        return CheckinRefused("too_early", start=_local(course_session.starts_at), opens=_local(opens))
    if now > closes:
        return CheckinRefused("too_late", end=_local(closes))
    return None


def open_session(token: str, now: datetime, *, allow_expired: bool = False) -> CheckinSession:
    """The session a QR token names, with its course's rules, after checking the token's signature and age.

    Raises TokenError('token_invalid' | 'token_expired'); with `allow_expired` (a grace ticket vouches for
    an earlier valid scan) an expired but genuine token is accepted. One statement, read as it is now.
    """
    session_id = parse_token(token)[0]
    row = db.session.connection().execute(_session_stmt(), {"session_id": session_id}).first()
    if row is None:
        raise TokenError("token_invalid", INVALID, status=400)
    course_session = CheckinSession(*row[:7], row[7], CheckinCourse(*row[7:]))
    try:
        verify_token(token, course_session.checkin_secret, course_session.checkin_version, now)
    except TokenError as exc:
        if not (allow_expired and exc.code == "token_expired"):
            raise
    return course_session


def _person_key(who: Who) -> tuple[str, Any] | None:
    """How `who` is named (by "id", "code" or "phone") and the value; None when what was typed cannot name
    anybody (a malformed phone number)."""
    if who.participant_id is not None:
        return "id", who.participant_id
    if who.participant_code:
        return "code", who.participant_code.strip().upper()
    try:
        return "phone", normalise_phone(who.phone or "")
    except DomainError:
        return None


@cache
def _find_stmt(kind: str, with_device: bool) -> Any:
    """The person, whether they hold a place in the course, their record of the session, and whether the
    device already checked in somebody else there: one statement per way of naming the person, built once
    (SQLAlchemy then only looks up its compiled form: constructing it cost more than running it)."""
    mine = aliased(AttendanceRecord)
    column = {"id": Participant.id, "code": Participant.code, "phone": Participant.phone}[kind]
    enrolled = exists().where(Enrolment.participant_id == Participant.id,
                              Enrolment.course_id == bindparam("course_id"),
                              Enrolment.status == EnrolmentStatus.ENROLLED)
    device_used = (exists().where(AttendanceRecord.course_session_id == bindparam("session_id"),
                                  AttendanceRecord.device_id == bindparam("device_id"),
                                  AttendanceRecord.participant_id != Participant.id)
                   if with_device else false())
    return (select(Participant.id, Participant.full_name, enrolled.label("enrolled"), mine.id.label("record_id"),
                   mine.checked_in_at, mine.is_late, mine.excused, device_used.label("device_used"))
            .outerjoin(mine, and_(mine.participant_id == Participant.id,
                                  mine.course_session_id == bindparam("session_id")))
            .where(column == bindparam("key")))


@cache
def _insert_stmt(dialect_name: str) -> Any:
    """INSERT … ON CONFLICT (session, participant) DO NOTHING RETURNING id, in the dialect's words."""
    dialect = postgresql if dialect_name == "postgresql" else sqlite
    return (dialect.insert(AttendanceRecord).on_conflict_do_nothing(index_elements=["course_session_id",
                                                                                    "participant_id"])
            .returning(AttendanceRecord.id))


@cache
def _existing_stmt() -> Any:
    """When a person's record of a session was made, and whether late."""
    return (select(AttendanceRecord.checked_in_at, AttendanceRecord.is_late, AttendanceRecord.excused)
            .where(AttendanceRecord.course_session_id == bindparam("session_id"),
                   AttendanceRecord.participant_id == bindparam("participant_id")))


def _insert_record(values: dict[str, Any]) -> int | None:
    """The new record's id; None when the record exists (the unique key settles two taps at once)."""
    connection = db.session.connection()
    return connection.execute(_insert_stmt(connection.dialect.name), values).scalar()


def check_in(course_session: CourseSession | CheckinSession, who: Who, *, method: AttendanceMethod, now: datetime,
             client: Client | None = None, actor: User | None = None,
             mark: AttendanceMark | None = None) -> CheckinResult:
    """Mark someone at `course_session`: the one check-in use case (see the module).

    Anonymous (no `actor`, a `client`): the trainee's own check-in by QR, inside the session's window,
    limited per client, stored as an attempt when refused. An organizer's (`actor`): badge scans and marks
    by hand or from the paper sheet, at any time, with a `mark` (present, late, excused) when they say so.
    Without one, only a QR or badge check-in after the lateness margin is late; a mark by hand or from the
    sheet is present. A repeat returns the first record, except that someone marked excused who then
    checks in is present after all, and an organizer's explicit mark replaces the one recorded.

    Raises CheckinRefused('phone_required' | 'course_cancelled' | 'too_early' | 'too_late' | 'not_enrolled' |
    'device_used') and throttle.TooManyAttempts; the caller commits also then (the attempt, the failure).
    """
    device_id = client.device_id if client else None

    def refuse(reason: str, participant_id: int | None = None, **params: str) -> CheckinRefused:
        refused = CheckinRefused(reason, **params)
        if actor is None:
            store_refusal(reason, course_session_id=course_session.id, who=who, participant_id=participant_id,
                          client=client, now=now)
        return refused

    if not (who.phone or who.participant_code or who.participant_id is not None):
        raise CheckinRefused("phone_required")
    if actor is not None:  # an organizer's mark; a trainee's own check-in is live (cycle.locks)
        ensure_period_open(course_session.course_id)
    closed = closed_reason(course_session, now)
    if closed is not None and (actor is None or closed.reason == "course_cancelled"):
        raise refuse(closed.reason, **closed.params)
    looks_up = actor is None and who.participant_id is None  # a remembered phone looks nobody up
    if looks_up and client is not None:
        until = throttle.locked_until(CHECKIN_SCOPE, client.network, CHECKIN_LIMITS, now=now)
        if until is not None:
            store_refusal("too_many_attempts", course_session_id=course_session.id, who=who, client=client, now=now)
            raise throttle.TooManyAttempts(until, now=now, what=N_("Nhập số không đúng"))
    named = _person_key(who)
    db.session.flush()  # the statements run on the session's connection: what it holds unwritten must be seen
    found = db.session.connection().execute(_find_stmt(named[0], device_id is not None), {
        "key": named[1], "course_id": course_session.course_id, "session_id": course_session.id,
        "device_id": device_id}).first() if named is not None else None
    if found is None or not found.enrolled:
        if looks_up and client is not None:
            throttle.record_failure(CHECKIN_SCOPE, client.network, now=now)
        raise refuse("not_enrolled", found.id if found is not None else None)
    if mark is None:
        late = method in (AttendanceMethod.QR, AttendanceMethod.BADGE) and is_late(course_session, now)
        wanted = AttendanceMark.LATE if late else AttendanceMark.PRESENT
    else:
        wanted = mark
    if found.record_id is not None:
        recorded = mark_of(found.is_late, found.excused)
        if recorded == wanted or (mark is None and recorded is not AttendanceMark.EXCUSED):
            return CheckinResult("already_checked_in", found.id, found.full_name, found.checked_in_at, found.is_late,
                                 course_session.id, course_session.title, recorded)
        # An excused absence who turns up, or an organizer's new mark: the record takes the mark it is given.
        _remark(found.record_id, wanted, method=method, now=now, actor=actor, course_session=course_session,
                participant_id=found.id)
        status = "checked_in" if recorded is AttendanceMark.EXCUSED else "already_checked_in"
        return CheckinResult(status, found.id, found.full_name, now if status == "checked_in" else found.checked_in_at,
                             wanted is AttendanceMark.LATE, course_session.id, course_session.title, wanted)
    if found.device_used:  # counted like a failed look-up: else it would tell which numbers are in the class
        if looks_up and client is not None:
            throttle.record_failure(CHECKIN_SCOPE, client.network, now=now)
        raise refuse("device_used", found.id)
    record_id = _insert_record({
        "course_session_id": course_session.id, "participant_id": found.id, "checked_in_at": now,
        "method": method, "is_late": wanted is AttendanceMark.LATE, "excused": wanted is AttendanceMark.EXCUSED,
        "recorded_by_id": actor.id if actor else None, "device_id": device_id,
        "client_fingerprint": client.fingerprint if client else None})
    if record_id is None:  # the same person's other tap, a moment earlier, holds the record
        checked_in_at, late, excused = db.session.connection().execute(_existing_stmt(), {
            "session_id": course_session.id, "participant_id": found.id}).one()
        return CheckinResult("already_checked_in", found.id, found.full_name, checked_in_at, late,
                             course_session.id, course_session.title, mark_of(late, excused))
    if actor is not None:
        record_audit(actor, "attendance.mark", ref=("AttendanceRecord", record_id),
                     unit_id=course_session.course.unit_id, session_id=course_session.id, participant_id=found.id,
                     method=method.value, mark=wanted.value)
    return CheckinResult("checked_in", found.id, found.full_name, now, wanted is AttendanceMark.LATE,
                         course_session.id, course_session.title, wanted)


def _remark(record_id: int, mark: AttendanceMark, *, method: AttendanceMethod, now: datetime, actor: User | None,
            course_session: CourseSession | CheckinSession, participant_id: int) -> None:
    """Give an existing record another mark (the hours triggers follow `excused`); audited when an organizer
    does it. Someone excused who turns up is recorded as arriving now, by the way they came."""
    values: dict[str, Any] = {"is_late": mark is AttendanceMark.LATE, "excused": mark is AttendanceMark.EXCUSED}
    if mark is not AttendanceMark.EXCUSED:
        values.update(method=method, checked_in_at=now)
    db.session.execute(update(AttendanceRecord).where(AttendanceRecord.id == record_id).values(**values)
                       .execution_options(synchronize_session=False))
    if actor is not None:
        record_audit(actor, "attendance.remark", ref=("AttendanceRecord", record_id),
                     unit_id=course_session.course.unit_id, session_id=course_session.id,
                     participant_id=participant_id, mark=mark.value)


def store_refusal(reason: str, *, course_session_id: int | None, now: datetime, who: Who | None = None,
                  participant_id: int | None = None, client: Client | None = None) -> None:
    """Keep a refused attempt for the organizer (time, session, reason, what was typed) for ATTEMPTS_KEEP;
    older attempts go in the same breath (an index range on their time)."""
    db.session.add(CheckinAttempt(
        course_session_id=course_session_id, attempted_at=now, reason=reason,
        phone_tried=(who.phone or "")[:20] or None if who else None,
        participant_code_tried=(who.participant_code or "")[:20] or None if who else None,
        participant_id=participant_id, client_key=client.network if client else None,
        device_id=client.device_id if client else None))
    db.session.execute(delete(CheckinAttempt).where(CheckinAttempt.attempted_at < now - ATTEMPTS_KEEP)
                       .execution_options(synchronize_session=False))
