"""A course's budget: the estimate (dự toán) from its plan and its settlement (quyết toán) from what happened,
side by side, line by line, in whole đồng.

Computed lines: trainee support (estimate: expected trainees × days × the daily rate; settlement: the
sign-for-receipt list's total) and lecturer fees (estimate: each scheduled session × the fee of its lecturers'
tiers, the lowest tier for a session without one; settlement: the fee list's total). Entered lines: venue,
materials and other costs, with both amounts typed by the organizer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from trainer.accounts.models import User
from trainer.audit.services import record_audit
from trainer.core.clock import local_zone
from trainer.core.errors import ValidationError
from trainer.core.text import N_, clean_text
from trainer.courses.models import Course
from trainer.courses.queries import list_sessions
from trainer.documents.queries import count_enrolled
from trainer.extensions import db
from trainer.finance.models import TIERS, CourseBudgetLine, ProvinceRate
from trainer.finance.payments import course_rates, lecturer_payments, trainee_payments

LABELS = {"trainees": N_("Hỗ trợ tiền ăn học viên"), "lecturers": N_("Thù lao giảng viên, báo cáo viên"),
          "venue": N_("Thuê hội trường, trang thiết bị"), "materials": N_("Tài liệu, văn phòng phẩm"),
          "other": N_("Chi khác")}
ENTERED = ("venue", "materials", "other")
MAX_AMOUNT = 10_000_000_000


@dataclass(frozen=True)
class BudgetLine:
    """One line: its estimate and its settlement (None: not entered yet), and how the estimate was reached."""

    kind: str
    estimate: int
    actual: int | None
    basis: str = ""
    note: str = ""

    @property
    def difference(self) -> int | None:
        """Settlement minus estimate."""
        return None if self.actual is None else self.actual - self.estimate


@dataclass(frozen=True)
class Budget:
    """A course's lines and the rates they used."""

    lines: tuple[BudgetLine, ...]
    rate: ProvinceRate

    @property
    def estimate(self) -> int:
        """Total estimate."""
        return sum(line.estimate for line in self.lines)

    @property
    def actual(self) -> int:
        """Total settlement (lines not entered count as 0)."""
        return sum(line.actual or 0 for line in self.lines)


def entered_lines(course: Course) -> dict[str, CourseBudgetLine]:
    """The organizer's lines of the course, by kind (one statement)."""
    return {row.kind: row for row in db.session.scalars(select(CourseBudgetLine)
                                                        .where(CourseBudgetLine.course_id == course.id))}


def course_budget(course: Course) -> Budget:
    """Estimate and settlement of `course`. Raises DomainError('no_rates') as the payment lists do."""
    rate = course_rates(course)
    sessions = list(db.session.scalars(list_sessions(course)))
    zone = local_zone()
    days = len({s.starts_at.astimezone(zone).date() for s in sessions})
    days = days or (course.end_date - course.start_date).days + 1
    expected = course.capacity or count_enrolled(course)
    lowest = rate.fee_for(max(TIERS))
    fees = sum(sum(rate.fee_for(lecturer.tier) for lecturer in s.lecturers) or lowest for s in sessions)
    support = rate.trainee_support_per_day
    lines = [BudgetLine("trainees", expected * days * support, trainee_payments(course).total,
                        f"{expected} học viên × {days} ngày × {support:,} đồng".replace(",", ".")),
             BudgetLine("lecturers", fees, lecturer_payments(course).total, f"{len(sessions)} buổi học")]
    entered = entered_lines(course)
    for kind in ENTERED:
        row = entered.get(kind)
        lines.append(BudgetLine(kind, row.estimate if row else 0, row.actual if row else None,
                                note=row.note if row else ""))
    return Budget(tuple(lines), rate)


def _amount(value: Any, field: str, *, required: bool) -> int | None:
    """Whole đồng typed with or without dots; empty is None (or 0 when required)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return 0 if required else None
    digits = str(value).strip().replace(".", "").replace(" ", "")
    if isinstance(value, bool) or not digits.isdigit() or int(digits) > MAX_AMOUNT:
        message = "Số tiền phải là số nguyên đồng (có thể có dấu chấm phân cách hàng nghìn)."
        raise ValidationError("invalid_amount", message, fields={field: message})
    return int(digits)


def save_budget_lines(actor: User, course: Course, values: dict[str, dict[str, Any]]) -> None:
    """Store the organizer's lines {kind: {estimate, actual, note}}; logged. Raises ValidationError."""
    checked = {kind: {"estimate": _amount(v.get("estimate"), f"{kind}_estimate", required=True),
                      "actual": _amount(v.get("actual"), f"{kind}_actual", required=False),
                      "note": clean_text(v.get("note"), f"{kind}_note", 300, label="ghi chú")}
               for kind, v in values.items() if kind in ENTERED}
    existing = entered_lines(course)
    for kind, fields in checked.items():
        row = existing.get(kind)
        if row is None:
            db.session.add(CourseBudgetLine(course_id=course.id, kind=kind, **fields))
        else:
            for key, value in fields.items():
                setattr(row, key, value)
    db.session.flush()
    record_audit(actor, "course.budget_set", course, course_id=course.id, kinds=sorted(checked))
