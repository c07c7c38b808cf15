"""Finding and deleting the demo rows: courses marked in their description, participants by e-mail domain."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, delete, func, or_, select

from trainer.attendance.models import AttendanceRecord, CheckinAttempt
from trainer.certificates.models import Certificate
from trainer.courses.models import Course, CourseModule, Enrolment
from trainer.demo.generator.money import SAMPLE_SOURCE
from trainer.demo.generator.people import DEMO_EMAIL_DOMAIN
from trainer.demo.generator.plan import DEMO_MARK
from trainer.extensions import db
from trainer.finance.models import Lecturer, ProvinceRate, session_lecturers
from trainer.materials.models import Material
from trainer.participants.models import Participant
from trainer.schedule.models import CourseSession


@dataclass(frozen=True)
class DemoCounts:
    """How many demo courses and participants the database holds."""

    courses: int
    participants: int

    @property
    def any(self) -> bool:
        """True when some demo data is present."""
        return bool(self.courses or self.participants)


def demo_course_ids() -> Select:
    """IDs of the demo courses."""
    return select(Course.id).where(Course.description == DEMO_MARK)


def demo_participant_ids() -> Select:
    """IDs of the demo participants."""
    return select(Participant.id).where(Participant.email.like(f"%@{DEMO_EMAIL_DOMAIN}"))


def count_demo_data() -> DemoCounts:
    """Count the demo courses and participants (two queries)."""
    courses = db.session.scalar(select(func.count()).select_from(demo_course_ids().subquery())) or 0
    people = db.session.scalar(select(func.count()).select_from(demo_participant_ids().subquery())) or 0
    return DemoCounts(courses, people)


def delete_demo_data() -> dict[str, int]:
    """Delete every demo row, children first, in bulk statements; return the rows deleted per table.

    What real users attached to demo rows goes too (an enrolment of a real participant in a demo
    course, a material uploaded to one): it cannot outlive its parent.
    """
    courses, people = demo_course_ids(), demo_participant_ids()
    lecturers = select(Lecturer.id).where(Lecturer.email.like(f"%@{DEMO_EMAIL_DOMAIN}"))
    sessions = select(CourseSession.id).where(CourseSession.course_id.in_(courses))
    # Enrolments before attendance: the attendance triggers (trainer.attendance.hours) then find no
    # enrolment left to recompute, instead of recomputing every one just before deleting it.
    statements = [
        delete(Enrolment).where(or_(Enrolment.course_id.in_(courses), Enrolment.participant_id.in_(people))),
        delete(AttendanceRecord).where(or_(AttendanceRecord.course_session_id.in_(sessions),
                                           AttendanceRecord.participant_id.in_(people))),
        delete(CheckinAttempt).where(or_(CheckinAttempt.course_session_id.in_(sessions),
                                         CheckinAttempt.participant_id.in_(people))),
        delete(Certificate).where(or_(Certificate.course_id.in_(courses), Certificate.participant_id.in_(people))),
        delete(Material).where(Material.course_id.in_(courses)),
        delete(session_lecturers).where(or_(session_lecturers.c.course_session_id.in_(sessions),
                                            session_lecturers.c.lecturer_id.in_(lecturers))),
        delete(Lecturer).where(Lecturer.email.like(f"%@{DEMO_EMAIL_DOMAIN}")),
        delete(ProvinceRate).where(ProvinceRate.source == SAMPLE_SOURCE),
        delete(CourseSession).where(CourseSession.course_id.in_(courses)),
        delete(CourseModule).where(CourseModule.course_id.in_(courses)),
        delete(Course).where(Course.description == DEMO_MARK),
        delete(Participant).where(Participant.email.like(f"%@{DEMO_EMAIL_DOMAIN}")),
    ]
    deleted = {}
    for stmt in statements:
        result = db.session.execute(stmt.execution_options(synchronize_session=False))
        deleted[stmt.table.name] = result.rowcount
    return deleted
