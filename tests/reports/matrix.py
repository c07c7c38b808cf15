"""Role × scope expectations of the reports endpoints (see tests/matrix_helpers.py)."""

from __future__ import annotations

from typing import Any

from tests.matrix_helpers import LOGIN, all_staff, only_admin, organizers, scoped_manage, scoped_view  # noqa: F401

MATRIX: dict[str, tuple[str, Any, Any, dict[str, int | str]]] = {}


def build(world: dict[str, Any], f: Any) -> None:
    """Add the objects these endpoints need to the world."""
