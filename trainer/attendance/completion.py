"""Who completes a course: the one rule, in SQL, read by the register, certificates and reports.

A participant completes a course when their attended hours (`enrolments.attended_hours`, kept by the
triggers of trainer.attendance.hours) reach the course's completion threshold (its own, else its
curriculum's; 80% by default) × the course's scheduled hours (the sum of its sessions' hours). A course
with no scheduled hours is completed by nobody.

`is_completed` is the rule; `completion_requirements` computes each course's side of it once; the register
(trainer.attendance.register) and the reports (trainer.reports.queries) select it, the certificates read
the register. Python never decides completion: `shortfall` only explains a result ("thiếu 3,5 giờ").
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import CTE, ColumnElement, Select, Subquery, and_, func, select

from trainer.courses.models import Course, Enrolment, EnrolmentStatus
from trainer.curricula.models import Curriculum
from trainer.schedule.models import CourseSession


def completion_requirements(course_ids: Select, name: str) -> Subquery:
    """(course_id, required) for each course `course_ids` selects that has scheduled hours: what it takes to
    complete it, in the units of `is_completed` (thousandths of the threshold × hundredths of an hour).

    Computed once per course (a few sessions each), so that each enrolment costs one comparison. A course
    without scheduled hours has no row: nobody completes it.
    """
    scheduled = (select(CourseSession.course_id, func.sum(CourseSession.hours).label("hours"))
                 .where(CourseSession.course_id.in_(course_ids))
                 .group_by(CourseSession.course_id)
                 .having(func.sum(CourseSession.hours) > 0)
                 .subquery(f"{name}_scheduled"))
    threshold = func.coalesce(Course.completion_threshold, Curriculum.completion_threshold)
    required = func.round(threshold * 1000) * func.round(scheduled.c.hours * 100)
    return (select(scheduled.c.course_id, required.label("required"))
            .join(Course, Course.id == scheduled.c.course_id)
            .join(Curriculum, Curriculum.id == Course.curriculum_id)
            .subquery(name))


def is_completed(attended_hours: ColumnElement, required: ColumnElement) -> ColumnElement[bool]:
    """The completion rule: the attended hours reach the threshold × the course's scheduled hours, `required`
    coming from `completion_requirements` (NULL: the course has no scheduled hours, and nobody completes it).

    Compared on integers (hundredths of an hour, thousandths of the threshold) so that SQLite's floating
    point agrees with exact arithmetic (0.8 × 3.0 is 2.4000000000000004 in binary).
    """
    return and_(required.is_not(None), func.round(attended_hours * 100) * 1000 >= required)


def completion_cte(course_ids: Select, *, participant_ids: Select | None = None, name: str = "completion") -> CTE:
    """(course_id, participant_id, completed) for every enrolled (not withdrawn) participant of the courses
    whose ids `course_ids` selects, optionally only for the participants `participant_ids` selects."""
    requirements = completion_requirements(course_ids, f"{name}_required")
    stmt = (select(Enrolment.course_id, Enrolment.participant_id,
                   is_completed(Enrolment.attended_hours, requirements.c.required).label("completed"))
            .outerjoin(requirements, requirements.c.course_id == Enrolment.course_id)
            .where(Enrolment.status == EnrolmentStatus.ENROLLED, Enrolment.course_id.in_(course_ids)))
    if participant_ids is not None:
        stmt = stmt.where(Enrolment.participant_id.in_(participant_ids))
    return stmt.cte(name)


def completion_threshold(course: Course) -> Decimal:
    """The share of scheduled hours `course` asks for (its own, else its curriculum's), for display."""
    if course.completion_threshold is not None:
        return Decimal(course.completion_threshold)
    return Decimal(course.curriculum.completion_threshold)


def shortfall(hours_attended: Decimal, scheduled_hours: Decimal, threshold: Decimal) -> Decimal:
    """The hours someone who did not complete still lacks, to explain the result of `is_completed`."""
    return max(Decimal(0), (threshold * scheduled_hours - hours_attended).quantize(Decimal("0.01")))
