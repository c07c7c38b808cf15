"""The participant's fields, shared by the services, the forms, the API and the Excel import: how each
typed value is cleaned and checked (phone, name, gender, target group, birth date, e-mail, position,
ethnic-minority flag), and the values a new or updated person gets whichever way they arrive (a fresh
personal code, the version of the data-protection notice, who already holds a phone).

Each rule raises ValidationError with a code and the field it names. Nothing here writes.
"""

from __future__ import annotations

import re
import secrets
from datetime import date, datetime
from typing import Any

from flask import current_app
from sqlalchemy import select

from trainer.accounts.models import User
from trainer.accounts.services import normalise_email
from trainer.core.errors import ValidationError
from trainer.core.permissions import Need, can
from trainer.core.text import N_, clean_text, fold
from trainer.curricula.models import TARGET_GROUP_LABELS, TargetGroup
from trainer.extensions import db
from trainer.participants.ethnicity import KINH, resolve_ethnicity
from trainer.participants.models import Gender, Participant

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read aloud and typed from badges
CODE_LENGTH = 8
GENDER_LABELS = {Gender.FEMALE: N_("Nữ"), Gender.MALE: N_("Nam")}
NAME_MAX, POSITION_MAX = 120, 200
OLDEST_BIRTH_DATE = date(1900, 1, 1)

_PHONE_SEPARATORS = re.compile(r"[\s.\-()/]")
_MOBILE = re.compile(r"0[35789]\d{8}")
_LANDLINE = re.compile(r"02\d{9}")
_DATE_DMY = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})")
_DATE_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_GENDERS = {"nu": Gender.FEMALE, "female": Gender.FEMALE, "f": Gender.FEMALE,
            "nam": Gender.MALE, "male": Gender.MALE, "m": Gender.MALE}
_TARGET_GROUPS = {**{fold(str(label)): group for group, label in TARGET_GROUP_LABELS.items()},
                  **{group.value: group for group in TargetGroup}}


def _invalid(code: str, message: str, field_name: str, **params: Any) -> ValidationError:
    """A ValidationError whose message (a msgid, filled from `params`) is also the named field's."""
    error = ValidationError(code, message, params=params)
    error.fields = {field_name: error.message}
    return error


# --- field rules ---------------------------------------------------------------------------------


def normalise_phone(raw: str, *, field_name: str = "phone") -> str:
    """A Vietnamese phone number as 0xxxxxxxxx ("+84 91 234 5600" → "0912345600").

    Mobiles have 10 digits (03, 05, 07, 08, 09...), landlines 11 (02...). Raises ValidationError('invalid_phone').
    """
    digits = _PHONE_SEPARATORS.sub("", str(raw or ""))
    for prefix in ("+84", "0084", "84"):
        if digits.startswith(prefix) and (prefix != "84" or len(digits) in (11, 12)):
            digits = "0" + digits[len(prefix):].removeprefix("0")  # "+84 (0) 91..." has a stray 0
            break
    if not (_MOBILE.fullmatch(digits) or _LANDLINE.fullmatch(digits)):
        raise _invalid("invalid_phone", N_("Số điện thoại không hợp lệ: số di động có 10 chữ số (03, 05, 07, 08, "
                                           "09…), số cố định có 11 chữ số (02…)."), field_name)
    return digits


def clean_name(raw: str | None) -> str:
    """The full name, NFC with single spaces.

    Raises ValidationError('invalid_characters' | 'name_required' | 'name_too_long')."""
    name = clean_text(raw, "full_name", NAME_MAX * 4, label=N_("họ và tên"))
    if not name:
        raise _invalid("name_required", N_("Chưa nhập họ và tên."), "full_name")
    if len(name) > NAME_MAX:
        raise _invalid("name_too_long", N_("Họ và tên dài quá %(max)s ký tự."), "full_name", max=NAME_MAX)
    return name


def parse_gender(raw: Any) -> Gender:
    """`female`/`male` or the Vietnamese Nữ/Nam. Raises ValidationError('invalid_gender')."""
    gender = _GENDERS.get(fold(str(raw or "")))
    if gender is None:
        raise _invalid("invalid_gender", N_("Giới tính phải là Nam hoặc Nữ."), "gender")
    return gender


def parse_target_group(raw: Any) -> TargetGroup:
    """A target group from its code or its Vietnamese label. Raises ValidationError('invalid_target_group')."""
    group = _TARGET_GROUPS.get(fold(str(raw or "")))
    if group is None:
        raise _invalid("invalid_target_group", N_("Nhóm đối tượng không có trong danh mục; chọn từ danh sách."),
                       "target_group")
    return group


