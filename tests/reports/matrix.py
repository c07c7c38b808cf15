"""Role × scope expectations of the reports endpoints (see tests/matrix_helpers.py).

The reports are about the world's province (24, Bắc Giang): "in" users see it, "out" users (Hà Nội)
get a 404 that does not reveal whether the unit exists.
"""

from __future__ import annotations

from typing import Any

from tests.matrix_helpers import anon_status, scoped_view


def _reviewers(ok: int = 200, *, api: bool = False) -> dict[str, int | str]:
    """Headcounts are entered by reviewers in scope and admins; organizers are refused before any look-up
    through the API (403), after the unit's scope on the page (403 in scope, 404 outside)."""
    return {"anon": anon_status(api), "admin": ok, "organizer_in": 403, "organizer_out": 403 if api else 404,
            "reviewer_in": ok, "reviewer_out": 404}


MATRIX: dict[str, tuple[str, Any, Any, dict[str, int | str]]] = {
    "reports.index": ("GET", "/reports/?unit=24&year=2024", None, scoped_view(200)),
    "reports.indicators_xlsx": ("GET", "/reports/indicators.xlsx?unit=24&year=2024", None, scoped_view(200)),
    "reports.indicators_pdf": ("GET", "/reports/indicators.pdf?unit=24&year=2024&half=2", None, scoped_view(200)),
    "reports_api.indicators": ("GET", "/api/v1/reports/indicators?unit=24&year=2024", None,
                               scoped_view(200, api=True)),
    "reports.headcounts": ("GET", "/reports/headcounts?unit=24&year=2024", None, _reviewers()),
    "reports.headcounts_xlsx": ("GET", "/reports/headcounts.xlsx?unit=24&year=2024", None, _reviewers()),
    # no file: the reviewer is told to choose one (422), nothing saved
    "reports.headcounts_import": ("POST", "/reports/headcounts/import?unit=24&year=2024", {}, _reviewers(422)),
    "reports_api.put_headcount": ("PUT", "/api/v1/reports/headcounts",
                                  {"unit_code": "24", "year": 2024, "officers_in_post": 5}, _reviewers(api=True)),
}


def build(world: dict[str, Any], f: Any) -> None:
    """The world's units, course and enrolled participant are all these endpoints need."""
