"""The checks of one imported row: every cell through the participants' field rules, each problem a
RowError with its row, column, code and Vietnamese message.

Dates arrive in the shapes Excel users make: real date cells, dd/mm/yyyy and dd/mm/yy text, and
Excel serial numbers (31122 is 15/03/1985), which is what a date becomes when it is pasted into a
column formatted as text, like the template's.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from openpyxl.utils.datetime import from_excel

from trainer.accounts.models import User
from trainer.core.errors import DomainError, ValidationError
from trainer.core.permissions import Need, can
from trainer.core.text import N_, fold
from trainer.participants.excel.columns import BY_KEY, MISSING
from trainer.participants.excel.layout import RawRow
from trainer.participants.excel.reader import cell_text
from trainer.participants.excel.results import RowError
from trainer.participants.fields import (
    clean_email,
    clean_name,
    clean_position,
    minority_flag,
    normalise_phone,
    parse_birth_date,
    parse_gender,
    parse_target_group,
)
from trainer.units.models import Unit

FORMULA_MESSAGE = N_("Ô có công thức: hãy nhập giá trị (hoặc dán dạng giá trị) thay cho công thức.")
FIRST_SERIAL = 10_000  # 18/05/1927: smaller numbers are no birth date of anyone in training
_SHORT_DATE = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2})")
_YEAR_ONLY = N_("Ngày sinh cần đủ ngày, tháng, năm (ví dụ 15/03/1985); ô này chỉ có năm.")


def unit_code_candidates(value: Any) -> list[str]:
    """Codes a unit cell may mean: "07306 - Thị trấn Nhã Nam" → 07306; a number lost its leading zeros."""
    text = cell_text(value)
    code = text.split(" - ", 1)[0].split("-", 1)[0].strip() if text else ""
    if isinstance(value, int | float) and code.isdigit():
        return [code, *(code.zfill(width) for width in (5, 3, 2) if len(code) < width)]
    return [code] if code else []


def phone_text(value: Any) -> str:
    """A phone cell as text; a number typed in a General cell lost its leading 0 (912345600)."""
    text = cell_text(value)
    if isinstance(value, int | float) and text.isdigit() and text[0] in "2356789":
        return "0" + text
    return text


def _serial_date(number: float, epoch: datetime) -> date | str:
    """An Excel serial number as a date; a number too small to be a birth date stays as it was (refused)."""
    if number < FIRST_SERIAL or number > 2_958_465:  # 31/12/9999, Excel's last day
        return str(number)
    return from_excel(number, epoch).date()


def excel_birth_date(value: Any, *, epoch: datetime, today: date) -> Any:
    """A birth-date cell in a shape `parse_birth_date` takes: serial numbers become dates, dd/mm/yy gets its
    century (the latest that makes the person at least 15 years old). Raises ValidationError for a year alone."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        if float(value).is_integer() and 1900 <= value <= 2100:
            raise ValidationError("invalid_birth_date", _YEAR_ONLY, fields={"birth_date": _YEAR_ONLY})
        return _serial_date(value, epoch)
    if not isinstance(value, str):
        return value
    text = value.strip()
    if text.isdigit() and len(text) == 4 and 1900 <= int(text) <= 2100:
        raise ValidationError("invalid_birth_date", _YEAR_ONLY, fields={"birth_date": _YEAR_ONLY})
    if text.isdigit() and len(text) == 5:
        return _serial_date(int(text), epoch)
    short = _SHORT_DATE.fullmatch(text)
    if short:
        day, month, two_digits = (int(g) for g in short.groups())
        year = 2000 + two_digits if 2000 + two_digits <= today.year - 15 else 1900 + two_digits
        return f"{day}/{month}/{year}"
    return text


def clean_row(row: RawRow, units: dict[str, Unit], actor: User, *, today: date, epoch: datetime,
              errors: list[RowError]) -> tuple[dict[str, Any], bool]:
    """The row's checked values and whether all were right; its problems are added to `errors`."""
    values: dict[str, Any] = {}
    count = len(errors)

    def fail(key: str, code: str, message: str, params: dict[str, Any] | None = None) -> None:
        """Report a problem of this row's `key` column."""
        errors.append(RowError(row.number, BY_KEY[key].label, message, code, params=params or None))

    for key in row.formulas:
        fail(key, "formula_cell", FORMULA_MESSAGE)
    raw = {k: v for k, v in row.values.items() if k not in row.formulas}
    checks = (
        ("full_name", lambda v: clean_name(cell_text(v))),
        ("gender", lambda v: parse_gender(cell_text(v))),
        ("birth_date", lambda v: parse_birth_date(excel_birth_date(v, epoch=epoch, today=today), today=today)),
        ("phone", lambda v: normalise_phone(phone_text(v))),
        ("email", lambda v: clean_email(cell_text(v))),
        ("position", lambda v: clean_position(cell_text(v))),
        ("target_group", lambda v: parse_target_group(cell_text(v))),
        ("ethnicity", lambda v: minority_flag(cell_text(v))),
    )
    for key, check in checks:
        if key in row.formulas:
            continue
        if raw.get(key) is None and BY_KEY[key].required and key != "ethnicity":
            fail(key, "required", MISSING[key])
            continue
        try:
            values[key] = check(raw.get(key))
        except DomainError as exc:
            fail(key, exc.code, exc.template, exc.params)
    if "unit" not in row.formulas:
        unit = next((units[c] for c in unit_code_candidates(raw.get("unit")) if c in units), None)
        if raw.get("unit") is None:
            fail("unit", "required", N_("Chưa chọn đơn vị."))
        elif unit is None:
            fail("unit", "unknown_unit", N_("Không có đơn vị “%(unit)s” trong danh mục; chọn từ danh sách (dạng “mã - "
                                            "tên”)."), {"unit": cell_text(raw.get("unit"))[:80]})
        elif not can(actor, Need.MANAGE, unit):
            fail("unit", "unit_not_manageable", N_("Bạn không có quyền quản lý cán bộ của đơn vị %(code)s - %(name)s."),
                 {"code": unit.code, "name": unit.name})
        else:
            values["unit_id"] = unit.id
    if len(errors) > count:
        return values, False
    values["ethnic_minority"] = values.pop("ethnicity")
    values["name_search"] = fold(values["full_name"])
    return values, True
