"""Role × scope expectations of the schedule endpoints (see tests/matrix_helpers.py)."""

from __future__ import annotations

from typing import Any

from tests.matrix_helpers import LOGIN, all_staff, only_admin, organizers, scoped_manage, scoped_view  # noqa: F401

MATRIX: dict[str, tuple[str, Any, Any, dict[str, int | str]]] = {
    # Everyone logged in has a calendar; its content is scoped (tests/schedule/test_calendar.py).
    "schedule.index": ("GET", "/schedule/?view=month&date=2024-10-01", None, all_staff()),
}


def build(world: dict[str, Any], f: Any) -> None:
    """Add the objects these endpoints need to the world."""
