"""Writing the audit log."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from trainer.audit.models import AuditEntry
from trainer.extensions import db

if TYPE_CHECKING:
    from trainer.accounts.models import User


def record_audit(actor: User | None, action: str, obj: Any = None, *, unit_id: int | None = None,
                 ref: tuple[str, int] | None = None, **details: Any) -> AuditEntry:
    """Append an audit entry for `action` on `obj` (or on `ref`, a (type name, id) of a row written without
    the ORM) by `actor`; `details` must hold no personal data."""
    entry = AuditEntry(
        actor_id=actor.id if actor is not None else None,
        action=action,
        object_type=ref[0] if ref else type(obj).__name__ if obj is not None else "",
        object_id=ref[1] if ref else getattr(obj, "id", None),
        unit_id=unit_id if unit_id is not None else getattr(obj, "unit_id", None),
        details=details,
    )
    db.session.add(entry)
    return entry
