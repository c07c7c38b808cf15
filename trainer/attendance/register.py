"""The attendance register of a course: who attended which session, hours, ratio, completion.

Three statements whatever the course's size: its sessions, its enrolled people with their attended
hours (stored, trainer.attendance.hours) and whether they completed it (the SQL rule of
trainer.attendance.completion), and the marks with their shared-device flags.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import literal, select

from trainer.attendance.completion import completion_requirements, completion_threshold, is_completed
from trainer.attendance.models import AttendanceMark, AttendanceRecord, mark_of
from trainer.attendance.queries import needs_confirmation
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
    """A course's sessions, rows and marks ({(participant_id, session_id): present | late | excused})."""

    course: Course
    sessions: list[CourseSession]
    scheduled_hours: Decimal
    threshold: Decimal
    rows: list[RegisterRow] = field(default_factory=list)
    marks: dict[tuple[int, int], AttendanceMark] = field(default_factory=dict)
    # (participant_id, session_id) of marks made from a device or client that also checked in somebody else
    # in that session, not yet confirmed by an organizer (trainer.attendance.queries.needs_confirmation).
    flagged: set[tuple[int, int]] = field(default_factory=set)


def get_register(course: Course) -> Register:
    """The register of `course` in three statements (sessions, rows with completion, marks)."""
    sessions = list(db.session.scalars(select(CourseSession).where(CourseSession.course_id == course.id)
                                       .order_by(CourseSession.starts_at, CourseSession.id)))
    scheduled = sum((Decimal(s.hours) for s in sessions), Decimal(0))
    register = Register(course, sessions, scheduled, completion_threshold(course))
    course_sessions = select(CourseSession.id).where(CourseSession.course_id == course.id)
    if sessions:
        for pid, sid, late, excused, flagged in db.session.execute(
                select(AttendanceRecord.participant_id, AttendanceRecord.course_session_id, AttendanceRecord.is_late,
                       AttendanceRecord.excused, needs_confirmation())
                .where(AttendanceRecord.course_session_id.in_(course_sessions))):
            register.marks[(pid, sid)] = mark_of(late, excused)
            if flagged:
                register.flagged.add((pid, sid))
    attended = Counter(pid for (pid, _sid), mark in register.marks.items() if mark is not AttendanceMark.EXCUSED)
    requirements = completion_requirements(select(literal(course.id)), "required")
    stmt = (select(Participant.id, Participant.code, Participant.full_name, Unit.name, Enrolment.attended_hours,
                   is_completed(Enrolment.attended_hours, requirements.c.required))
            .select_from(Enrolment)
            .join(Participant, Participant.id == Enrolment.participant_id)
            .join(Unit, Unit.id == Participant.unit_id)
            .outerjoin(requirements, requirements.c.course_id == Enrolment.course_id)
            .where(Enrolment.course_id == course.id, Enrolment.status == EnrolmentStatus.ENROLLED)
            .order_by(Participant.name_search, Participant.id))
    for pid, code, name, unit_name, hours, completed in db.session.execute(stmt):
        hours = Decimal(str(hours)).quantize(Decimal("0.01"))
        ratio = float(hours / scheduled) if scheduled else 0.0
        register.rows.append(RegisterRow(pid, code, name, unit_name, attended[pid], hours, round(ratio, 4),
                                         bool(completed)))
    return register
