"""The Decision 1288 curricula and their modules, kept as data an administrator can correct."""

from __future__ import annotations

import enum
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trainer.core.db import TimestampMixin
from trainer.core.errors import N_
from trainer.extensions import db

if TYPE_CHECKING:
    from trainer.courses.models import Course


class TargetGroup(enum.StrEnum):
    """Target-group codes of the contract (Circular 06/2022/TT-BTTTT's groups)."""

    COMMUNE_CULTURE_OFFICER = "commune_culture_officer"
    PARTY_INFO_STAFF = "party_info_staff"
    MASS_ORG_STAFF = "mass_org_staff"
    INFO_MANAGER = "info_manager"
    PRESS_STAFF = "press_staff"
    OTHER = "other"


TARGET_GROUP_LABELS = {
    TargetGroup.COMMUNE_CULTURE_OFFICER: N_("Công chức văn hóa - xã hội cấp xã phụ trách đài truyền thanh"),
    TargetGroup.PARTY_INFO_STAFF: N_("Cán bộ thông tin, tuyên truyền thuộc cơ quan Đảng cấp xã"),
    TargetGroup.MASS_ORG_STAFF: N_("Cán bộ thông tin, tuyên truyền thuộc Mặt trận Tổ quốc và các tổ chức "
                                "chính trị - xã hội cấp xã"),
    TargetGroup.INFO_MANAGER: N_("Cán bộ quản lý nhà nước về thông tin và truyền thông cấp tỉnh, huyện"),
    TargetGroup.PRESS_STAFF: N_("Lãnh đạo, phóng viên, biên tập viên cơ quan báo chí; cán bộ thông tin đối ngoại"),
    TargetGroup.OTHER: N_("Khác"),
}


class Curriculum(TimestampMixin, db.Model):
    """One of the four programmes (CT1..CT4) of Decision 1288/QĐ-BTTTT.

    The decision's annexes could not be read, so every field carries a `confirmed` flag in
    `confirmed` and the source in `source`. Courses copy the modules they are planned with,
    so correcting a curriculum never changes a course already held.
    """

    __tablename__ = "curricula"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(10), unique=True)
    title: Mapped[str] = mapped_column(String(400))
    short_title: Mapped[str] = mapped_column(String(150), default="")
    target_groups: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Share of the course's scheduled hours a participant must attend to complete it.
    completion_threshold: Mapped[Decimal] = mapped_column(Numeric(4, 3), default=Decimal("0.8"))
    decision: Mapped[str] = mapped_column(String(200), default="")
    source: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    confirmed: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    is_active: Mapped[bool] = mapped_column(default=True)
    # SHA-256 of the data file at the last seed: seed re-applies a file only when it changed,
    # so corrections made in the UI survive a re-run of `seed`.
    source_digest: Mapped[str] = mapped_column(String(64), default="")

    modules: Mapped[list[CurriculumModule]] = relationship(
        back_populates="curriculum", order_by="CurriculumModule.position", cascade="all, delete-orphan")
    courses: Mapped[list[Course]] = relationship(back_populates="curriculum")

    @property
    def total_hours(self) -> Decimal:
        """Sum of the modules' planned hours."""
        return sum((m.hours for m in self.modules), Decimal(0))


class CurriculumModule(TimestampMixin, db.Model):
    """A module (chuyên đề) of a curriculum with its planned hours."""

    __tablename__ = "curriculum_modules"
    __table_args__ = (UniqueConstraint("curriculum_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    curriculum_id: Mapped[int] = mapped_column(ForeignKey("curricula.id"))  # led by the unique index
    code: Mapped[str] = mapped_column(String(20))
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(400))
    hours: Mapped[Decimal] = mapped_column(Numeric(5, 1))
    confirmed: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    curriculum: Mapped[Curriculum] = relationship(back_populates="modules")
