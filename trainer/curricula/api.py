"""JSON API of curricula: `GET /api/v1/curricula`."""

from __future__ import annotations

from typing import Any

from flask import Blueprint

from trainer.curricula.models import Curriculum
from trainer.curricula.queries import list_curricula
from trainer.extensions import db

bp = Blueprint("curricula_api", __name__, url_prefix="/api/v1")


def number(value: Any) -> int | float:
    """A Decimal as the JSON number people expect (2, not 2.0; 1.5 stays 1.5)."""
    return int(value) if value == int(value) else float(value)


def curriculum_json(curriculum: Curriculum) -> dict[str, Any]:
    """The contract's curriculum object, plus the threshold, sources and confirmation flags."""
    return {
        "code": curriculum.code, "title": curriculum.title, "short_title": curriculum.short_title,
        "target_groups": curriculum.target_groups, "total_hours": number(curriculum.total_hours),
        "completion_threshold": float(curriculum.completion_threshold),
        "decision": curriculum.decision, "source": curriculum.source, "confirmed": curriculum.confirmed,
        "modules": [{"code": m.code, "title": m.title, "hours": number(m.hours), "confirmed": m.confirmed}
                    for m in curriculum.modules],
    }


@bp.get("/curricula")
def list_curricula_api():
    """The four Decision 1288 curricula with their modules and hours."""
    rows = db.session.scalars(list_curricula()).all()
    return {"items": [curriculum_json(c) for c in rows], "total": len(rows), "page": 1, "per_page": len(rows)}
