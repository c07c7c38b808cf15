"""Read-only queries of attendance."""

from __future__ import annotations

from sqlalchemy import func, select

from trainer.attendance.models import AttendanceRecord, CheckinAttempt
from trainer.courses.models import Enrolment, EnrolmentStatus
from trainer.extensions import db
from trainer.participants.models import Participant
from trainer.schedule.models import CourseSession


def list_session_attendees(course_session: CourseSession, limit: int = 200) -> list[tuple]:
    """(full name, checked-in time, late, method) of who is present, latest first."""
    return db.session.execute(
        select(Participant.full_name, AttendanceRecord.checked_in_at, AttendanceRecord.is_late,
               AttendanceRecord.method)
        .join(Participant, Participant.id == AttendanceRecord.participant_id)
        .where(AttendanceRecord.course_session_id == course_session.id)
        .order_by(AttendanceRecord.checked_in_at.desc(), AttendanceRecord.id.desc()).limit(limit)).all()


def count_session(course_session: CourseSession) -> tuple[int, int]:
    """(present, enrolled) for a session, in one statement."""
    present = (select(func.count(AttendanceRecord.id))
               .where(AttendanceRecord.course_session_id == course_session.id).scalar_subquery())
    enrolled = (select(func.count(Enrolment.id))
                .where(Enrolment.course_id == course_session.course_id,
                       Enrolment.status == EnrolmentStatus.ENROLLED).scalar_subquery())
    return tuple(db.session.execute(select(present, enrolled)).one())  # type: ignore[return-value]


def list_refused_attempts(course_session: CourseSession, limit: int = 200) -> list[CheckinAttempt]:
    """Refused check-ins of a session, latest first, for the organizer to review."""
    return list(db.session.scalars(select(CheckinAttempt).where(CheckinAttempt.course_session_id == course_session.id)
                                   .order_by(CheckinAttempt.attempted_at.desc()).limit(limit)))
