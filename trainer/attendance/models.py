"""Attendance: one record per session and participant, and the refused check-in attempts."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trainer.core.db import str_enum, utcnow
from trainer.extensions import db

if TYPE_CHECKING:
    from trainer.accounts.models import User
    from trainer.participants.models import Participant
    from trainer.schedule.models import CourseSession


class AttendanceMethod(enum.StrEnum):
    QR = "qr"  # the trainee scanned the session's code with their phone
    BADGE = "badge"  # an organizer scanned the trainee's badge
    MANUAL = "manual"  # marked by hand from the roster
    SHEET = "sheet"  # entered afterwards from the paper sign-in sheet


class AttendanceMark(enum.StrEnum):
    PRESENT = "present"
    LATE = "late"  # came after the course's lateness margin (a QR or badge check-in), or marked so
    EXCUSED = "excused"  # vắng có phép: absent with the organizer's leave; counts as no attendance


class AttendanceRecord(db.Model):
    """A participant's mark at a session: present, late, or excused (absent with leave, which counts as no
    attendance: no hours, not on the projector). The unique constraint is the last defence against double
    scans."""

    __tablename__ = "attendance_records"
    __table_args__ = (UniqueConstraint("course_session_id", "participant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # No index of its own: the unique constraint's index leads with it (a second one let PostgreSQL,
    # with a stale estimate, scan a whole session's records in every check-in's trigger).
    course_session_id: Mapped[int] = mapped_column(ForeignKey("course_sessions.id"))
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id"), index=True)
    checked_in_at: Mapped[datetime] = mapped_column(default=utcnow)
    method: Mapped[AttendanceMethod] = mapped_column(str_enum(AttendanceMethod, 10))
    is_late: Mapped[bool] = mapped_column(default=False)
    excused: Mapped[bool] = mapped_column(default=False, server_default=false())
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str | None] = mapped_column(String(300))
    # The phone's remembered-device id (random, from its signed cookie): one device checks in
    # one person per session, so a friend cannot tick off an absent colleague from their phone.
    device_id: Mapped[str | None] = mapped_column(String(32), index=True)
    # A keyed hash of the client's address and browser (trainer.attendance.services.Client): several people
    # checked in from one client in one session are flagged for the organizer, who confirms them
    # (`confirmed_by_id`) when they were genuine (a colleague's phone lent in the hall).
    client_fingerprint: Mapped[str | None] = mapped_column(String(32))
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    course_session: Mapped[CourseSession] = relationship(back_populates="attendance")
    participant: Mapped[Participant] = relationship()
    recorded_by: Mapped[User | None] = relationship(foreign_keys=[recorded_by_id])

    @property
    def mark(self) -> AttendanceMark:
        """Present, late or excused."""
        return mark_of(self.is_late, self.excused)


def mark_of(is_late: bool, excused: bool) -> AttendanceMark:
    """The mark a record's two flags stand for."""
    return AttendanceMark.EXCUSED if excused else AttendanceMark.LATE if is_late else AttendanceMark.PRESENT


class CheckinAttempt(db.Model):
    """A refused check-in, kept for the organizer to review (time, session, reason, phone tried)."""

    __tablename__ = "checkin_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_session_id: Mapped[int | None] = mapped_column(ForeignKey("course_sessions.id"), index=True)
    attempted_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)  # kept 30 days (services)
    reason: Mapped[str] = mapped_column(String(40))
    phone_tried: Mapped[str | None] = mapped_column(String(20))
    participant_code_tried: Mapped[str | None] = mapped_column(String(20))
    participant_id: Mapped[int | None] = mapped_column(ForeignKey("participants.id"))
    # A keyed hash of the client's network (trainer.core.throttle.client_key), never the address itself.
    client_key: Mapped[str | None] = mapped_column(String(64))
    device_id: Mapped[str | None] = mapped_column(String(32))
