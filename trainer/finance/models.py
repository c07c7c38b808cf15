"""Lecturers of a province's registry, their assignment to sessions, and each province's rates."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, CheckConstraint, Column, ForeignKey, Integer, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trainer.core.db import TimestampMixin, utcnow
from trainer.extensions import db

if TYPE_CHECKING:
    from trainer.units.models import Unit

TIERS = (1, 2, 3, 4)

# Which lecturers taught a session (giảng viên, báo cáo viên); the session's free-text trainer_name stays for
# the sessions recorded before the registry existed.
session_lecturers = Table(
    "session_lecturers", db.metadata,
    Column("course_session_id", Integer, ForeignKey("course_sessions.id", ondelete="CASCADE"), primary_key=True),
    Column("lecturer_id", Integer, ForeignKey("lecturers.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Lecturer(TimestampMixin, db.Model):
    """A lecturer or speaker of a province's registry, with the fee tier (1-4) the province's rates price."""

    __tablename__ = "lecturers"
    __table_args__ = (CheckConstraint("tier BETWEEN 1 AND 4", name="tier_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)  # the province
    full_name: Mapped[str] = mapped_column(String(150))
    name_search: Mapped[str] = mapped_column(String(150), index=True)  # folded, see core.text.fold
    agency: Mapped[str] = mapped_column(String(300), default="")
    tier: Mapped[int]
    phone: Mapped[str] = mapped_column(String(20), default="")
    email: Mapped[str] = mapped_column(String(254), default="")

    unit: Mapped[Unit] = relationship()


class ProvinceRate(db.Model):
    """A province's rates from `valid_from` (until the next entry): lecturer fee per session by tier and the
    trainee's daily support, in whole đồng, with the resolution they come from (Circular 36/2018/TT-BTC leaves
    the amounts to the provinces)."""

    __tablename__ = "province_rates"
    __table_args__ = (UniqueConstraint("unit_id", "valid_from"),
                      CheckConstraint("trainee_support_per_day >= 0", name="support_not_negative"))

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"))
    valid_from: Mapped[date]
    lecturer_fee_per_session: Mapped[dict[str, int]] = mapped_column(JSON)  # {"1": 2000000, ..., "4": 600000}
    trainee_support_per_day: Mapped[int]
    source: Mapped[str] = mapped_column(String(300), default="")  # "Nghị quyết số 12/2019/NQ-HĐND ..."
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    unit: Mapped[Unit] = relationship()

    def fee_for(self, tier: int) -> int:
        """The fee per session of a lecturer of `tier` (0 when the province set none)."""
        return int(self.lecturer_fee_per_session.get(str(tier), 0) or 0)


class CourseDocument(TimestampMixin, db.Model):
    """The number and date a user gave one of a course's documents (the decision to open the class, the summons
    letters, the decision recognising completion): Decree 30 wants them entered, never generated."""

    __tablename__ = "course_documents"
    __table_args__ = (UniqueConstraint("course_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))  # open_decision | summons | completion_decision
    number: Mapped[str] = mapped_column(String(40), default="")  # "12" or "12/QĐ-VHTT"
    signed_on: Mapped[date | None]
    basis: Mapped[str] = mapped_column(Text, default="")  # further "Căn cứ ..." lines, one per line
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class CourseBudgetLine(db.Model):
    """A cost line of a course's budget that trainer cannot compute (venue, materials, other): its estimate
    (dự toán) and its actual amount (quyết toán), in whole đồng."""

    __tablename__ = "course_budget_lines"
    __table_args__ = (UniqueConstraint("course_id", "kind"),
                      CheckConstraint("estimate >= 0 AND (actual IS NULL OR actual >= 0)", name="not_negative"))

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))  # venue | materials | other
    estimate: Mapped[int] = mapped_column(default=0)
    actual: Mapped[int | None]
    note: Mapped[str] = mapped_column(String(300), default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
