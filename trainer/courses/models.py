"""Courses planned from a curriculum, their planned modules and enrolments."""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Numeric, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trainer.core.db import TimestampMixin, str_enum, utcnow
from trainer.extensions import db

if TYPE_CHECKING:
    from trainer.accounts.models import User
    from trainer.curricula.models import Curriculum
    from trainer.materials.models import Material
    from trainer.participants.models import Participant
    from trainer.schedule.models import CourseSession
    from trainer.units.models import Unit


class CourseStatus(enum.StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    RUNNING = "running"
    FINISHED = "finished"
    CANCELLED = "cancelled"


class Course(TimestampMixin, db.Model):
    """A class held over a few days for one curriculum, organized by a unit."""

    __tablename__ = "courses"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(400))
    curriculum_id: Mapped[int] = mapped_column(ForeignKey("curricula.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    # The organizing unit's name when the course was planned: records read as they were
    # even after the units are renamed or merged.
    unit_name: Mapped[str] = mapped_column(String(150))
    venue: Mapped[str] = mapped_column(String(300), default="")
    start_date: Mapped[date] = mapped_column(index=True)
    end_date: Mapped[date]
    capacity: Mapped[int | None]
    status: Mapped[CourseStatus] = mapped_column(str_enum(CourseStatus, 20), default=CourseStatus.DRAFT,
                                                 index=True)
    # None: the curriculum's threshold applies.
    completion_threshold: Mapped[Decimal | None] = mapped_column(Numeric(4, 3))
    checkin_opens_minutes: Mapped[int] = mapped_column(default=30)  # before a session starts
    late_after_minutes: Mapped[int] = mapped_column(default=15)  # after a session starts
    issues_certificates: Mapped[bool] = mapped_column(default=True)
    description: Mapped[str] = mapped_column(Text, default="")
    cancelled_at: Mapped[datetime | None]
    cancel_reason: Mapped[str | None] = mapped_column(String(500))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Who issues the course's documents: copied from the unit's issuer settings in force on the course's dates
    # when it is planned (trainer.courses.issuer), then the organizer's to edit. All blank: none was in force.
    agency_parent: Mapped[str] = mapped_column(String(200), default="")
    agency_name: Mapped[str] = mapped_column(String(200), default="")
    place_name: Mapped[str] = mapped_column(String(100), default="")
    signer_prefix: Mapped[str] = mapped_column(String(100), default="")
    signer_title: Mapped[str] = mapped_column(String(100), default="")
    signer_name: Mapped[str] = mapped_column(String(100), default="")

    curriculum: Mapped[Curriculum] = relationship(back_populates="courses")
    unit: Mapped[Unit] = relationship(back_populates="courses")
    created_by: Mapped[User | None] = relationship()
    modules: Mapped[list[CourseModule]] = relationship(
        back_populates="course", order_by="CourseModule.position", cascade="all, delete-orphan")
    sessions: Mapped[list[CourseSession]] = relationship(
        back_populates="course", order_by="CourseSession.starts_at")
    enrolments: Mapped[list[Enrolment]] = relationship(back_populates="course")
    materials: Mapped[list[Material]] = relationship(back_populates="course")


class CourseModule(db.Model):
    """A module as the course was planned with it (copied from the curriculum at planning time)."""

    __tablename__ = "course_modules"
    __table_args__ = (UniqueConstraint("course_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"))  # led by the unique index
    code: Mapped[str] = mapped_column(String(20))
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(400))
    hours: Mapped[Decimal] = mapped_column(Numeric(5, 1))

    course: Mapped[Course] = relationship(back_populates="modules")


class EnrolmentStatus(enum.StrEnum):
    ENROLLED = "enrolled"
    WITHDRAWN = "withdrawn"


class Enrolment(TimestampMixin, db.Model):
    """A participant's place in a course; withdrawing keeps the row and the reason."""

    __tablename__ = "enrolments"
    __table_args__ = (UniqueConstraint("course_id", "participant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"))  # led by the unique index
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id"), index=True)
    status: Mapped[EnrolmentStatus] = mapped_column(str_enum(EnrolmentStatus, 20),
                                                    default=EnrolmentStatus.ENROLLED)
    enrolled_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The participant's target group was not among the curriculum's (accepted with a warning).
    target_group_mismatch: Mapped[bool] = mapped_column(default=False)
    withdrawn_at: Mapped[datetime | None]
    withdraw_reason: Mapped[str | None] = mapped_column(String(500))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Hours of the course's sessions the participant has an attendance record for: kept by database
    # triggers (trainer.attendance.hours) whoever writes the attendance; read it in SQL, a loaded object
    # does not see the triggers' later updates.
    attended_hours: Mapped[Decimal] = mapped_column(Numeric(7, 2), server_default=text("0"))

    course: Mapped[Course] = relationship(back_populates="enrolments")
    participant: Mapped[Participant] = relationship(back_populates="enrolments")
