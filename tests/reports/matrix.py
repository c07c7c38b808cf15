"""Role × scope expectations of the reports endpoints (see tests/matrix_helpers.py).

The reports are about the world's province (24, Bắc Giang): "in" users see it, "out" users (Hà Nội)
get a 404 that does not reveal whether the unit exists.
"""

from __future__ import annotations

from typing import Any

from tests.matrix_helpers import scoped_view

MATRIX: dict[str, tuple[str, Any, Any, dict[str, int | str]]] = {
    "reports.index": ("GET", "/reports/?unit=24&year=2024", None, scoped_view(200)),
    "reports.indicators_xlsx": ("GET", "/reports/indicators.xlsx?unit=24&year=2024", None, scoped_view(200)),
    "reports.indicators_pdf": ("GET", "/reports/indicators.pdf?unit=24&year=2024&half=2", None, scoped_view(200)),
    "reports_api.indicators": ("GET", "/api/v1/reports/indicators?unit=24&year=2024", None,
                               scoped_view(200, api=True)),
}


def build(world: dict[str, Any], f: Any) -> None:
    """The world's units, course and enrolled participant are all these endpoints need."""
