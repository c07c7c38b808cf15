"""Where a report sits in the unit tree: the ancestors a viewer may climb back to."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import func, select

from trainer.core.permissions import Need, scoped
from trainer.extensions import db
from trainer.units.models import Unit

if TYPE_CHECKING:
    from trainer.accounts.models import User


def list_report_ancestors(unit: Unit, user: User) -> list[Unit]:
    """The units above `unit` that `user` may view, from the top down (one statement).

    Codes are unique within a scheme, so the codes of the unit's path name its ancestors."""
    codes = unit.path.split("/")[1:-2]  # the scheme first and the unit itself last are not ancestors
    if not codes:
        return []
    stmt = (select(Unit).where(Unit.scheme == unit.scheme, Unit.code.in_(codes))
            .order_by(func.length(Unit.path)))
    return list(db.session.scalars(scoped(stmt, Unit.id, Need.VIEW, user)))
