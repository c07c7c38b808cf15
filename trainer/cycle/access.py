"""Who may do what in the reporting cycle (on top of `core.permissions`' unit scopes).

- A unit's plan and reports are drafted, edited and submitted by organizers (plans) or organizers and reviewers
  (reports) whose scope holds the unit, and by admins.
- They are approved, returned and reopened by a reviewer of the unit *above* (its parent: the district for a
  commune in the 2024 scheme, the province for a district or, in 2025, for a commune), or an admin: a report goes
  up one level at a time. Nobody approves their own unit's work, nor a report they sent themselves.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from trainer.core.errors import DomainError
from trainer.core.permissions import Need, can, is_admin
from trainer.extensions import db
from trainer.units.models import Unit
from trainer.units.services import default_scheme


def _role(actor: Any) -> str:
    return str(getattr(actor, "role", ""))


def may_draft_plan(actor: Any, unit: Unit) -> bool:
    """Organizers whose scope holds `unit`, and admins."""
    return can(actor, Need.MANAGE, unit)


def may_draft_report(actor: Any, unit: Unit) -> bool:
    """Organizers and reviewers whose scope holds `unit`, and admins (the contract: "organizer or reviewer of
    the unit")."""
    return is_admin(actor) or (_role(actor) in ("organizer", "reviewer") and can(actor, Need.VIEW, unit))


def may_review(actor: Any, unit: Unit) -> bool:
    """Reviewers of the unit above `unit` (its parent), and admins."""
    return is_admin(actor) or (_role(actor) == "reviewer" and unit.parent_id is not None
                               and unit.parent_id == getattr(actor, "unit_id", None))


def find_unit(actor: Any, code: Any, *, scheme: str | None = None, field: str = "unit_code") -> Unit:
    """The unit of GSO `code` in `scheme` (default TRAINER_UNIT_SCHEME) that the actor may view.

    Raises DomainError('unit_not_found', 404): unknown, or outside the actor's scope (existence stays hidden)."""
    scheme = scheme or default_scheme()
    code = str(code or "").strip()
    unit = db.session.scalar(select(Unit).where(Unit.scheme == scheme, Unit.code == code)) if code else None
    if unit is None or not can(actor, Need.VIEW, unit):
        message = f"Không tìm thấy đơn vị mã “{code}” (danh mục {scheme}) trong phạm vi bạn được xem."
        raise DomainError("unit_not_found", message, fields={field: message}, status=404)
    return unit


def forbidden(message: str) -> DomainError:
    """A 403 with the contract's code."""
    return DomainError("forbidden", message, status=403)