def check_birth_date(value: date | None, *, today: date) -> date | None:
    """A plausible date of birth: not in the future, not before 1900. Raises ValidationError('invalid_birth_date')."""
    if isinstance(value, datetime):
        value = value.date()
    if value is not None and value > today:
        raise _invalid("invalid_birth_date", N_("Ngày sinh ở tương lai."), "birth_date")
    if value is not None and value < OLDEST_BIRTH_DATE:
        raise _invalid("invalid_birth_date", N_("Ngày sinh trước năm 1900, hãy kiểm tra lại."), "birth_date")
    return value


def parse_birth_date(raw: Any, *, today: date) -> date | None:
    """A date of birth from a date or a text: dd/mm/yyyy (also with - or .) or yyyy-mm-dd.

    Raises ValidationError('invalid_birth_date') for other shapes and impossible dates (31/02/1990).
    """
    if raw is None or isinstance(raw, date):
        return check_birth_date(raw, today=today)
    text = str(raw).strip()
    if not text:
        return None
    dmy, iso = _DATE_DMY.fullmatch(text), _DATE_ISO.fullmatch(text)
    if not (dmy or iso):
        raise _invalid("invalid_birth_date", N_("Ngày sinh phải ghi dạng ngày/tháng/năm, ví dụ 15/03/1985."),
                       "birth_date")
    day, month, year = (int(g) for g in dmy.groups()) if dmy else reversed([int(g) for g in iso.groups()])
    try:
        value = date(year, month, day)
    except ValueError:
        raise _invalid("invalid_birth_date", N_("Ngày sinh không có thật: ngày %(day)s, tháng %(month)s, năm "
                                                "%(year)s."), "birth_date", day=day, month=month, year=year) from None
    return check_birth_date(value, today=today)


def clean_email(raw: str | None) -> str | None:
    """A normalised e-mail address or None. Raises ValidationError('invalid_email')."""
    text = str(raw or "").strip()
    return normalise_email(text) if text else None


def clean_position(raw: str | None) -> str:
    """The position (chức vụ), NFC. Raises ValidationError('invalid_characters' | 'position_too_long')."""
    position = clean_text(raw, "position", POSITION_MAX * 4, label=N_("chức vụ"))
    if len(position) > POSITION_MAX:
        raise _invalid("position_too_long", N_("Chức vụ dài quá %(max)s ký tự."), "position", max=POSITION_MAX)
    return position


def minority_flag(ethnicity: str | None = None, ethnic_minority: bool | None = None) -> bool | None:
    """The ethnic-minority flag from a group name (preferred) or as given; only the flag is ever stored."""
    if ethnicity is not None and str(ethnicity).strip():
        return resolve_ethnicity(str(ethnicity)) != KINH
    return ethnic_minority


# --- values computed for every new or changed person ---------------------------------------------


def generate_codes(count: int) -> list[str]:
    """`count` new personal codes, distinct from each other and from every stored one (one query per try)."""
    codes: list[str] = []
    while len(codes) < count:
        wanted = count - len(codes)
        fresh = {"".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH)) for _ in range(wanted)}
        fresh -= set(codes)
        taken = set(db.session.scalars(select(Participant.code).where(Participant.code.in_(fresh))))
        codes.extend(sorted(fresh - taken))
    return codes


def notice_version() -> str:
    """The version of the data-protection notice shown now (PRIVACY_NOTICE_VERSION)."""
    return str(current_app.config["PRIVACY_NOTICE_VERSION"])


def duplicate_phone_message(existing: Participant, actor: User, *, import_row: bool = False
                            ) -> tuple[str, dict[str, str] | None]:
    """Who already has a phone, as a (msgid, params) pair: their name, code and unit for a caller who may view
    them; nothing about them otherwise (a phone number must not reveal a person outside the caller's scope).
    For an import row, that the caller may not change them."""
    if can(actor, Need.VIEW, existing):
        params = {"name": existing.full_name, "code": existing.code, "unit": existing.unit.name}
        if import_row:
            return N_("Số điện thoại này đã được đăng ký cho “%(name)s”, mã cá nhân %(code)s, đơn vị %(unit)s. Bạn "
                      "không có quyền sửa người này."), params
        return N_("Số điện thoại này đã được đăng ký cho “%(name)s”, mã cá nhân %(code)s, đơn vị %(unit)s."), params
    return N_("Số điện thoại này đã được đăng ký cho một người ngoài phạm vi quản lý của bạn. Hãy kiểm tra lại số; "
              "nếu số đã được cấp lại cho người khác, hãy đề nghị cấp quản lý chung (hoặc quản trị hệ thống) xử "
              "lý."), None
