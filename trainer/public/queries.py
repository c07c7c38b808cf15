"""What a trainee's own page (/me) shows: their courses, the sessions they attended, their certificates."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select

from trainer.attendance.completion import completion_requirements, is_completed
from trainer.attendance.models import AttendanceRecord
from trainer.certificates.models import Certificate
from trainer.courses.models import Course, CourseStatus, Enrolment, EnrolmentStatus
from trainer.extensions import db
from trainer.participants.models import Participant
from trainer.schedule.models import CourseSession
from trainer.units.models import Unit


@dataclass
class TraineeCourse:
    """One course of the trainee: its dates, organizer, hours attended, completion, sessions and certificate."""

    id: int
    title: str
    start_date: date
    end_date: date
    organizer: str
    cancelled: bool
    hours_attended: Decimal
    completed: bool
    sessions: list[tuple[datetime, str | None]] = field(default_factory=list)  # (start, title) attended
    certificate: Certificate | None = None


def trainee_courses(participant: Participant) -> list[TraineeCourse]:
    """The courses `participant` is enrolled in (latest first), in three statements whatever their number:
    the enrolments with completion (the SQL rule), the sessions attended, the valid certificates."""
    enrolled = select(Enrolment.course_id).where(Enrolment.participant_id == participant.id,
                                                 Enrolment.status == EnrolmentStatus.ENROLLED)
    requirements = completion_requirements(enrolled, "required")
    rows = db.session.execute(
        select(Course.id, Course.title, Course.start_date, Course.end_date, Unit.name, Course.status,
               Enrolment.attended_hours, is_completed(Enrolment.attended_hours, requirements.c.required))
        .join(Enrolment, Enrolment.course_id == Course.id)
        .join(Unit, Unit.id == Course.unit_id)
        .outerjoin(requirements, requirements.c.course_id == Course.id)
        .where(Enrolment.participant_id == participant.id, Enrolment.status == EnrolmentStatus.ENROLLED)
        .order_by(Course.start_date.desc(), Course.id.desc())).all()
    courses = {row[0]: TraineeCourse(row[0], row[1], row[2], row[3], row[4], row[5] is CourseStatus.CANCELLED,
                                     Decimal(str(row[6])), bool(row[7])) for row in rows}
    if not courses:
        return []
    for course_id, starts_at, title in db.session.execute(
            select(CourseSession.course_id, CourseSession.starts_at, CourseSession.title)
            .join(AttendanceRecord, AttendanceRecord.course_session_id == CourseSession.id)
            .where(AttendanceRecord.participant_id == participant.id, AttendanceRecord.excused.is_(False),
                   CourseSession.course_id.in_(courses))
            .order_by(CourseSession.starts_at)):
        courses[course_id].sessions.append((starts_at, title))
    for certificate in db.session.scalars(select(Certificate).where(
            Certificate.participant_id == participant.id, Certificate.revoked_at.is_(None),
            Certificate.course_id.in_(courses))):
        courses[certificate.course_id].certificate = certificate
    return list(courses.values())
