"""The participants import: check every row, then write them all in bulk statements or nothing.

Called through `participants.services.import_participants`. The number of SQL statements does not
grow with the number of rows: units, existing phones and code collisions are each one query, new
rows one bulk INSERT, changed rows a few UPDATE executemany batches, audit entries one bulk INSERT.
"""

from __future__ import annotations

from datetime import datetime
from typing import IO, Any

from sqlalchemy import insert, select
from sqlalchemy.orm import joinedload

from trainer.accounts.models import User
from trainer.audit.models import AuditEntry
from trainer.audit.services import record_audit
from trainer.core.clock import local_today
from trainer.core.errors import DomainError
from trainer.core.permissions import Need, can
from trainer.core.text import fold
from trainer.extensions import db
from trainer.participants.excel.columns import BY_KEY, COLUMNS
from trainer.participants.excel.reader import RawRow, cell_text, read_workbook
from trainer.participants.models import Participant
from trainer.participants.services import (
    ImportResult,
    RowError,
    clean_email,
    clean_name,
    clean_position,
    generate_codes,
    minority_flag,
    normalise_phone,
    notice_version,
    parse_birth_date,
    parse_gender,
    parse_target_group,
)
from trainer.units.models import Unit

FORMULA_MESSAGE = "Ô có công thức: hãy nhập giá trị (hoặc dán dạng giá trị) thay cho công thức."
UPDATABLE = ("full_name", "name_search", "gender", "birth_date", "ethnic_minority", "email", "unit_id", "position",
             "target_group")
_ORDER = {c.key: i for i, c in enumerate(COLUMNS)}


def _unit_code_candidates(value: Any) -> list[str]:
    """Codes a unit cell may mean: "07306 - Thị trấn Nhã Nam" → 07306; a number lost its leading zeros."""
    text = cell_text(value)
    code = text.split(" - ", 1)[0].split("-", 1)[0].strip() if text else ""
    if isinstance(value, int | float) and code.isdigit():
        return [code, *(code.zfill(width) for width in (5, 3, 2) if len(code) < width)]
    return [code] if code else []


def _load_units(rows: list[RawRow], scheme: str) -> dict[str, Unit]:
    """Every unit the file names, by code, in one query."""
    codes = {c for row in rows for c in _unit_code_candidates(row.values.get("unit"))}
    if not codes:
        return {}
    return {u.code: u for u in db.session.scalars(select(Unit).where(Unit.scheme == scheme, Unit.code.in_(codes)))}


def _clean_row(row: RawRow, units: dict[str, Unit], actor: User, today: Any,
               errors: list[RowError]) -> tuple[dict[str, Any], bool]:
    """The row's checked values and whether all were right; its problems are added to `errors`."""
    values: dict[str, Any] = {}
    count = len(errors)

    def fail(key: str, message: str) -> None:
        """Report a problem of this row's `key` column."""
        errors.append(RowError(row.number, BY_KEY[key].label, message))

    for key in row.formulas:
        fail(key, FORMULA_MESSAGE)
    raw = {k: v for k, v in row.values.items() if k not in row.formulas}
    checks = (
        ("full_name", lambda v: clean_name(cell_text(v))),
        ("gender", lambda v: parse_gender(cell_text(v))),
        ("birth_date", lambda v: parse_birth_date(v if not isinstance(v, int | float) else str(v), today=today)),
        ("phone", lambda v: normalise_phone(_phone_text(v))),
        ("email", lambda v: clean_email(cell_text(v))),
        ("position", lambda v: clean_position(cell_text(v))),
        ("target_group", lambda v: parse_target_group(cell_text(v))),
        ("ethnicity", lambda v: minority_flag(cell_text(v))),
    )
    for key, check in checks:
        if key in row.formulas:
            continue
        if raw.get(key) is None and BY_KEY[key].required and key != "ethnicity":
            fail(key, f"Chưa nhập {BY_KEY[key].label.lower()}.")
            continue
        try:
            values[key] = check(raw.get(key))
        except DomainError as exc:
            fail(key, exc.message)
    if "unit" not in row.formulas:
        unit = next((units[c] for c in _unit_code_candidates(raw.get("unit")) if c in units), None)
        if raw.get("unit") is None:
            fail("unit", "Chưa chọn đơn vị.")
        elif unit is None:
            fail("unit", f"Không có đơn vị “{cell_text(raw.get('unit'))}” trong danh mục; chọn từ danh sách "
                         "(dạng “mã - tên”).")
        elif not can(actor, Need.MANAGE, unit):
            fail("unit", f"Bạn không có quyền quản lý cán bộ của đơn vị {unit.code} - {unit.name}.")
        else:
            values["unit_id"] = unit.id
    if len(errors) > count:
        return values, False
    values["ethnic_minority"] = values.pop("ethnicity")
    values["name_search"] = fold(values["full_name"])
    return values, True


def _phone_text(value: Any) -> str:
    """A phone cell as text; a number typed in a General cell lost its leading 0 (912345600)."""
    text = cell_text(value)
    if isinstance(value, int | float) and text.isdigit() and text[0] in "2356789":
        return "0" + text
    return text


