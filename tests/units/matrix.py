"""Role × scope expectations of a unit's issuer pages (see tests/matrix_helpers.py)."""

from __future__ import annotations

from typing import Any

from tests.matrix_helpers import scoped_manage, scoped_view
from trainer.extensions import db
from trainer.units.models import UnitIssuer


def _unit(world: dict[str, Any]) -> str:
    """Huyện Tân Yên's issuer pages."""
    return f"/units/{world['district'].id}/issuers"


MATRIX: dict[str, tuple[str, Any, Any, dict[str, int | str]]] = {
    "units.issuers": ("GET", _unit, None, scoped_view()),
    "units.new_issuer": ("GET", lambda w: f"{_unit(w)}/new", None, scoped_manage()),
    "units.edit_issuer": ("GET", lambda w: f"{_unit(w)}/{w['issuer'].id}/edit", None, scoped_manage()),
    "units.remove_issuer": ("POST", lambda w: f"{_unit(w)}/{w['issuer'].id}/delete", {}, scoped_manage(302)),
}


def build(world: dict[str, Any], f: Any) -> None:
    """A period of Tân Yên's settings."""
    world["issuer"] = UnitIssuer(unit=world["district"], agency_name="Phòng Văn hóa và Thông tin",
                                 place_name="Tân Yên", signer_title="TRƯỞNG PHÒNG")
    db.session.add(world["issuer"])
    db.session.flush()
