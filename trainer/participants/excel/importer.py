"""The participants import: check every row, then write them all in bulk statements or nothing.

Called through `participants.services.import_participants`. A row is matched to a registered person
by phone. A matched person is updated field by field, and every field that changes is listed (on
the dry run too). Phone numbers are recycled, so a matched person whose name differs (ignoring
case, diacritics and spacing) is not updated: the row is an `identity_conflict`, and when the user
confirms, it creates a new person while the earlier holder keeps their history without the phone.

The number of SQL statements does not grow with the number of rows: units, existing phones and
code collisions are each one query, new rows one bulk INSERT, changed rows a few UPDATE
executemany batches, audit entries one bulk INSERT.
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
from trainer.core.permissions import Need, can
from trainer.core.text import N_, fold
from trainer.curricula.models import TARGET_GROUP_LABELS
from trainer.extensions import db
from trainer.participants.excel.columns import BY_KEY, COLUMNS, MISSING
from trainer.participants.excel.layout import RawRow
from trainer.participants.excel.reader import read_workbook
from trainer.participants.excel.results import FieldChange, IdentityConflict, ImportResult, RowError
from trainer.participants.excel.rows import clean_row, unit_code_candidates
from trainer.participants.fields import GENDER_LABELS, duplicate_phone_message, generate_codes, notice_version
from trainer.participants.models import Participant
from trainer.units.models import Unit

UPDATABLE = ("full_name", "gender", "birth_date", "ethnic_minority", "email", "unit_id", "position", "target_group")
API_FIELD = {"unit_id": "unit_code"}
LABELS = {"full_name": "Họ và tên", "gender": "Giới tính", "birth_date": "Ngày sinh", "ethnic_minority":
          "Dân tộc thiểu số", "email": "Email", "unit_id": "Đơn vị", "position": "Chức vụ",
          "target_group": "Nhóm đối tượng", "phone": "Số điện thoại"}
_ORDER = {c.key: i for i, c in enumerate(COLUMNS)}
Cleaned = tuple[int, dict[str, Any]]


def same_person_name(a: str, b: str) -> bool:
    """Two names of one person: equal without regard to case, diacritics or spacing."""
    return "".join(fold(a).split()) == "".join(fold(b).split())


def _has_diacritics(name: str) -> bool:
    """Whether a name carries Vietnamese marks (or đ)."""
    return fold(name) != name.lower()


def _load_units(rows: list[RawRow], scheme: str) -> dict[str, Unit]:
    """Every unit the file names, by code, in one query."""
    codes = {c for row in rows for c in unit_code_candidates(row.values.get("unit"))}
    if not codes:
        return {}
    return {u.code: u for u in db.session.scalars(select(Unit).where(Unit.scheme == scheme, Unit.code.in_(codes)))}


def _check_duplicates(phones: list[tuple[int, str]], errors: list[RowError]) -> None:
    """Report both (all) rows of a phone number that appears more than once in the file."""
    rows_by_phone: dict[str, list[int]] = {}
    for number, phone in phones:
        rows_by_phone.setdefault(phone, []).append(number)
    label = BY_KEY["phone"].label
    for numbers in rows_by_phone.values():
        for number in numbers if len(numbers) > 1 else ():
            others = ", ".join(str(n) for n in numbers if n != number)
            errors.append(RowError(number, label, N_("Số điện thoại trùng với dòng %(rows)s trong tệp."),
                                   "duplicate_in_file", params={"rows": others}))


_CONFLICT = N_("Số điện thoại này đang là của “%(holder)s” (mã cá nhân %(code)s, %(unit)s), khác tên với dòng này "
               "(“%(name)s”). Số điện thoại có thể đã được cấp lại cho người khác. Nếu đây là hai người khác nhau, "
               "hãy xác nhận: hệ thống tạo người mới với số này, người cũ giữ nguyên lịch sử học nhưng bỏ số điện "
               "thoại. Nếu chỉ là sửa tên, hãy sửa trên trang của người đó rồi nhập lại.")


def _conflict_params(holder: Participant, name: str) -> dict[str, str]:
    """What the message of a row not applied to the person who has its phone names."""
    return {"holder": holder.full_name, "code": holder.code, "unit": holder.unit.name, "name": name}


def _match(cleaned: list[Cleaned], existing: dict[str, Participant], actor: User, result: ImportResult
           ) -> tuple[list[Cleaned], list[tuple[int, dict[str, Any], Participant]], list[IdentityConflict]]:
    """Split the good rows into new people, updates of the person with the phone, and identity conflicts;
    report the rows that may not be applied (someone outside the actor's scope, no ethnicity for a new person)."""
    label = BY_KEY["phone"].label
    new_rows, updates, conflicts = [], [], []
    for number, values in cleaned:
        holder = existing.get(values["phone"])
        if holder is not None and not can(actor, Need.MANAGE, holder):
            template, params = duplicate_phone_message(holder, actor, import_row=True)
            result.errors.append(RowError(number, label, template, "duplicate_phone", params=params))
            continue
        if holder is not None and not same_person_name(holder.full_name, values["full_name"]):
            conflict = IdentityConflict(number, values["full_name"], holder)
            conflicts.append(conflict)
            if not result.confirm_identity:
                result.errors.append(RowError(number, BY_KEY["full_name"].label, _CONFLICT, "identity_conflict",
                                              participant_id=holder.id,
                                              params=_conflict_params(holder, values["full_name"])))
                continue
            holder = None  # confirmed: a new person
        if holder is None:
            if values["ethnic_minority"] is None:
                result.errors.append(RowError(number, BY_KEY["ethnicity"].label, MISSING["ethnicity"],
                                              "ethnicity_required"))
            new_rows.append((number, values))
        else:
            updates.append((number, values, holder))
    return new_rows, updates, conflicts


def _text(key: str, value: Any, units: dict[int, Unit]) -> str:
    """A stored value as the pages show it."""
    if value is None or value == "":
        return "(trống)"
    if key == "gender":
        return str(GENDER_LABELS[value])
    if key == "target_group":
        return str(TARGET_GROUP_LABELS[value])
    if key == "birth_date":
        return value.strftime("%d/%m/%Y")
    if key == "ethnic_minority":
        return "Có" if value else "Không"
    if key == "unit_id":
        unit = units.get(value)
        return f"{unit.code} - {unit.name}" if unit else str(value)
    return str(value)


def _api(key: str, value: Any, units: dict[int, Unit]) -> Any:
    """A stored value as the API shows it."""
    if value is None:
        return None
    if key == "unit_id":
        unit = units.get(value)
        return unit.code if unit else None
    if key == "birth_date":
        return value.isoformat()
    return value.value if hasattr(value, "value") else value


def _field_changes(number: int, person: Participant, values: dict[str, Any], units: dict[int, Unit]
                   ) -> list[FieldChange]:
    """The fields row `number` changes on `person`; `values` is adjusted to what will be stored."""
    if values["full_name"] != person.full_name and not _has_diacritics(values["full_name"]) and \
            _has_diacritics(person.full_name):
        values["full_name"], values["name_search"] = person.full_name, person.name_search  # keep the marks
    if values["ethnic_minority"] is None:
        values["ethnic_minority"] = person.ethnic_minority  # an empty ethnicity keeps the stored flag
    changes = []
    for key in UPDATABLE:
        old, new = getattr(person, key), values[key]
        if old != new:
            changes.append(FieldChange(number, person.id, API_FIELD.get(key, key), _api(key, old, units),
                                       _api(key, new, units), person.full_name, LABELS[key],
                                       _text(key, old, units), _text(key, new, units)))
    return changes


def run_import(fileobj: IO[bytes], *, actor: User, dry_run: bool, confirm_identity: bool, scheme: str,
               now: datetime) -> ImportResult:
    """Check and (unless `dry_run` or any error) write the rows of an uploaded workbook; see import_participants."""
    sheet = read_workbook(fileobj)
    result = ImportResult(rows=len(sheet.rows), dry_run=dry_run, confirm_identity=confirm_identity,
                          sheet=sheet.title, header_rows=(sheet.header_first, sheet.header_row))
    units = _load_units(sheet.rows, scheme)
    today = local_today(now)
    cleaned: list[Cleaned] = []
    phones: list[tuple[int, str]] = []
    for row in sheet.rows:
        values, ok = clean_row(row, units, actor, today=today, epoch=sheet.epoch, errors=result.errors)
        if "phone" in values:
            phones.append((row.number, values["phone"]))
        if ok:
            cleaned.append((row.number, values))
    _check_duplicates(phones, result.errors)
    wanted = [values["phone"] for _, values in cleaned]
    existing = {p.phone: p for p in db.session.scalars(
        select(Participant).where(Participant.phone.in_(wanted)).options(joinedload(Participant.unit)))} \
        if wanted else {}
    new_rows, updates, result.conflicts = _match(cleaned, existing, actor, result)
    if result.errors:
        result.errors.sort(key=lambda e: (e.row, _ORDER.get(_key_of(e.column), 99)))
        return result
    units_by_id = {u.id: u for u in units.values()} | {p.unit_id: p.unit for p in existing.values()}
    changed: list[tuple[int, dict[str, Any], Participant]] = []
    for number, values, person in updates:
        changes = _field_changes(number, person, values, units_by_id)
        result.changes.extend(changes)
        if changes:
            changed.append((number, values, person))
    released = [c.holder for c in result.conflicts]
    result.changes.extend(FieldChange(c.row, c.holder.id, "phone", c.holder.phone, None, c.holder.full_name,
                                      LABELS["phone"], c.holder.phone or "", "(trống)") for c in result.conflicts)
    result.changes.sort(key=lambda c: (c.row, c.field != "phone"))
    result.created, result.updated, result.unchanged = len(new_rows), len(changed), len(updates) - len(changed)
    if not dry_run:
        created = _write(new_rows, changed, released, units_by_id, actor=actor, now=now)
        by_row = {number: person for number, _, person in updates} | created
        result.participants = [by_row[number] for number, _ in cleaned]
        record_audit(actor, "participant.import", None, unit_id=actor.unit_id, created=result.created,
                     updated=result.updated, phones_reassigned=len(released))
    return result


def _key_of(label: str) -> str:
    """The column key of an error's column label, to sort errors in column order."""
    return next((c.key for c in COLUMNS if c.label == label), "")


def _write(new_rows: list[Cleaned], changed: list[tuple[int, dict[str, Any], Participant]],
           released: list[Participant], units: dict[int, Unit], *, actor: User, now: datetime
           ) -> dict[int, Participant]:
    """Free the phones of earlier holders, insert the new people, update the changed ones; return the new
    people by row number."""
    version = notice_version()
    audit: list[dict[str, Any]] = []
    for holder in released:  # first, so that the new holders can take the numbers (phones are unique)
        holder.phone = None
        audit.append(_audit_row(actor, "participant.update", holder, now,
                                {"via": "import", "fields": ["phone"], "reason": "identity_conflict"}))
    db.session.flush()
    created: dict[int, Participant] = {}
    if new_rows:
        codes = generate_codes(len(new_rows))
        db.session.execute(insert(Participant), [
            {**values, "code": code, "notice_version": version, "created_at": now, "updated_at": now}
            for (_, values), code in zip(new_rows, codes, strict=True)])
        by_code = {p.code: p for p in db.session.scalars(
            select(Participant).where(Participant.code.in_(codes)).options(joinedload(Participant.unit)))}
        created = {number: by_code[code] for (number, _), code in zip(new_rows, codes, strict=True)}
        audit.extend(_audit_row(actor, "participant.create", person, now, {"via": "import"})
                     for person in created.values())
    for _, values, person in changed:
        fields = sorted(key for key in UPDATABLE if getattr(person, key) != values[key])
        details: dict[str, Any] = {"via": "import", "fields": fields}
        if "unit_id" in fields:
            details["from_unit_id"] = person.unit_id
        for key in (*UPDATABLE, "name_search"):
            setattr(person, key, values[key])
        person.unit = units[values["unit_id"]]  # keeps the loaded relationship in step with unit_id
        person.notice_version = version
        audit.append(_audit_row(actor, "participant.update", person, now, details))
    db.session.flush()
    if audit:
        db.session.execute(insert(AuditEntry), audit)
    return created


def _audit_row(actor: User, action: str, person: Participant, now: datetime, details: dict[str, Any]) -> dict:
    """An audit_log row for the bulk INSERT (IDs and field names only)."""
    return {"at": now, "actor_id": actor.id, "action": action, "object_type": "Participant", "object_id": person.id,
            "unit_id": person.unit_id, "details": details}
