"""Administrative units: provinces, districts and communes, each in a scheme (2024 or 2025)."""

from __future__ import annotations

import enum
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, Date, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy import text as sa_text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trainer.core.db import TimestampMixin, str_enum
from trainer.core.text import N_
from trainer.extensions import db

if TYPE_CHECKING:
    from trainer.courses.models import Course


class UnitLevel(enum.StrEnum):
    PROVINCE = "province"
    DISTRICT = "district"
    COMMUNE = "commune"


LEVEL_LABELS = {UnitLevel.PROVINCE: N_("Tỉnh/thành phố"), UnitLevel.DISTRICT: N_("Quận/huyện"),
                UnitLevel.COMMUNE: N_("Xã/phường")}

SCHEMES = ("2024", "2025")


class Unit(db.Model):
    """One administrative unit as published by the statistics office (GSO code) in one scheme.

    Codes were reused with new meanings on 1 July 2025, so a code means nothing without its
    scheme. `path` ("2024/24/216/07306/") starts with the scheme, so a subtree is one prefix match.
    """

    __tablename__ = "units"
    __table_args__ = (UniqueConstraint("scheme", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scheme: Mapped[str] = mapped_column(String(4))
    code: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(150))
    name_search: Mapped[str] = mapped_column(String(150), index=True)  # folded, see core.text.fold
    level: Mapped[UnitLevel] = mapped_column(str_enum(UnitLevel, 10))
    # Division type from the name prefix (tinh, huyen, xa, phuong, thi_tran, dac_khu...).
    kind: Mapped[str] = mapped_column(String(20))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    path: Mapped[str] = mapped_column(String(40), index=True)
    # When the unit existed, where a source says (the 2025 reform's date; see materials/units/README.md).
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)

    parent: Mapped[Unit | None] = relationship(back_populates="children", remote_side=[id])
    children: Mapped[list[Unit]] = relationship(back_populates="parent")
    issuers: Mapped[list[UnitIssuer]] = relationship(back_populates="unit", order_by="UnitIssuer.valid_from")
    courses: Mapped[list[Course]] = relationship(back_populates="unit")

    def __repr__(self) -> str:
        return f"<Unit {self.scheme}:{self.code} {self.name}>"

    def contains(self, other: Unit) -> bool:
        """True when `other` is this unit or lies below it."""
        return other.path.startswith(self.path)


class UnitSuccessor(db.Model):
    """A 2024 unit became (part of) a 2025 unit on 1 July 2025 (materials/units/crosswalk-2024-2025.csv).

    `history` marks the one successor that the old unit's courses and people are counted under in the
    2025 scheme's reports (a commune split across several new ones goes to one of them, never to two);
    `partly` says the old unit was split. Districts and provinces lead to 2025 provinces.
    """

    __tablename__ = "unit_successors"
    # One history successor per old unit.
    __table_args__ = (Index("uq_unit_successors_history", "old_unit_id", unique=True,
                            sqlite_where=sa_text("history"), postgresql_where=sa_text("history")),)

    old_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), primary_key=True)
    new_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), primary_key=True,
                                             index=True)
    history: Mapped[bool] = mapped_column(Boolean, default=False)
    partly: Mapped[bool] = mapped_column(Boolean, default=False)


class UnitIssuer(TimestampMixin, db.Model):
    """Who issues and signs a unit's documents during a period (Decree 30/2020 layout): the agency and its parent,
    the place name, the signer's authority prefix (TM., KT., Q., TL., TUQ.), title and name, the recipients of
    reports. Periods of one unit never overlap (checked by trainer.units.issuers); `valid_to` is the last day
    (None: open-ended), `valid_from` None: since always. Names as written; documents print them in capitals.
    """

    __tablename__ = "unit_issuers"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    valid_from: Mapped[date | None]
    valid_to: Mapped[date | None]
    agency_parent: Mapped[str] = mapped_column(String(200), default="")  # UBND huyện Tân Yên
    agency_name: Mapped[str] = mapped_column(String(200), default="")  # Phòng Văn hóa và Thông tin
    agency_abbr: Mapped[str] = mapped_column(String(20), default="")  # VHTT, for "Số: 05/BC-VHTT"
    place_name: Mapped[str] = mapped_column(String(100), default="")  # Tân Yên
    signer_prefix: Mapped[str] = mapped_column(String(100), default="")  # KT. TRƯỞNG PHÒNG
    signer_title: Mapped[str] = mapped_column(String(100), default="")  # PHÓ TRƯỞNG PHÒNG
    signer_name: Mapped[str] = mapped_column(String(100), default="")
    recipients: Mapped[str] = mapped_column(String(1000), default="")  # one per line

    unit: Mapped[Unit] = relationship(back_populates="issuers")

    def covers(self, day: date) -> bool:
        """True when `day` falls in this period."""
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)
