"""Read-only views of the cycle: the status board of a level and the reminders of the dashboard."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import case, func, select

from trainer.core.permissions import is_admin
from trainer.courses.models import Course, CourseStatus, Enrolment, EnrolmentStatus
from trainer.cycle.models import ReportSubmission, SubmissionStatus
from trainer.cycle.periods import ReportPeriod
from trainer.cycle.plans import plan_summary
from trainer.extensions import db
from trainer.units.models import Unit

REMIND_DAYS = 30  # reminders start this many days before a due date


@dataclass(frozen=True)
class BoardLine:
    """One unit of the board with its report of the period (None: none yet)."""

    unit: Unit
    submission: ReportSubmission | None
    due_on: date
    today: date

    @property
    def status(self) -> str:
        return self.submission.status.value if self.submission is not None else "missing"

    @property
    def overdue(self) -> bool:
        """Not sent yet although its due date is past."""
        return self.today > self.due_on and self.status in ("missing", "draft")

    @property
    def late(self) -> bool:
        return self.submission is not None and self.submission.late


def board(unit: Unit | None, period: ReportPeriod, today: date, *, scheme: str = "2024") -> tuple[
        BoardLine | None, list[BoardLine]]:
    """The unit's own line and one line per child unit, by code, for `period`; for the whole country (None), the
    provinces of `scheme`. Two statements."""
    parent = Unit.parent_id == unit.id if unit is not None else (Unit.parent_id.is_(None)) & (Unit.scheme == scheme)
    children = list(db.session.scalars(select(Unit).where(parent).order_by(Unit.code)))
    units = [unit, *children] if unit is not None else children
    found = {s.unit_id: s for s in db.session.scalars(select(ReportSubmission).where(
        ReportSubmission.unit_id.in_([u.id for u in units]), ReportSubmission.period == period.code))}
    due = period.due_on()
    lines = [BoardLine(u, found.get(u.id), due, today) for u in units]
    return (lines[0], lines[1:]) if unit is not None else (None, lines)


def board_counts(lines: list[BoardLine]) -> dict[str, int]:
    """How many lines are in each state, plus the overdue and the late."""
    counts: dict[str, int] = {"missing": 0, "draft": 0, "submitted": 0, "returned": 0, "approved": 0}
    for line in lines:
        counts[line.status] += 1
    counts["overdue"] = sum(line.overdue for line in lines)
    counts["late"] = sum(line.late for line in lines)
    return counts


def current_periods(today: date) -> list[ReportPeriod]:
    """The periods whose reports are due soon or still open: this year's six-month and annual reports, and last
    year's annual report."""
    return [ReportPeriod(today.year - 1), ReportPeriod(today.year, 1), ReportPeriod(today.year)]


def reminders(user: Any, today: date) -> list[dict[str, Any]]:
    """The dashboard's reminders: the user's unit's reports due within REMIND_DAYS or overdue and not sent,
    returned reports, and (reviewers) their children's reports waiting for review. Two statements."""
    unit = getattr(user, "unit", None)
    if unit is None or is_admin(user):
        return []
    periods = [p for p in current_periods(today) if p.year >= 2021]
    children_ids = select(Unit.id).where(Unit.parent_id == unit.id)
    rows = list(db.session.scalars(select(ReportSubmission).where(
        ReportSubmission.period.in_([p.code for p in periods]),
        (ReportSubmission.unit_id == unit.id) | ReportSubmission.unit_id.in_(children_ids))))
    own = {s.period: s for s in rows if s.unit_id == unit.id}
    items: list[dict[str, Any]] = []
    for period in periods:
        due = period.due_on()
        submission = own.get(period.code)
        status = submission.status.value if submission is not None else "missing"
        if status == "returned":
            items.append({"kind": "returned", "period": period, "due_on": due, "submission": submission,
                          "unit": unit})
        elif status in ("missing", "draft") and due - timedelta(days=REMIND_DAYS) <= today <= due + timedelta(
                days=365):
            items.append({"kind": "overdue" if today > due else "due", "period": period, "due_on": due,
                          "days": abs((due - today).days), "submission": submission, "unit": unit})
    if str(user.role) == "reviewer":
        waiting = [s for s in rows if s.unit_id != unit.id and s.status is SubmissionStatus.SUBMITTED]
        if waiting:
            items.append({"kind": "to_review", "count": len(waiting), "unit": unit,
                          "period": parse_code(waiting[0].period)})
    return items


def parse_code(code: str) -> ReportPeriod:
    """A stored period code back to its period."""
    return ReportPeriod(int(code[:4]), 1 if code.endswith("H1") else None)


def plan_progress(unit: Unit | None, year: int) -> dict[str, Any] | None:
    """The dashboard's plan against actual for `unit` and `year`: the plan (own and below), the classes held and
    the trainee turns (enrolments with attended hours) of the courses organized under the unit that year, and the
    same since 2021. None without a unit. Two statements."""
    if unit is None:
        return None
    start, end, first = date(year, 1, 1), date(year, 12, 31), date(2021, 1, 1)
    in_year = Course.start_date >= start
    attended = Enrolment.id.is_not(None)
    row = db.session.execute(
        select(func.count(func.distinct(case((in_year, Course.id)))), func.count(func.distinct(Course.id)),
               func.count(case((in_year & attended, Enrolment.id))), func.count(Enrolment.id))
        .select_from(Course).join(Unit, Unit.id == Course.unit_id)
        .outerjoin(Enrolment, (Enrolment.course_id == Course.id) & (Enrolment.status == EnrolmentStatus.ENROLLED)
                   & (Enrolment.attended_hours > 0))
        .where(Unit.path.startswith(unit.path, autoescape=True), Course.status != CourseStatus.CANCELLED,
               Course.start_date.between(first, end))).one()
    return {"year": year, "unit": unit, "plan": plan_summary(unit, year, scheme=unit.scheme),
            "classes": int(row[0]), "classes_total": int(row[1]), "turns": int(row[2]), "turns_total": int(row[3])}
