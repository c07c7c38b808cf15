"""Annual plans per unit (targets per curriculum and target group) and periodic report submissions with their
review state; an approved submission freezes its figures and locks its unit's data of the period."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trainer.core.clock import local_today
from trainer.core.db import TimestampMixin, str_enum, utcnow
from trainer.extensions import db

if TYPE_CHECKING:
    from trainer.accounts.models import User
    from trainer.units.models import Unit


class PlanStatus(enum.StrEnum):
    DRAFT = "draft"
    APPROVED = "approved"


class Plan(TimestampMixin, db.Model):
    """A unit's training plan for one year: drafted by its organizer, approved by a reviewer above it."""

    __tablename__ = "plans"
    __table_args__ = (UniqueConstraint("unit_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))  # the unique (unit_id, year) indexes it
    year: Mapped[int]
    status: Mapped[PlanStatus] = mapped_column(str_enum(PlanStatus, 20), default=PlanStatus.DRAFT)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    approved_at: Mapped[datetime | None]

    unit: Mapped[Unit] = relationship()
    approved_by: Mapped[User | None] = relationship(foreign_keys=[approved_by_id])
    targets: Mapped[list[PlanTarget]] = relationship(back_populates="plan", cascade="all, delete-orphan",
                                                     order_by="PlanTarget.id")


class PlanTarget(db.Model):
    """Classes and trainees planned for one curriculum (and optionally one target group)."""

    __tablename__ = "plan_targets"
    __table_args__ = (CheckConstraint("classes >= 0 AND trainees >= 0", name="targets_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    curriculum_code: Mapped[str] = mapped_column(String(10))
    target_group: Mapped[str | None] = mapped_column(String(40))
    classes: Mapped[int]
    trainees: Mapped[int]

    plan: Mapped[Plan] = relationship(back_populates="targets")


class SubmissionStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    APPROVED = "approved"


class ReportSubmission(TimestampMixin, db.Model):
    """A unit's six-month (`YYYY-H1`) or annual (`YYYY`) report: figures computed by trainer, a narrative written
    by the unit, and its review by a unit above. Approval freezes `figures` and locks the period's data of the
    unit's courses (see `cycle.locks`)."""

    __tablename__ = "report_submissions"
    __table_args__ = (UniqueConstraint("unit_id", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))  # the unique (unit_id, period) indexes it
    period: Mapped[str] = mapped_column(String(7))  # "2024" or "2024-H1"
    period_start: Mapped[date]
    period_end: Mapped[date]
    status: Mapped[SubmissionStatus] = mapped_column(str_enum(SubmissionStatus, 20), default=SubmissionStatus.DRAFT,
                                                     index=True)
    due_on: Mapped[date]
    figures: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    narrative: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    figures_at: Mapped[datetime | None]  # when `figures` were computed
    first_submitted_at: Mapped[datetime | None]  # `late` is measured on it: a return is the reviewer's time
    submitted_at: Mapped[datetime | None]
    decided_at: Mapped[datetime | None]
    comment: Mapped[str | None] = mapped_column(String(2000))  # the reviewer's, on a return; the reason of a reopening
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    unit: Mapped[Unit] = relationship()
    submitted_by: Mapped[User | None] = relationship(foreign_keys=[submitted_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    attachments: Mapped[list[ReportAttachment]] = relationship(
        back_populates="submission", cascade="all, delete-orphan", order_by="ReportAttachment.id")

    @property
    def late(self) -> bool:
        """Submitted (the first time) after its due date, in the app's time zone."""
        return self.first_submitted_at is not None and local_today(self.first_submitted_at) > self.due_on


class ReportAttachment(db.Model):
    """A file sent with a report (the signed scan, supporting tables); the file is kept outside the database."""

    __tablename__ = "report_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("report_submissions.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(40), unique=True)
    content_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int]
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    submission: Mapped[ReportSubmission] = relationship(back_populates="attachments")
