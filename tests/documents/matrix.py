"""Role × scope expectations of the documents endpoints (see tests/matrix_helpers.py)."""

from __future__ import annotations

from typing import Any

from tests.matrix_helpers import scoped_view


def _course_url(suffix: str):
    """The URL of one of the world course's documents."""
    return lambda world: f"/courses/{world['course'].id}/{suffix}"


MATRIX: dict[str, tuple[str, Any, Any, dict[str, int | str]]] = {
    "documents.index": ("GET", _course_url("documents"), None, scoped_view(200)),
    "documents.roster_pdf": ("GET", _course_url("roster.pdf"), None, scoped_view(200)),
    "documents.badges_pdf": ("GET", _course_url("badges.pdf"), None, scoped_view(200)),
    "documents.roster_xlsx": ("GET", _course_url("roster.xlsx"), None, scoped_view(200)),
    "documents.signin_sheet": ("GET", _course_url("signin-sheet.pdf"), None, scoped_view(200)),
    "documents.register_xlsx": ("GET", _course_url("register.xlsx"), None, scoped_view(200)),
}


def build(world: dict[str, Any], f: Any) -> None:
    """The world's course and its enrolled participant are all these endpoints need."""
