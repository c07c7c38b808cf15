"""The audit log: who changed what, when, in which unit."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trainer.core.db import utcnow
from trainer.extensions import db

if TYPE_CHECKING:
    from trainer.accounts.models import User


class AuditEntry(db.Model):
    """One change or sensitive read (an export of a person-level list), by whom and where.

    `details` holds IDs and field names, not personal data (domain/privacy.md).
    """

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    action: Mapped[str] = mapped_column(String(60))  # "course.create", "attendance.unmark"
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[int | None]
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    actor: Mapped[User | None] = relationship()
