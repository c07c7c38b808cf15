"""Participants: the registry of commune officers to train (the coverage denominator)."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trainer.core.db import TimestampMixin, str_enum
from trainer.curricula.models import TargetGroup
from trainer.extensions import db

if TYPE_CHECKING:
    from trainer.courses.models import Enrolment
    from trainer.units.models import Unit


class Gender(enum.StrEnum):
    FEMALE = "female"
    MALE = "male"


class Participant(TimestampMixin, db.Model):
    """An officer. Only the derived ethnic-minority flag is kept: ethnic origin is sensitive data."""

    __tablename__ = "participants"
    # Unit then target group: the reports' registry (people per unit and group) reads this index alone;
    # it also serves every look-up by unit.
    __table_args__ = (Index("ix_participants_unit_id_target_group", "unit_id", "target_group"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Short personal code printed on the badge QR; never the primary key.
    code: Mapped[str] = mapped_column(String(12), unique=True)
    full_name: Mapped[str] = mapped_column(String(120))  # NFC
    # Lower-case, diacritics removed (đ → d): portable accent-insensitive search.
    name_search: Mapped[str] = mapped_column(String(120), index=True)
    gender: Mapped[Gender] = mapped_column(str_enum(Gender, 10))
    birth_date: Mapped[date | None]
    ethnic_minority: Mapped[bool | None]
    phone: Mapped[str | None] = mapped_column(String(15), unique=True)  # 0xxxxxxxxx
    email: Mapped[str | None] = mapped_column(String(254))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))  # the commune
    position: Mapped[str] = mapped_column(String(200), default="")
    target_group: Mapped[TargetGroup] = mapped_column(str_enum(TargetGroup, 30), index=True)
    notice_version: Mapped[str | None] = mapped_column(String(20))
    anonymised_at: Mapped[datetime | None]

    unit: Mapped[Unit] = relationship()
    enrolments: Mapped[list[Enrolment]] = relationship(back_populates="participant")
