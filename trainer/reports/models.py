"""Inputs of the indicator reports that trainer cannot count itself: the official headcount of officers to
train in a unit and year (`officers_in_post`), the denominator of `coverage_percent`."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trainer.core.db import utcnow
from trainer.extensions import db
from trainer.units.models import Unit


class OfficerHeadcount(db.Model):
    """How many grassroots communication officers a unit has to train in a year, as the unit reported it
    (entered by a reviewer or an admin). A unit's figure is its own entry, else the sum of its children's."""

    __tablename__ = "officer_headcounts"
    __table_args__ = (UniqueConstraint("unit_id", "year"),
                      CheckConstraint("officers_in_post >= 0", name="officers_in_post_not_negative"))

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"))
    year: Mapped[int]
    officers_in_post: Mapped[int]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    unit: Mapped[Unit] = relationship()
