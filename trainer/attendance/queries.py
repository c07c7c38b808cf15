"""Read-only queries of attendance."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, case, exists, false, func, or_, select, true

from trainer.attendance.models import AttendanceRecord, CheckinAttempt
from trainer.courses.models import Enrolment, EnrolmentStatus
from trainer.extensions import db
from trainer.participants.models import Participant
from trainer.schedule.models import CourseSession


def needs_confirmation() -> ColumnElement[bool]:
    """SQL, per attendance record: made from a device or client (a keyed hash of address and browser) that also
    checked in somebody else in the same session, and not yet confirmed by an organizer. A window function over
    the session's records, so it costs no statement of its own."""
    record = AttendanceRecord
    same_device = func.count().over(partition_by=(record.course_session_id, record.device_id))
    same_client = func.count().over(partition_by=(record.course_session_id, record.client_fingerprint))
    shared = or_(and_(record.device_id.is_not(None), same_device > 1),
                 and_(record.client_fingerprint.is_not(None), same_client > 1))
    return case((and_(record.confirmed_by_id.is_(None), shared), true()), else_=false())


def list_session_attendees(course_session: CourseSession, limit: int = 200) -> list[tuple]:
    """(full name, checked-in time, late, method, needs confirmation) of who is present (not excused), latest
    first."""
    flags = (select(AttendanceRecord.id, needs_confirmation().label("flagged"))
             .where(AttendanceRecord.course_session_id == course_session.id).subquery())
    return db.session.execute(
        select(Participant.full_name, AttendanceRecord.checked_in_at, AttendanceRecord.is_late,
               AttendanceRecord.method, flags.c.flagged)
        .join(Participant, Participant.id == AttendanceRecord.participant_id)
        .join(flags, flags.c.id == AttendanceRecord.id)
        .where(AttendanceRecord.course_session_id == course_session.id, AttendanceRecord.excused.is_(False))
        .order_by(AttendanceRecord.checked_in_at.desc(), AttendanceRecord.id.desc()).limit(limit)).all()


def list_session_marks(course_session: CourseSession) -> list[tuple]:
    """(participant id, full name, checked-in time, late, excused, method) of every mark of a session, in
    the order of names: one statement."""
    return db.session.execute(
        select(Participant.id, Participant.full_name, AttendanceRecord.checked_in_at, AttendanceRecord.is_late,
               AttendanceRecord.excused, AttendanceRecord.method)
        .join(Participant, Participant.id == AttendanceRecord.participant_id)
        .where(AttendanceRecord.course_session_id == course_session.id)
        .order_by(Participant.name_search, Participant.id)).all()


def count_session(course_session: CourseSession) -> tuple[int, int, int, str]:
    """(present, enrolled, flagged, version) for a session, in one statement. `flagged` counts the records
    that need the organizer's confirmation (`needs_confirmation`); `version` changes whenever what the
    projector lists changes (a record added, removed, confirmed or given another mark; an enrolment), so that
    an unchanged poll can answer 304 without listing anybody. Excused absences are not present."""
    records = AttendanceRecord.course_session_id == course_session.id
    present = (select(func.count(AttendanceRecord.id)).where(records, AttendanceRecord.excused.is_(False))
               .scalar_subquery())
    late = select(func.count(AttendanceRecord.id)).where(records, AttendanceRecord.is_late).scalar_subquery()
    excused = select(func.count(AttendanceRecord.id)).where(records, AttendanceRecord.excused).scalar_subquery()
    newest = select(func.coalesce(func.max(AttendanceRecord.id), 0)).where(records).scalar_subquery()
    confirmed = select(func.count(AttendanceRecord.confirmed_by_id)).where(records).scalar_subquery()
    enrolled = (select(func.count(Enrolment.id))
                .where(Enrolment.course_id == course_session.course_id,
                       Enrolment.status == EnrolmentStatus.ENROLLED).scalar_subquery())
    flags = select(needs_confirmation().label("flagged")).where(records).subquery()
    flagged = select(func.count()).select_from(flags).where(flags.c.flagged).scalar_subquery()
    row = db.session.execute(select(present, enrolled, newest, confirmed, flagged, late, excused)).one()
    return row[0], row[1], row[4], ".".join(str(value) for value in (row[0], row[1], row[2], row[3], row[5], row[6]))


@dataclass(frozen=True)
class RefusedAttempt:
    """A refused check-in as the organizer reviews it: who it was, if the number or code named somebody, and
    what can still be done for them (enrol them, mark them present)."""

    attempt: CheckinAttempt
    participant: Participant | None
    enrolled: bool
    present: bool


def list_refused_attempts(course_session: CourseSession, limit: int = 200) -> list[RefusedAttempt]:
    """Refused check-ins of a session, latest first, with the person each named: two statements."""
    enrolled = exists().where(Enrolment.participant_id == Participant.id,
                              Enrolment.course_id == course_session.course_id,
                              Enrolment.status == EnrolmentStatus.ENROLLED)
    present = exists().where(AttendanceRecord.participant_id == Participant.id,
                             AttendanceRecord.course_session_id == course_session.id,
                             AttendanceRecord.excused.is_(False))
    attempts = list(db.session.scalars(select(CheckinAttempt).where(
        CheckinAttempt.course_session_id == course_session.id)
        .order_by(CheckinAttempt.attempted_at.desc(), CheckinAttempt.id.desc()).limit(limit)))
    ids = {a.participant_id for a in attempts if a.participant_id is not None}
    people = {row[0].id: row for row in db.session.execute(
        select(Participant, enrolled, present).where(Participant.id.in_(ids)))} if ids else {}
    rows = []
    for attempt in attempts:
        person, is_enrolled, is_present = people.get(attempt.participant_id, (None, False, False))
        rows.append(RefusedAttempt(attempt, person, bool(is_enrolled), bool(is_present)))
    return rows
