"""What the programme spent per unit and year: each course's settlement (trainee support by attendance,
lecturer fees by sessions taught, the organizer's other lines) summed per child unit of the unit asked for.

Six statements whatever the number of courses: the courses, the attendance days, the sessions taught by tier,
the provinces' rates, the entered lines, the child units."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select

from trainer.accounts.models import User
from trainer.attendance.models import AttendanceRecord
from trainer.core.clock import local_zone
from trainer.core.permissions import Need, scoped
from trainer.courses.models import Course, CourseStatus
from trainer.extensions import db
from trainer.finance.models import CourseBudgetLine, Lecturer, ProvinceRate, session_lecturers
from trainer.schedule.models import CourseSession
from trainer.units.models import Unit


@dataclass
class SpendingRow:
    """One child unit's (or the unit's own) courses and what they cost, in whole đồng."""

    unit: Unit
    courses: int = 0
    trainees: int = 0
    lecturers: int = 0
    other: int = 0
    without_rates: int = 0  # courses of a province that entered no rates for their dates

    @property
    def total(self) -> int:
        """Everything spent."""
        return self.trainees + self.lecturers + self.other


@dataclass
class Spending:
    """The rows, and their sum."""

    unit: Unit
    year: int
    rows: list[SpendingRow] = field(default_factory=list)

    @property
    def total(self) -> SpendingRow:
        """All rows summed (its `unit` is the unit asked for)."""
        total = SpendingRow(self.unit)
        for row in self.rows:
            total.courses += row.courses
            total.trainees += row.trainees
            total.lecturers += row.lecturers
            total.other += row.other
            total.without_rates += row.without_rates
        return total


def _province_path(path: str) -> str:
    """"2024/24/" from "2024/24/216/07306/"."""
    return "/".join(path.split("/")[:2]) + "/"


def spending(user: User, unit: Unit, year: int) -> Spending:
    """The settlement of the courses started in `year` below `unit` (not cancelled), per child unit."""
    courses_stmt = scoped(select(Course.id, Course.start_date, Unit.path).join(Unit, Unit.id == Course.unit_id)
                          .where(Unit.path.startswith(unit.path, autoescape=True),
                                 Course.start_date >= date(year, 1, 1), Course.start_date <= date(year, 12, 31),
                                 Course.status != CourseStatus.CANCELLED), Course.unit_id, Need.VIEW, user)
    courses = db.session.execute(courses_stmt).all()
    ids = courses_stmt.with_only_columns(Course.id).scalar_subquery()
    zone = local_zone()
    days: dict[int, set[tuple[int, date]]] = defaultdict(set)
    for course_id, participant_id, starts_at in db.session.execute(
            select(CourseSession.course_id, AttendanceRecord.participant_id, CourseSession.starts_at)
            .join(AttendanceRecord, AttendanceRecord.course_session_id == CourseSession.id)
            .where(CourseSession.course_id.in_(ids), AttendanceRecord.excused.is_(False))):
        days[course_id].add((participant_id, starts_at.astimezone(zone).date()))
    taught: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for course_id, tier, count in db.session.execute(
            select(CourseSession.course_id, Lecturer.tier, func.count())
            .join(session_lecturers, session_lecturers.c.course_session_id == CourseSession.id)
            .join(Lecturer, Lecturer.id == session_lecturers.c.lecturer_id)
            .where(CourseSession.course_id.in_(ids)).group_by(CourseSession.course_id, Lecturer.tier)):
        taught[course_id].append((tier, count))
    rates: dict[str, list[ProvinceRate]] = defaultdict(list)
    for rate, path in db.session.execute(select(ProvinceRate, Unit.path).join(Unit, Unit.id == ProvinceRate.unit_id)
                                         .where(Unit.path == _province_path(unit.path) if unit.parent_id else
                                                Unit.path.startswith(unit.path, autoescape=True))
                                         .order_by(ProvinceRate.valid_from.desc())):
        rates[path].append(rate)
    other = dict(db.session.execute(select(CourseBudgetLine.course_id, func.sum(CourseBudgetLine.actual))
                                    .where(CourseBudgetLine.course_id.in_(ids))
                                    .group_by(CourseBudgetLine.course_id)).all())
    children = list(db.session.scalars(select(Unit).where(Unit.parent_id == unit.id).order_by(Unit.code)))
    rows = {child.path: SpendingRow(child) for child in children}
    own = SpendingRow(unit)
    depth = len(unit.path.split("/"))
    for course_id, start_date, path in courses:
        row = rows.get("/".join(path.split("/")[:depth]) + "/", own)
        row.courses += 1
        row.other += int(other.get(course_id) or 0)
        rate = next((r for r in rates.get(_province_path(path), []) if r.valid_from <= start_date), None)
        if rate is None:
            row.without_rates += 1
            continue
        row.trainees += len(days.get(course_id, ())) * rate.trainee_support_per_day
        row.lecturers += sum(count * rate.fee_for(tier) for tier, count in taught.get(course_id, ()))
    result = Spending(unit, year, [own] if own.courses else [])
    result.rows += [row for row in rows.values() if row.courses]
    return result
