"""Training materials: documents attached to a course or to a curriculum module."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trainer.core.db import TimestampMixin
from trainer.extensions import db

if TYPE_CHECKING:
    from trainer.courses.models import Course
    from trainer.curricula.models import CurriculumModule


class Material(TimestampMixin, db.Model):
    """A document (PDF, slides, audio) attached to a course or to a curriculum module.

    The file lives under the instance folder as `stored_name`; only metadata is in the database.
    """

    __tablename__ = "materials"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int | None] = mapped_column(ForeignKey("courses.id"), index=True)
    curriculum_module_id: Mapped[int | None] = mapped_column(ForeignKey("curriculum_modules.id", ondelete="SET NULL"),
                                                             index=True)
    title: Mapped[str] = mapped_column(String(300))
    filename: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(100), unique=True)
    content_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    course: Mapped[Course | None] = relationship(back_populates="materials")
    curriculum_module: Mapped[CurriculumModule | None] = relationship()
