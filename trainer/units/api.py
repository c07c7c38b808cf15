"""JSON API of units: `GET /api/v1/units`."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, request

from trainer.core.api import choice_arg, paginated
from trainer.units.models import SCHEMES, UnitLevel
from trainer.units.queries import list_units
from trainer.units.services import default_scheme, get_unit

bp = Blueprint("units_api", __name__, url_prefix="/api/v1")


def unit_json(row: Any) -> dict[str, Any]:
    """`{code, name, level, parent_code, scheme}` of a (unit, parent_code) row."""
    unit, parent_code = row
    return {"code": unit.code, "name": unit.name, "level": unit.level.value, "kind": unit.kind,
            "parent_code": parent_code, "scheme": unit.scheme}


@bp.get("/units")
def list_units_api():
    """Units of a scheme, filtered by `parent`, `level` and `q`."""
    scheme = choice_arg("scheme", SCHEMES) or default_scheme()
    level = choice_arg("level", [lvl.value for lvl in UnitLevel])
    parent_code = request.args.get("parent")
    parent = get_unit(parent_code, scheme=scheme, field="parent") if parent_code else None
    stmt = list_units(scheme=scheme, parent=parent, level=UnitLevel(level) if level else None,
                      q=request.args.get("q"))
    return paginated(stmt, unit_json, scalars=False)
