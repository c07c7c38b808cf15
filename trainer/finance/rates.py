"""Use-cases of each province's rates: the lecturer fee per session by tier and the trainee's daily support,
in whole đồng, from a date on (until the next entry), with the resolution they come from.

Circular 36/2018/TT-BTC and the programme's finance circular set ceilings and leave the amounts to each
province's People's Council; the finance office (a reviewer) or an admin enters them. A course uses the rates
in force on its first day."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Select, select

from trainer.accounts.models import User
from trainer.audit.services import record_audit
from trainer.core.api import parse_date
from trainer.core.errors import DomainError, ValidationError
from trainer.core.permissions import Need, can, is_admin
from trainer.core.text import clean_text
from trainer.extensions import db
from trainer.finance.lecturers import province_of
from trainer.finance.models import TIERS, ProvinceRate
from trainer.units.models import Unit, UnitLevel
from trainer.units.services import default_scheme

MAX_FEE = 100_000_000  # đồng per session: far above any province's rate, below any typing slip's
MAX_SUPPORT = 10_000_000  # đồng per day


def may_set_rates(actor: Any, unit: Unit | None = None) -> bool:
    """Reviewers (the finance office, in their unit's subtree) and admins enter a province's rates."""
    if is_admin(actor):
        return True
    return str(getattr(actor, "role", "")) == "reviewer" and (unit is None or can(actor, Need.VIEW, unit))


def may_view_rates(actor: Any, province: Unit) -> bool:
    """Everyone working in the province (or above it) sees its rates."""
    if is_admin(actor) or can(actor, Need.VIEW, province):
        return True
    unit = getattr(actor, "unit", None)
    return unit is not None and province_of(unit).id == province.id


def rates_province(actor: User, code: Any, *, scheme: str | None = None, manage: bool = True) -> Unit:
    """The province of `code` whose rates the actor may enter (`manage`) or see.

    Raises DomainError('forbidden', 403) for an organizer entering rates, DomainError('unit_not_found', 404) for a
    code unknown or out of reach, ValidationError('not_a_province') for a district or commune."""
    if manage and not may_set_rates(actor):
        raise DomainError("forbidden", "Chỉ cán bộ tài chính (theo dõi, báo cáo) hoặc quản trị mới nhập định mức chi.",
                          status=403)
    code = str(code or "").strip()
    stmt = select(Unit).where(Unit.code == code)
    if scheme:
        stmt = stmt.where(Unit.scheme == scheme)
    else:  # the caller's scheme, else the configured one (TRAINER_UNIT_SCHEME)
        unit = getattr(actor, "unit", None)
        stmt = stmt.where(Unit.scheme == (unit.scheme if unit is not None else default_scheme()))
    unit = db.session.scalars(stmt.order_by(Unit.scheme)).first() if code else None
    if unit is None:
        reachable = False
    else:
        reachable = may_set_rates(actor, unit) if manage else may_view_rates(actor, province_of(unit))
    if not reachable:
        message = f"Không tìm thấy đơn vị mã “{code}” trong phạm vi của bạn."
        raise DomainError("unit_not_found", message, fields={"unit_code": message}, status=404)
    if unit.level is not UnitLevel.PROVINCE:
        message = "Định mức chi do cấp tỉnh ban hành: chọn một tỉnh, thành phố."
        raise ValidationError("not_a_province", message, fields={"unit_code": message})
    return unit


def _amount(value: Any, field: str, maximum: int) -> int:
    """Whole đồng from 0 to `maximum` (an int, or digits with dot grouping from a form)."""
    if isinstance(value, str):
        digits = value.strip().replace(".", "").replace(" ", "").replace(",", "")
        value = int(digits) if digits.isdigit() else None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= maximum:
        message = f"Số tiền phải là số nguyên đồng, từ 0 đến {maximum:,}.".replace(",", ".")
        raise ValidationError("invalid_amount", message, fields={field: message})
    return value


def check_rates(valid_from: Any, fees: Any, support: Any, source: Any) -> dict[str, Any]:
    """The checked values of a rate entry. Raises ValidationError('invalid_date' | 'invalid_amount' |
    'required' | 'too_long')."""
    day = valid_from if isinstance(valid_from, date) else parse_date(valid_from, "valid_from")
    if not isinstance(fees, dict) or not fees or set(fees) - {str(t) for t in TIERS}:
        message = "Nhập mức chi theo hạng giảng viên: khóa là \"1\", \"2\", \"3\", \"4\"."
        raise ValidationError("invalid_amount", message, fields={"lecturer_fee_per_session": message})
    checked = {str(t): _amount(fees[str(t)], f"fee_{t}", MAX_FEE) for t in TIERS if str(t) in fees}
    return {"valid_from": day, "lecturer_fee_per_session": checked,
            "trainee_support_per_day": _amount(support, "trainee_support_per_day", MAX_SUPPORT),
            "source": clean_text(source, "source", 300, label="văn bản quy định", required=True)}


def set_rates(actor: User, province: Unit, values: dict[str, Any]) -> tuple[ProvinceRate, bool]:
    """Enter the province's rates from `values["valid_from"]` (replacing an entry of that same date); logged.
    Returns the entry and whether it is new. The caller commits."""
    rate = db.session.scalar(select(ProvinceRate).where(ProvinceRate.unit_id == province.id,
                                                        ProvinceRate.valid_from == values["valid_from"]))
    created = rate is None
    if created:
        rate = ProvinceRate(unit_id=province.id, **values, updated_by_id=actor.id)
        db.session.add(rate)
    else:
        for key, value in values.items():
            setattr(rate, key, value)
        rate.updated_by_id = actor.id
    db.session.flush()
    record_audit(actor, "rates.set", province, unit_id=province.id, valid_from=values["valid_from"].isoformat(),
                 created=created)
    return rate, created


def list_rates(province: Unit) -> Select:
    """The province's rate entries, newest first."""
    return select(ProvinceRate).where(ProvinceRate.unit_id == province.id).order_by(ProvinceRate.valid_from.desc())


def rates_in_force(province: Unit, on: date) -> ProvinceRate | None:
    """The province's entry in force on `on`: the latest from that day or before (None: none entered)."""
    return db.session.scalars(list_rates(province).where(ProvinceRate.valid_from <= on).limit(1)).first()


def rate_json(rate: ProvinceRate) -> dict[str, Any]:
    """An entry as the API shows it."""
    return {"unit_code": rate.unit.code, "valid_from": rate.valid_from.isoformat(),
            "lecturer_fee_per_session": {k: int(v) for k, v in sorted(rate.lecturer_fee_per_session.items())},
            "trainee_support_per_day": rate.trainee_support_per_day, "source": rate.source}