def _check_duplicates(phones: list[tuple[int, str]], errors: list[RowError]) -> None:
    """Report both (all) rows of a phone number that appears more than once in the file."""
    rows_by_phone: dict[str, list[int]] = {}
    for number, phone in phones:
        rows_by_phone.setdefault(phone, []).append(number)
    label = BY_KEY["phone"].label
    for numbers in rows_by_phone.values():
        for number in numbers if len(numbers) > 1 else ():
            others = ", ".join(str(n) for n in numbers if n != number)
            errors.append(RowError(number, label, f"Số điện thoại trùng với dòng {others} trong tệp."))


def _check_existing(cleaned: list[tuple[int, dict[str, Any]]], existing: dict[str, Participant], actor: User,
                    errors: list[RowError]) -> None:
    """Rows matching someone the actor may not change, and new people without an ethnicity."""
    for number, values in cleaned:
        person = existing.get(values["phone"])
        if person is not None and not can(actor, Need.MANAGE, person):
            who = f"{person.full_name}, " if can(actor, Need.VIEW, person) else ""
            errors.append(RowError(number, BY_KEY["phone"].label,
                                   f"Số điện thoại đã được đăng ký cho {who}mã cá nhân {person.code}, đơn vị "
                                   f"{person.unit.name}, mà bạn không có quyền sửa."))
        if person is None and values["ethnic_minority"] is None:
            errors.append(RowError(number, BY_KEY["ethnicity"].label, "Chưa nhập dân tộc."))


def run_import(fileobj: IO[bytes], *, actor: User, dry_run: bool, scheme: str, now: datetime) -> ImportResult:
    """Check and (unless `dry_run` or any error) write the rows of an uploaded workbook; see import_participants."""
    sheet = read_workbook(fileobj)
    result = ImportResult(rows=len(sheet.rows), dry_run=dry_run)
    units = _load_units(sheet.rows, scheme)
    today = local_today(now)
    cleaned: list[tuple[int, dict[str, Any]]] = []
    phones: list[tuple[int, str]] = []
    for row in sheet.rows:
        values, ok = _clean_row(row, units, actor, today, result.errors)
        if "phone" in values:
            phones.append((row.number, values["phone"]))
        if ok:
            cleaned.append((row.number, values))
    _check_duplicates(phones, result.errors)
    wanted = [values["phone"] for _, values in cleaned]
    existing = {p.phone: p for p in db.session.scalars(
        select(Participant).where(Participant.phone.in_(wanted)).options(joinedload(Participant.unit)))} \
        if wanted else {}
    _check_existing(cleaned, existing, actor, result.errors)
    if result.errors:
        result.errors.sort(key=lambda e: (e.row, _ORDER.get(_key_of(e.column), 99)))
        return result
    new_rows = [(n, v) for n, v in cleaned if v["phone"] not in existing]
    result.created, result.updated = len(new_rows), len(cleaned) - len(new_rows)
    if not dry_run:
        units_by_id = {u.id: u for u in units.values()}
        result.participants = _write(cleaned, new_rows, existing, units_by_id, actor=actor, now=now)
    return result


def _key_of(label: str) -> str:
    """The column key of an error's column label, to sort errors in column order."""
    return next((c.key for c in COLUMNS if c.label == label), "")


def _write(cleaned: list[tuple[int, dict[str, Any]]], new_rows: list[tuple[int, dict[str, Any]]],
           existing: dict[str, Participant], units: dict[int, Unit], *, actor: User,
           now: datetime) -> list[Participant]:
    """Insert the new people and update the matched ones; return everyone in file order."""
    version = notice_version()
    codes = generate_codes(len(new_rows))
    if new_rows:
        db.session.execute(insert(Participant), [
            {**values, "code": code, "notice_version": version, "created_at": now, "updated_at": now}
            for (_, values), code in zip(new_rows, codes, strict=True)])
        created = {p.phone: p for p in db.session.scalars(
            select(Participant).where(Participant.code.in_(codes)).options(joinedload(Participant.unit)))}
    else:
        created = {}
    audit: list[dict[str, Any]] = []
    for _, values in cleaned:
        person = existing.get(values["phone"])
        if person is None:
            person = created[values["phone"]]
            audit.append(_audit_row(actor, "participant.create", person, now, {"via": "import"}))
            continue
        changed = [key for key in UPDATABLE if getattr(person, key) != values[key] and key != "name_search"
                   and not (key == "ethnic_minority" and values[key] is None)]
        if changed:
            details: dict[str, Any] = {"via": "import", "fields": sorted(changed)}
            if "unit_id" in changed:
                details["from_unit_id"] = person.unit_id
            for key in UPDATABLE:
                if key != "ethnic_minority" or values[key] is not None:  # empty: keep the stored flag
                    setattr(person, key, values[key])
            person.unit = units[values["unit_id"]]  # keeps the loaded relationship in step with unit_id
            person.notice_version = version
            audit.append(_audit_row(actor, "participant.update", person, now, details))
    db.session.flush()
    if audit:
        db.session.execute(insert(AuditEntry), audit)
    record_audit(actor, "participant.import", None, unit_id=actor.unit_id, created=len(new_rows),
                 updated=len(cleaned) - len(new_rows))
    return [existing.get(values["phone"]) or created[values["phone"]] for _, values in cleaned]


def _audit_row(actor: User, action: str, person: Participant, now: datetime, details: dict[str, Any]) -> dict:
    """An audit_log row for the bulk INSERT (IDs and field names only)."""
    return {"at": now, "actor_id": actor.id, "action": action, "object_type": "Participant", "object_id": person.id,
            "unit_id": person.unit_id, "details": details}
