"""Use-cases of units: look a unit up by code and scheme, load unit lists idempotently."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import func, insert, select, update

from trainer.core.errors import N_, ValidationError
from trainer.core.text import fold, nfc
from trainer.extensions import db
from trainer.units.models import Unit, UnitLevel
from trainer.units.sources import UnitRow

LEVEL_ORDER = (UnitLevel.PROVINCE, UnitLevel.DISTRICT, UnitLevel.COMMUNE)


def default_scheme() -> str:
    """The scheme `unit_code` refers to unless one is given (TRAINER_UNIT_SCHEME)."""
    return str(current_app.config.get("UNIT_SCHEME", "2024"))


def get_unit(code: str | None, *, scheme: str | None = None, field: str = "unit_code") -> Unit:
    """The unit with this GSO code in `scheme` (default: the configured one).

    Raises ValidationError('unknown_unit') naming `field`.
    """
    scheme = scheme or default_scheme()
    code = (code or "").strip()
    unit = db.session.scalar(select(Unit).where(Unit.scheme == scheme, Unit.code == code)) if code else None
    if unit is None:
        message = N_("Không có đơn vị hành chính mã “%(code)s” trong danh mục %(scheme)s.")
        raise ValidationError("unknown_unit", message, fields={field: message}, params={"code": code, "scheme": scheme})
    return unit


@dataclass
class UnitImportResult:
    """Counts of a unit import."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0


def import_units(rows: Iterable[UnitRow]) -> UnitImportResult:
    """Create or update units from `rows` (parents before children), keyed by (scheme, code).

    Idempotent: the same rows a second time change nothing. New units are inserted in bulk, one
    statement per level, so a national list (about 11,000 units) is not one statement per unit.
    Raises ValidationError('unknown_parent').
    """
    result = UnitImportResult()
    by_scheme: dict[str, list[UnitRow]] = {}
    for row in rows:
        by_scheme.setdefault(row.scheme, []).append(row)
    for scheme, scheme_rows in by_scheme.items():
        existing = {u.code: u for u in db.session.scalars(select(Unit).where(Unit.scheme == scheme))}
        for level in LEVEL_ORDER:
            level_rows = [r for r in scheme_rows if r.level == level.value]
            new: list[dict] = []
            for row in level_rows:
                parent = existing.get(row.parent_code) if row.parent_code else None
                if row.parent_code and parent is None:
                    raise ValidationError("unknown_parent", f"Đơn vị {row.code} ({row.name}) thuộc đơn vị cấp trên "
                                                            f"{row.parent_code} không có trong danh mục {scheme}.")
                path = f"{parent.path if parent else scheme + '/'}{row.code}/"
                name = nfc(row.name)
                unit = existing.get(row.code)
                if unit is None:
                    new.append({"scheme": scheme, "code": row.code, "name": name, "name_search": fold(name),
                                "level": level, "kind": row.kind, "parent_id": parent.id if parent else None,
                                "path": path})
                    continue
                if (unit.name, unit.kind, unit.level, unit.path) == (name, row.kind, level, path):
                    result.unchanged += 1
                    continue
                if unit.path != path:  # moved to another parent: its subtree moves along
                    db.session.execute(update(Unit).where(Unit.scheme == scheme, Unit.path.startswith(unit.path))
                                       .values(path=path + func.substr(Unit.path, len(unit.path) + 1))
                                       .execution_options(synchronize_session="fetch"))
                unit.name, unit.name_search, unit.kind, unit.level = name, fold(name), row.kind, level
                unit.parent_id, unit.path = (parent.id if parent else None), path
                result.updated += 1
            if new:
                db.session.execute(insert(Unit), new)
                result.created += len(new)
                codes = [n["code"] for n in new]
                for i in range(0, len(codes), 900):  # stay under SQLite's bound-parameter limit
                    existing.update({u.code: u for u in db.session.scalars(
                        select(Unit).where(Unit.scheme == scheme, Unit.code.in_(codes[i:i + 900])))})
    db.session.flush()
    return result
