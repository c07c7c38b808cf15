"""Read-only, scoped queries of courses, their sessions and enrolments."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Numeric, Select, func, select
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from trainer.accounts.models import User
from trainer.core.permissions import Need, scoped
from trainer.core.text import like_pattern
from trainer.courses.models import Course, CourseModule, CourseStatus, Enrolment, EnrolmentStatus
from trainer.curricula.models import Curriculum
from trainer.extensions import db
from trainer.participants.models import Participant
from trainer.schedule.models import CourseSession
from trainer.units.models import Unit, UnitLevel

PARTICIPANT_PICK_LIMIT = 100


def _hours_sum(column: Any) -> Any:
    """The sum of an hours column, 0 when there are no rows, as a Numeric."""
    return func.coalesce(func.sum(column), 0, type_=Numeric(8, 2))


def course_figures() -> dict[str, Any]:
    """Correlated aggregate subqueries of a course row: evaluated in SQL, once per row returned."""
    return {
        "enrolled_count": select(func.count(Enrolment.id)).where(
            Enrolment.course_id == Course.id, Enrolment.status == EnrolmentStatus.ENROLLED)
        .correlate(Course).scalar_subquery(),
        "sessions_count": select(func.count(CourseSession.id)).where(CourseSession.course_id == Course.id)
        .correlate(Course).scalar_subquery(),
        "scheduled_hours": select(_hours_sum(CourseSession.hours)).where(CourseSession.course_id == Course.id)
        .correlate(Course).scalar_subquery(),
        "planned_hours": select(_hours_sum(CourseModule.hours)).where(CourseModule.course_id == Course.id)
        .correlate(Course).scalar_subquery(),
    }


def list_courses(user: User, *, year: int | None = None, unit: Unit | None = None,
                 curriculum_code: str | None = None, status: CourseStatus | None = None) -> Select:
    """Courses `user` may view, newest first, as rows (Course, enrolled_count, sessions_count, scheduled_hours,
    planned_hours), with curriculum and unit loaded in the same statement. `unit` takes its whole subtree."""
    figures = course_figures()
    stmt = (select(Course, *(expr.label(name) for name, expr in figures.items()))
            .options(joinedload(Course.curriculum), joinedload(Course.unit))
            .order_by(Course.start_date.desc(), Course.id.desc()))
    if year is not None:
        stmt = stmt.where(Course.start_date >= date(year, 1, 1), Course.start_date <= date(year, 12, 31))
    if unit is not None:
        stmt = stmt.where(Course.unit_id.in_(select(Unit.id).where(Unit.path.startswith(unit.path, autoescape=True))))
    if curriculum_code:
        stmt = stmt.where(Course.curriculum_id.in_(select(Curriculum.id).where(Curriculum.code == curriculum_code)))
    if status is not None:
        stmt = stmt.where(Course.status == status)
    return scoped(stmt, Course.unit_id, Need.VIEW, user)


def paginate_rows(stmt: Select, page: int, per_page: int) -> tuple[list[Any], int]:
    """One page of `stmt`'s rows and the total count: two statements whatever the number of rows."""
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    rows = db.session.execute(stmt.limit(per_page).offset((page - 1) * per_page)).all()
    return list(rows), total


def get_course_figures(course: Course) -> dict[str, Any]:
    """enrolled_count, sessions_count, scheduled_hours and planned_hours of one course, in one statement."""
    figures = course_figures()
    row = db.session.execute(select(*(expr.label(name) for name, expr in figures.items()))
                             .where(Course.id == course.id)).one()
    values = dict(row._mapping)
    values["scheduled_hours"] = Decimal(values["scheduled_hours"])
    values["planned_hours"] = Decimal(values["planned_hours"])
    return values


def list_sessions(course: Course) -> Select:
    """A course's sessions in time order, with their lecturers (one more statement)."""
    return (select(CourseSession).where(CourseSession.course_id == course.id)
            .options(selectinload(CourseSession.lecturers)).order_by(CourseSession.starts_at, CourseSession.id))


def list_enrolments(course: Course, status: EnrolmentStatus | None = None) -> Select:
    """A course's enrolments with participant and commune loaded, by participant name."""
    stmt = (select(Enrolment).join(Enrolment.participant).where(Enrolment.course_id == course.id)
            .options(contains_eager(Enrolment.participant).joinedload(Participant.unit))
            .order_by(Participant.name_search, Participant.id))
    if status is not None:
        stmt = stmt.where(Enrolment.status == status)
    return stmt


def _enrollable(user: User, course: Course) -> Select[tuple[Participant]]:
    """Participants `user` may view, not anonymised and not enrolled in `course` (the scoping is added last)."""
    enrolled = select(Enrolment.participant_id).where(Enrolment.course_id == course.id,
                                                      Enrolment.status == EnrolmentStatus.ENROLLED)
    return (select(Participant).where(Participant.id.not_in(enrolled), Participant.anonymised_at.is_(None))
            .options(joinedload(Participant.unit)).order_by(Participant.name_search, Participant.id))


def chosen_participants(user: User, course: Course, ids: Collection[int]) -> list[Participant]:
    """The participants of `ids` ticked on the enrol page before the search changed, among those `user` may
    still enrol in `course` (one statement, whatever the number)."""
    if not ids:
        return []
    stmt = _enrollable(user, course).where(Participant.id.in_(set(ids)))
    return list(db.session.scalars(scoped(stmt, Participant.unit_id, Need.VIEW, user)))


def search_participants_to_enrol(user: User, course: Course, q: str = "", limit: int = PARTICIPANT_PICK_LIMIT,
                                 *, exclude: Collection[int] = ()) -> list[Participant]:
    """Participants `user` may view and not enrolled in `course`, matching `q` (name without diacritics,
    personal code or phone); without `q`, those of the course's own unit subtree. `exclude`: ids already
    chosen, listed apart."""
    stmt = _enrollable(user, course)
    if exclude:
        stmt = stmt.where(Participant.id.not_in(set(exclude)))
    q = q.strip()
    if q:
        stmt = stmt.where(Participant.name_search.like(like_pattern(q), escape="\\")
                          | Participant.code.in_([q, q.upper()]) | (Participant.phone == q))
    else:
        stmt = stmt.join(Participant.unit).where(Unit.path.startswith(course.unit.path, autoescape=True))
    return list(db.session.scalars(scoped(stmt, Participant.unit_id, Need.VIEW, user).limit(limit)))


def unit_choices(user: User, need: Need, scheme: str, *, with_communes: bool) -> list[Unit]:
    """Units of `scheme` that `user` may view or manage, in tree order (provinces and districts only unless
    `with_communes`; an administrator's ten thousand communes would not fit in a select)."""
    stmt = select(Unit).where(Unit.scheme == scheme).order_by(Unit.path)
    if not with_communes:
        stmt = stmt.where(Unit.level != UnitLevel.COMMUNE)
    return list(db.session.scalars(scoped(stmt, Unit.id, need, user)))


def list_curricula_choices() -> list[Curriculum]:
    """Active curricula in code order, for choosing a course's curriculum."""
    return list(db.session.scalars(select(Curriculum).where(Curriculum.is_active).order_by(Curriculum.code)))
