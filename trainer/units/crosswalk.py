"""The 2024 -> 2025 crosswalk: read materials/units/crosswalk-2024-2025.csv and load it into unit_successors.

The file (built by scripts/build_crosswalk.py, described in materials/units/README.md) has one row per
(2024 unit, 2025 unit) pair and exactly one `history` row per 2024 unit: the successor its courses and
people are counted under in the 2025 scheme's reports.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import delete, insert, select, update

from trainer.core.errors import ValidationError
from trainer.extensions import db
from trainer.units.models import Unit, UnitSuccessor

COLUMNS = ("old_code", "old_level", "new_code", "new_level", "history", "partly")
OLD_SCHEME, NEW_SCHEME = "2024", "2025"
REFORM_DATE = date(2025, 7, 1)  # vietnam-provinces' EFFECTIVE_DATE: the 2024 units ended the day before
LAST_OLD_DAY = date(2025, 6, 30)


@dataclass(frozen=True)
class CrosswalkRow:
    """One (old unit, new unit) pair of the file."""

    old_code: str
    old_level: str
    new_code: str
    new_level: str
    history: bool
    partly: bool


@dataclass
class CrosswalkImportResult:
    """Counts of a crosswalk import (pairs of units)."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0


def _flag(value: str, line: int, column: str) -> bool:
    if value not in ("0", "1"):
        raise ValidationError("bad_crosswalk", f"Dòng {line}: cột “{column}” phải là 0 hoặc 1, không phải “{value}”.")
    return value == "1"


def read_crosswalk_file(path: Path) -> list[CrosswalkRow]:
    """The rows of a crosswalk CSV; ValidationError('bad_crosswalk') on a missing column, a bad flag, or an
    old unit without exactly one `history` row."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or ())]
        if missing:
            raise ValidationError("bad_crosswalk", f"Tệp bảng chuyển đổi thiếu cột: {', '.join(missing)}.")
        rows = [CrosswalkRow(r["old_code"].strip(), r["old_level"].strip(), r["new_code"].strip(),
                             r["new_level"].strip(), _flag(r["history"], n, "history"), _flag(r["partly"], n, "partly"))
                for n, r in enumerate(reader, start=2)]
    histories: dict[tuple[str, str], int] = {}
    for row in rows:
        histories[(row.old_level, row.old_code)] = histories.get((row.old_level, row.old_code), 0) + row.history
    wrong = sorted(code for (_, code), n in histories.items() if n != 1)
    if wrong:
        raise ValidationError("bad_crosswalk", f"Đơn vị cũ phải có đúng một đơn vị kế thừa lịch sử "
                                               f"(history = 1): {', '.join(wrong[:10])}.")
    return rows


def _unit_ids(scheme: str) -> dict[tuple[str, str], int]:
    """(level, code) -> id of every unit of `scheme`: one statement whatever the number of rows."""
    rows = db.session.execute(select(Unit.level, Unit.code, Unit.id).where(Unit.scheme == scheme))
    return {(str(level), code): unit_id for level, code, unit_id in rows}


def import_crosswalk(rows: list[CrosswalkRow]) -> CrosswalkImportResult:
    """Make unit_successors hold `rows` for the old units they name (the others are left alone) and set the
    reform's validity dates on the units involved where none is set. Idempotent; a bounded number of
    statements. Raises ValidationError('unknown_unit') before writing anything when a code is not loaded."""
    old_ids, new_ids = _unit_ids(OLD_SCHEME), _unit_ids(NEW_SCHEME)
    wanted: dict[tuple[int, int], tuple[bool, bool]] = {}
    unknown: list[str] = []
    for row in rows:
        old_id = old_ids.get((row.old_level, row.old_code))
        new_id = new_ids.get((row.new_level, row.new_code))
        if old_id is None:
            unknown.append(f"{row.old_code} ({OLD_SCHEME})")
        if new_id is None:
            unknown.append(f"{row.new_code} ({NEW_SCHEME})")
        if old_id is not None and new_id is not None:
            wanted[(old_id, new_id)] = (row.history, row.partly)
    if unknown:
        raise ValidationError("unknown_unit", "Bảng chuyển đổi nêu đơn vị chưa có trong danh mục: "
                                              f"{', '.join(sorted(set(unknown))[:10])}. Hãy nạp danh mục đơn vị trước.")
    result = CrosswalkImportResult()
    old_units = {old for old, _ in wanted}
    existing = {(o, n): (h, p) for o, n, h, p in db.session.execute(
        select(UnitSuccessor.old_unit_id, UnitSuccessor.new_unit_id, UnitSuccessor.history, UnitSuccessor.partly))}
    stale = [pair for pair in existing if pair[0] in old_units and pair not in wanted]
    changed = [pair for pair, flags in wanted.items() if pair in existing and existing[pair] != flags]
    # An old unit with a stale or changed pair is rewritten whole (deleted, then inserted), so the
    # one-history-per-unit index never sees two at once; in chunks, under SQLite's parameter limit.
    rewritten = sorted({old for old, _ in stale + changed})
    for i in range(0, len(rewritten), 900):
        db.session.execute(delete(UnitSuccessor).where(UnitSuccessor.old_unit_id.in_(rewritten[i:i + 900])))
    again = set(rewritten)
    new_rows = [{"old_unit_id": o, "new_unit_id": n, "history": h, "partly": p}
                for (o, n), (h, p) in wanted.items() if (o, n) not in existing or o in again]
    if new_rows:
        db.session.execute(insert(UnitSuccessor), new_rows)
    result.removed, result.updated = len(stale), len(changed)
    result.created = sum(1 for pair in wanted if pair not in existing)
    result.unchanged = len(wanted) - result.created - result.updated
    listed_old = select(UnitSuccessor.old_unit_id)
    listed_new = select(UnitSuccessor.new_unit_id)
    db.session.execute(update(Unit).where(Unit.valid_to.is_(None), Unit.id.in_(listed_old))
                       .values(valid_to=LAST_OLD_DAY).execution_options(synchronize_session=False))
    db.session.execute(update(Unit).where(Unit.valid_from.is_(None), Unit.id.in_(listed_new))
                       .values(valid_from=REFORM_DATE).execution_options(synchronize_session=False))
    db.session.flush()
    return result
