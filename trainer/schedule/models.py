"""Course sessions: the dated meetings of a course, each with its own check-in secret."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import JSON, ForeignKey, Numeric, String
from sqlalchemy.orm import Mapped, WriteOnlyMapped, mapped_column, relationship

from trainer.core.db import TimestampMixin
from trainer.extensions import db

if TYPE_CHECKING:
    from trainer.attendance.models import AttendanceRecord
    from trainer.courses.models import Course
    from trainer.finance.models import Lecturer


def new_checkin_secret() -> str:
    """A per-session secret from which the rotating QR tokens are derived."""
    return secrets.token_urlsafe(32)


class CourseSession(TimestampMixin, db.Model):
    """One meeting of a course (a morning or an afternoon), the unit of attendance."""

    __tablename__ = "course_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    title: Mapped[str] = mapped_column(String(300), default="")
    starts_at: Mapped[datetime] = mapped_column(index=True)
    ends_at: Mapped[datetime]
    # Stored (not derived in SQL) so that reports sum hours the same way on SQLite and Postgres.
    hours: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    module_codes: Mapped[list[str]] = mapped_column(JSON, default=list)
    trainer_name: Mapped[str] = mapped_column(String(150), default="")
    venue: Mapped[str] = mapped_column(String(300), default="")  # empty: the course's venue
    checkin_secret: Mapped[str] = mapped_column(String(64), default=new_checkin_secret)
    # Bumped to invalidate every QR token already shown for this session.
    checkin_version: Mapped[int] = mapped_column(default=1)

    course: Mapped[Course] = relationship(back_populates="sessions")
    # From the province's registry (trainer.finance); `trainer_name` stays for sessions typed before it.
    lecturers: Mapped[list[Lecturer]] = relationship(secondary="session_lecturers", order_by="Lecturer.full_name")
    attendance: WriteOnlyMapped[AttendanceRecord] = relationship(back_populates="course_session",
                                                                 passive_deletes=True)

    @property
    def lecturer_names(self) -> str:
        """Who teaches: the registry's lecturers, else the name typed before the registry existed."""
        return ", ".join(lecturer.full_name for lecturer in self.lecturers) or self.trainer_name

    @staticmethod
    def hours_between(starts_at: datetime, ends_at: datetime) -> Decimal:
        """Hours between two datetimes, rounded to hundredths."""
        return (Decimal((ends_at - starts_at) / timedelta(minutes=1)) / 60).quantize(Decimal("0.01"))
