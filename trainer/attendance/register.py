"""The attendance register of a course: who attended which session, hours, ratio, completion.

Computed in SQL (one aggregate for the rows, one for the marks), whatever the course's size.
Completion: attended hours cover at least the course's required share of its scheduled hours
(the course's threshold, else its curriculum's; 80% by default).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import and_, func, select

from trainer.attendance.models import AttendanceRecord
from trainer.courses.models import Course, Enrolment, EnrolmentStatus
from trainer.extensions import db
from trainer.participants.models import Participant
from trainer.schedule.models import CourseSession
from trainer.units.models import Unit


@dataclass(frozen=True)
class RegisterRow:
    """One enrolled participant's attendance in a course."""

    participant_id: int
    code: str
    full_name: str
    unit_name: str
    sessions_attended: int
    hours_attended: Decimal
    attendance_ratio: float
    completed: bool


@dataclass
class Register:
    """A course's sessions, rows and marks ({(participant_id, session_id): is_late})."""

    course: Course
    sessions: list[CourseSession]
    scheduled_hours: Decimal
    threshold: Decimal
    rows: list[RegisterRow] = field(default_factory=list)
    marks: dict[tuple[int, int], bool] = field(default_factory=dict)


def completion_threshold(course: Course) -> Decimal:
    """The share of scheduled hours a participant must attend to complete `course`."""
    if course.completion_threshold is not None:
        return Decimal(course.completion_threshold)
    return Decimal(course.curriculum.completion_threshold)


def is_completed(hours_attended: Decimal, scheduled_hours: Decimal, threshold: Decimal) -> bool:
    """The completion rule: a course with no scheduled hours is completed by nobody."""
    return scheduled_hours > 0 and Decimal(hours_attended) >= threshold * Decimal(scheduled_hours)


def get_register(course: Course) -> Register:
    """The register of `course` in three statements (sessions, aggregated rows, marks)."""
    sessions = list(db.session.scalars(select(CourseSession).where(CourseSession.course_id == course.id)
                                       .order_by(CourseSession.starts_at, CourseSession.id)))
    scheduled = sum((Decimal(s.hours) for s in sessions), Decimal(0))
    threshold = completion_threshold(course)
    course_sessions = select(CourseSession.id).where(CourseSession.course_id == course.id)
    stmt = (select(Participant.id, Participant.code, Participant.full_name, Unit.name,
                   func.count(AttendanceRecord.id), func.coalesce(func.sum(CourseSession.hours), 0))
            .select_from(Enrolment)
            .join(Participant, Participant.id == Enrolment.participant_id)
            .join(Unit, Unit.id == Participant.unit_id)
            .outerjoin(AttendanceRecord, and_(AttendanceRecord.participant_id == Participant.id,
                                              AttendanceRecord.course_session_id.in_(course_sessions)))
            .outerjoin(CourseSession, CourseSession.id == AttendanceRecord.course_session_id)
            .where(Enrolment.course_id == course.id, Enrolment.status == EnrolmentStatus.ENROLLED)
            .group_by(Participant.id, Participant.code, Participant.full_name, Unit.name, Participant.name_search)
            .order_by(Participant.name_search, Participant.id))
    register = Register(course, sessions, scheduled, threshold)
    for pid, code, name, unit_name, attended, hours in db.session.execute(stmt):
        hours = Decimal(str(hours)).quantize(Decimal("0.01"))
        ratio = float(hours / scheduled) if scheduled else 0.0
        register.rows.append(RegisterRow(pid, code, name, unit_name, attended, hours, round(ratio, 4),
                                         is_completed(hours, scheduled, threshold)))
    if sessions:
        register.marks = {(pid, sid): late for pid, sid, late in db.session.execute(
            select(AttendanceRecord.participant_id, AttendanceRecord.course_session_id, AttendanceRecord.is_late)
            .where(AttendanceRecord.course_session_id.in_(course_sessions)))}
    return register
