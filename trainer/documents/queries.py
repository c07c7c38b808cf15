"""Read-only loading of what a course's documents print, in a fixed number of queries."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from trainer.attendance.register import get_register
from trainer.core.templating import vn_datetime
from trainer.courses.issuer import course_letterhead
from trainer.courses.models import Course, Enrolment, EnrolmentStatus
from trainer.documents.badges import BadgeCard, BadgesData
from trainer.documents.layout import CourseInfo
from trainer.documents.roster import RosterData, RosterRow
from trainer.documents.sheets import SheetData, SheetRow, SheetSession
from trainer.extensions import db
from trainer.participants.models import Participant


def course_info(course: Course) -> CourseInfo:
    """What the documents say about `course` (one query for its curriculum)."""
    return CourseInfo(title=course.title, curriculum_code=course.curriculum.code,
                      curriculum_title=course.curriculum.title, start_date=course.start_date,
                      end_date=course.end_date, venue=course.venue, unit_name=course.unit_name)


def list_enrolled(course: Course) -> list[Participant]:
    """The course's enrolled (not withdrawn) participants with their communes, in one query."""
    stmt = (select(Participant).join(Enrolment, Enrolment.participant_id == Participant.id)
            .where(Enrolment.course_id == course.id, Enrolment.status == EnrolmentStatus.ENROLLED)
            .options(joinedload(Participant.unit)))
    return list(db.session.scalars(stmt))


def count_enrolled(course: Course) -> int:
    """How many participants are enrolled (not withdrawn) in `course`."""
    return db.session.scalar(select(func.count()).select_from(Enrolment).where(
        Enrolment.course_id == course.id, Enrolment.status == EnrolmentStatus.ENROLLED)) or 0


def roster_data(course: Course, *, on: date) -> RosterData:
    """The roster of `course` as of the day `on` (the place-and-date line)."""
    rows = tuple(RosterRow(code=p.code, full_name=p.full_name, gender=str(p.gender),
                           birth_year=p.birth_date.year if p.birth_date else None, commune=p.unit.name,
                           position=p.position or "", target_group=str(p.target_group), phone=p.phone or "",
                           email=p.email or "")
                 for p in list_enrolled(course))
    return RosterData(letterhead=course_letterhead(course), course=course_info(course),
                      rows=rows, issued_on=on)


def badges_data(course: Course) -> BadgesData:
    """The badges of the enrolled participants of `course`."""
    cards = tuple(BadgeCard(code=p.code, full_name=p.full_name, commune=p.unit.name, position=p.position or "")
                  for p in list_enrolled(course))
    return BadgesData(course=course_info(course), cards=cards)


def sheet_data(course: Course, *, on: date) -> SheetData:
    """The register of `course` shaped for the paper sign-in sheet and the register workbook, dated `on`."""
    register = get_register(course)
    sessions = tuple(SheetSession(s.id, f"{vn_datetime(s.starts_at)[6:11]} {s.title or vn_datetime(s.starts_at)[:5]}",
                                  float(s.hours)) for s in register.sessions)
    marks: dict[int, dict[int, str]] = {}
    for (participant_id, session_id), mark in register.marks.items():
        marks.setdefault(participant_id, {})[session_id] = mark.value
    rows = tuple(SheetRow(r.full_name, r.unit_name, marks.get(r.participant_id, {}), float(r.hours_attended),
                          r.attendance_ratio, r.completed) for r in register.rows)
    return SheetData(course=course_info(course), letterhead=course_letterhead(course), sessions=sessions,
                     rows=rows, issued_on=on, scheduled_hours=float(register.scheduled_hours),
                     threshold=float(register.threshold))
