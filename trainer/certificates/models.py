"""Certificates of completion: register number, random verification code, revocation."""

from __future__ import annotations

import secrets
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trainer.core.db import utcnow
from trainer.extensions import db

if TYPE_CHECKING:
    from trainer.accounts.models import User
    from trainer.courses.models import Course
    from trainer.participants.models import Participant
    from trainer.units.models import Unit

# No 0/O, 1/I/L: the code is also typed by hand from a printed page.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_verification_code(length: int = 12) -> str:
    """A random, unguessable verification code (about 59 bits)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


class Certificate(db.Model):
    """One per (course, participant). Public look-ups go by `code`, never by serial or id."""

    __tablename__ = "certificates"
    __table_args__ = (
        UniqueConstraint("course_id", "participant_id"),
        UniqueConstraint("issuing_unit_id", "serial_year", "serial_number"),
        # The revoked few (a partial index): the reports exclude them without reading every certificate.
        Index("ix_certificates_revoked", "course_id", "participant_id", sqlite_where=text("revoked_at IS NOT NULL"),
              postgresql_where=text("revoked_at IS NOT NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"))  # led by the unique constraint's index
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id"), index=True)
    issuing_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    serial_year: Mapped[int]
    serial_number: Mapped[int]
    serial: Mapped[str] = mapped_column(String(40))  # as printed: "0015/2024/GCN-VHTT"
    code: Mapped[str] = mapped_column(String(24), unique=True, default=new_verification_code)
    issued_on: Mapped[date]
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The PDF as issued, under the instance folder; re-issuing writes a new revision.
    pdf_path: Mapped[str | None] = mapped_column(String(200))
    pdf_sha256: Mapped[str | None] = mapped_column(String(64))
    revision: Mapped[int] = mapped_column(default=1)
    revoked_at: Mapped[datetime | None]
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    revoke_reason: Mapped[str | None] = mapped_column(String(500))
    # Exactly what was certified (name, date of birth, commune, position, course, dates, place,
    # hours, signer) as of the last issue: the public verification shows this, so later edits
    # of a person or a course never silently change an issued certificate.
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    course: Mapped[Course] = relationship()
    participant: Mapped[Participant] = relationship()
    issuing_unit: Mapped[Unit] = relationship()
    issued_by: Mapped[User | None] = relationship(foreign_keys=[issued_by_id])
    revoked_by: Mapped[User | None] = relationship(foreign_keys=[revoked_by_id])

    @property
    def is_valid(self) -> bool:
        """A certificate is valid until revoked."""
        return self.revoked_at is None
