"""Read-only queries of curricula."""

from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from trainer.curricula.models import Curriculum


def list_curricula() -> Select:
    """Active curricula in code order, with their modules loaded in one more query."""
    return (select(Curriculum).where(Curriculum.is_active).order_by(Curriculum.code)
            .options(selectinload(Curriculum.modules)))
