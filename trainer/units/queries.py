"""Read-only queries of units."""

from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.orm import aliased

from trainer.core.text import like_pattern
from trainer.units.models import Unit, UnitLevel


def list_units(*, scheme: str, parent: Unit | None = None, level: UnitLevel | None = None,
               q: str | None = None) -> Select:
    """Units of a scheme with their parent's code, filtered by parent, level and name (accent-insensitive)."""
    parent_unit = aliased(Unit)
    stmt = (select(Unit, parent_unit.code.label("parent_code"))
            .outerjoin(parent_unit, Unit.parent_id == parent_unit.id)
            .where(Unit.scheme == scheme).order_by(Unit.code))
    if parent is not None:
        stmt = stmt.where(Unit.parent_id == parent.id)
    if level is not None:
        stmt = stmt.where(Unit.level == level)
    if q:
        stmt = stmt.where(Unit.name_search.like(like_pattern(q), escape="\\") | (Unit.code == q.strip()))
    return stmt
