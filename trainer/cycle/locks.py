"""Period locks: once a unit's report of a period is approved, the attendance, enrolments and certificates of
the courses organized under that unit and started in that period are frozen (409 `period_locked`) until a
reviewer above reopens the report.

The guard is one statement by course id, called by the attendance, enrolment and certificate services before
they change anything. A trainee's own QR check-in is not guarded: it happens during the session itself, and a
period is approved after its courses were held.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import and_, literal, select
from sqlalchemy.orm import aliased

from trainer.core.errors import N_, DomainError, Phrase
from trainer.courses.models import Course
from trainer.cycle.models import ReportSubmission, SubmissionStatus
from trainer.extensions import db
from trainer.units.models import Unit


@dataclass(frozen=True)
class PeriodLock:
    """The approved report that locks a course: its unit, period and approval date."""

    submission_id: int
    unit_name: str
    period: str
    decided_at: Any

    def error(self) -> DomainError:
        """The refusal (409 `period_locked`): Vietnamese for the API, in the page's language on a page."""
        label = (Phrase(N_("6 tháng đầu năm %(year)s"), {"year": self.period[:4]}) if self.period.endswith("H1")
                 else Phrase(N_("năm %(year)s"), {"year": self.period}))
        return DomainError("period_locked", N_("Số liệu %(period)s của %(unit)s đã được duyệt và khóa: không thể "
                                               "thay đổi điểm danh, ghi danh hay giấy chứng nhận của lớp này. Muốn "
                                               "sửa, đề nghị cấp trên mở lại báo cáo."),
                           params={"period": label, "unit": self.unit_name}, status=409)


def _lock_stmt(course_id: Any) -> Any:
    """The approved submission of a unit at or above the course's unit whose period holds its start date."""
    course_unit = aliased(Unit)
    report_unit = aliased(Unit)
    return (select(ReportSubmission.id, report_unit.name, ReportSubmission.period, ReportSubmission.decided_at)
            .join(report_unit, report_unit.id == ReportSubmission.unit_id)
            .join(Course, and_(Course.id == course_id, Course.start_date >= ReportSubmission.period_start,
                               Course.start_date <= ReportSubmission.period_end))
            .join(course_unit, course_unit.id == Course.unit_id)
            .where(ReportSubmission.status == SubmissionStatus.APPROVED,
                   course_unit.path.like(report_unit.path + literal("%")))
            .order_by(ReportSubmission.period_start)
            .limit(1))


def period_lock(course: Course | int | None) -> PeriodLock | None:
    """The lock on `course` (a Course or its id), or None when its period is open. One statement."""
    if course is None:
        return None
    course_id = course if isinstance(course, int) else course.id
    row = db.session.execute(_lock_stmt(course_id)).first()
    return PeriodLock(*row) if row is not None else None


def ensure_period_open(course: Course | int) -> None:
    """Refuse a change to the course's attendance, enrolments or certificates while its period is locked.

    Raises DomainError('period_locked', 409)."""
    lock = period_lock(course)
    if lock is not None:
        raise lock.error()


def locked_on(unit: Unit, day: date) -> bool:
    """True when an approved report of `unit` or a unit above it covers `day` (for lists)."""
    report_unit = aliased(Unit)
    return db.session.scalar(
        select(ReportSubmission.id).join(report_unit, report_unit.id == ReportSubmission.unit_id)
        .where(ReportSubmission.status == SubmissionStatus.APPROVED, ReportSubmission.period_start <= day,
               ReportSubmission.period_end >= day, literal(unit.path).like(report_unit.path + literal("%")))
        .limit(1)) is not None
