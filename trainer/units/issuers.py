"""Use-cases of a unit's issuer settings by period: who issues and signs its documents on a date.

The settings of a period override the defaults of trainer.documents.issuers; a field left blank in a period takes
the default of that date. Periods of one unit never overlap.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from sqlalchemy import select

from trainer.accounts.models import User
from trainer.audit.services import record_audit
from trainer.core.errors import N_, ValidationError, said
from trainer.core.text import clean_text
from trainer.documents.issuers import Letterhead, default_issuer, default_recipients
from trainer.extensions import db
from trainer.units.models import Unit, UnitIssuer

# (field, maximum length, Vietnamese label, required)
FIELDS = (
    ("agency_parent", 200, N_("cơ quan chủ quản"), False),
    ("agency_name", 200, N_("cơ quan ban hành"), True),
    ("agency_abbr", 20, N_("chữ viết tắt của cơ quan"), False),
    ("place_name", 100, N_("địa danh"), True),
    ("signer_prefix", 100, N_("quyền hạn ký (TM., KT., Q., TL., TUQ.)"), False),
    ("signer_title", 100, N_("chức vụ người ký"), True),
    ("signer_name", 100, N_("họ tên người ký"), False),
)
NO_ISSUER = N_("Không có cơ quan ban hành mặc định cho %(unit)s vào ngày %(day)s: từ 01/07/2025 không còn cấp huyện "
               "và các đơn vị của danh mục 2024 không ban hành văn bản. Hãy chọn cơ quan ban hành (ví dụ UBND xã hoặc "
               "Sở Văn hóa, Thể thao và Du lịch của tỉnh) và người ký.")
MAX_RECIPIENTS = 1000


def _fmt(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else "…"


def stored_issuer(unit: Unit, on: date) -> UnitIssuer | None:
    """The unit's settings whose period covers `on` (the unit's periods are loaded once)."""
    return next((issuer for issuer in unit.issuers if issuer.covers(on)), None)


def recipients_of(issuer: UnitIssuer) -> tuple[str, ...]:
    """The stored recipients, one a line."""
    return tuple(line.strip() for line in (issuer.recipients or "").splitlines() if line.strip())


def issuer_in_force(unit: Unit, on: date, *, unit_name: str | None = None) -> Letterhead | None:
    """Who issues `unit`'s documents dated `on`: its settings for that date, blank fields filled from the default
    of that date (derived from `unit_name`, default the unit's name); None when neither exists (a unit of the 2024
    list after 1 July 2025 without settings for that time). Two queries at most (periods, parent)."""
    default = default_issuer(unit_name or unit.name, unit.level.value, unit.scheme, on)
    stored = stored_issuer(unit, on)
    if stored is None:
        return default
    base = default or Letterhead(parent_agency="", agency="", place_name="")
    recipients = recipients_of(stored) or (base.recipients if default else
                                           default_recipients(unit.level.value, unit.scheme, on, stored.agency_abbr))
    return replace(base, parent_agency=stored.agency_parent or base.parent_agency,
                   agency=stored.agency_name or base.agency, place_name=stored.place_name or base.place_name,
                   signer_prefix=stored.signer_prefix if stored.signer_title else base.signer_prefix,
                   signer_title=stored.signer_title or base.signer_title,
                   signer_name=stored.signer_name or base.signer_name,
                   agency_abbr=stored.agency_abbr or base.agency_abbr, recipients=recipients)


def no_issuer_message(unit_name: str, on: date) -> str:
    """Why a document dated `on` has no issuer, and what to do (in the page's language; Vietnamese outside a
    request)."""
    return said(NO_ISSUER, {"unit": unit_name, "day": _fmt(on)})


def list_issuers(unit: Unit) -> list[UnitIssuer]:
    """The unit's periods, earliest first (an open start first)."""
    stmt = select(UnitIssuer).where(UnitIssuer.unit_id == unit.id)
    return sorted(db.session.scalars(stmt), key=lambda i: i.valid_from or date.min)


def _check_period(unit: Unit, valid_from: date | None, valid_to: date | None, *, exclude_id: int | None) -> None:
    """Raise ValidationError('invalid_period' | 'issuer_overlap')."""
    if valid_from and valid_to and valid_to < valid_from:
        message = N_("Ngày hết hiệu lực phải bằng hoặc sau ngày bắt đầu hiệu lực.")
        raise ValidationError("invalid_period", message, fields={"valid_to": message})
    for other in list_issuers(unit):
        if other.id == exclude_id:
            continue
        starts_before_other_ends = other.valid_to is None or valid_from is None or valid_from <= other.valid_to
        ends_after_other_starts = other.valid_from is None or valid_to is None or other.valid_from <= valid_to
        if starts_before_other_ends and ends_after_other_starts:
            message = N_("Thời gian hiệu lực trùng với thiết lập “%(agency)s” (từ %(start)s đến %(end)s). Mỗi ngày "
                         "chỉ có một cơ quan ban hành: sửa ngày của thiết lập đó trước.")
            raise ValidationError("issuer_overlap", message, fields={"valid_from": message}, params={
                "agency": other.agency_name, "start": _fmt(other.valid_from), "end": _fmt(other.valid_to)})


def clean_issuer_values(values: dict[str, Any]) -> dict[str, str]:
    """The typed settings cleaned (NFC, single spaces, lengths). Raises ValidationError naming the field."""
    cleaned = {name: clean_text(values.get(name), name, length, label=label, required=required)
               for name, length, label, required in FIELDS}
    lines = [clean_text(line, "recipients", 200, label=N_("nơi nhận"))
             for line in str(values.get("recipients") or "").splitlines()]
    cleaned["recipients"] = "\n".join(line for line in lines if line)
    if len(cleaned["recipients"]) > MAX_RECIPIENTS:
        message = N_("Nơi nhận dài quá %(max)s ký tự.")
        raise ValidationError("too_long", message, fields={"recipients": message}, params={"max": MAX_RECIPIENTS})
    return cleaned


def save_issuer(unit: Unit, *, actor: User, valid_from: date | None, valid_to: date | None,
                values: dict[str, Any], issuer: UnitIssuer | None = None) -> UnitIssuer:
    """Create (or change `issuer`) the unit's settings for [valid_from, valid_to] (None: unbounded).

    Courses already planned keep their copy. Raises ValidationError('invalid_period' | 'issuer_overlap' |
    'required' | 'too_long' | 'invalid_characters').
    """
    cleaned = clean_issuer_values(values)
    _check_period(unit, valid_from, valid_to, exclude_id=issuer.id if issuer else None)
    if issuer is None:
        issuer = UnitIssuer(unit=unit)
        db.session.add(issuer)
    issuer.valid_from, issuer.valid_to = valid_from, valid_to
    for name, value in cleaned.items():
        setattr(issuer, name, value)
    db.session.flush()
    record_audit(actor, "unit.issuer_save", unit, unit_id=unit.id, issuer_id=issuer.id,
                 valid_from=valid_from.isoformat() if valid_from else None,
                 valid_to=valid_to.isoformat() if valid_to else None)
    return issuer


def delete_issuer(issuer: UnitIssuer, *, actor: User) -> None:
    """Remove a period of settings (its dates fall back to the defaults)."""
    unit = issuer.unit
    record_audit(actor, "unit.issuer_delete", unit, unit_id=unit.id, issuer_id=issuer.id)
    db.session.delete(issuer)
    db.session.flush()
