"""Form helpers of the pages: WTForms filters that apply trainer's input rules field by field, fields
with Vietnamese messages, and the way a form page shows a refused submission.

`clean(label, max_length)` runs the one text rule (`core.text.clean_text`: NFC, single spaces, control,
zero-width and direction characters refused) on a typed text; a refused text becomes the field's error
with the rule's Vietnamese message, and the form shows again what the person typed. `visible` only refuses
hidden characters, for codes, phones and e-mails whose spacing matters to their own parser. `id_value` is a
`coerce` for ids sent back by a form: digits only, at most 2^31-1 (anything else is the field's error).
`date_field`, `time_field` and `max_length` give fields and validators their Vietnamese messages.
`show_error` puts a service's DomainError under the field it names (or above the form), and `render_form`
renders a form page with 422 when the submitted form has errors.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import time
from typing import Any

from flask import render_template, request
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from wtforms import DateField, Field, TimeField
from wtforms.validators import InputRequired, Length, Optional

from trainer.core.errors import DomainError
from trainer.core.text import clean_text, hidden_character

MAX_ID = 2**31 - 1
MAX_NUMBER = 2**31 - 1  # an IntegerField's largest value unless a field says less
# Service error fields that are named differently in the page forms.
FORM_FIELDS = {"unit_code": "unit", "cancel_reason": "reason", "starts_at": "day", "ends_at": "end_time"}
BAD_DATE = _l("Ngày không hợp lệ.")
BAD_TIME = _l("Giờ không hợp lệ (HH:MM).")
BAD_NUMBER = _l("Phải là số nguyên.")
BAD_CHOICE = _l("Lựa chọn không hợp lệ.")


def clean(label: str, max_length: int) -> Callable[[Any], Any]:
    """A filter: `clean_text` of the field's text; its refusal becomes the field's error."""

    def _filter(value: Any) -> Any:
        if not isinstance(value, str):
            return value
        try:
            return clean_text(value, "field", max_length, label=label)
        except DomainError as exc:
            raise ValueError(exc.said()) from None

    return _filter


def visible(value: Any) -> Any:
    """A filter refusing a text with a control, zero-width or direction character (kept as typed otherwise)."""
    if isinstance(value, str):
        found = hidden_character(value)
        if found is not None:
            position, ch = found
            code = f"{ord(ch):04X}"
            raise ValueError(gettext("Có ký tự ẩn hoặc ký tự điều khiển (U+%(code)s, ở vị trí %(position)s). Hãy "
                                     "gõ lại, đừng dán từ nơi khác.", code=code, position=position))
    return value


def id_value(value: Any) -> int:
    """`coerce` for an id sent by a form: ASCII digits, 1 to 2^31-1. Raises ValueError otherwise."""
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 10:
        number = int(value)
    else:
        raise ValueError(gettext("Mã không hợp lệ."))
    if not 1 <= number <= MAX_ID:
        raise ValueError(gettext("Mã không hợp lệ."))
    return number


def finite(value: Any) -> Any:
    """A filter refusing NaN and infinities in a DecimalField (comparing a NaN raises, a 500)."""
    if value is not None and hasattr(value, "is_finite") and not value.is_finite():
        raise ValueError(gettext("Phải là một số."))
    return value


def max_length(maximum: int) -> Length:
    """A Length validator with a Vietnamese message."""
    return Length(max=maximum, message=_l("Tối đa %(max)d ký tự."))


def date_field(label: str, *, required: bool = True) -> DateField:
    """A date field with Vietnamese messages."""
    return DateField(label, invalid_value_message=BAD_DATE,
                     validators=[InputRequired(_l("Nhập ngày.")) if required else Optional()])


def time_field(label: str, default: time | None = None) -> TimeField:
    """A time-of-day field (HH:MM) with Vietnamese messages."""
    return TimeField(label, default=default, invalid_value_message=BAD_TIME,
                     validators=[InputRequired(_l("Nhập giờ."))])


def show_error(form: Any, exc: DomainError) -> None:
    """Show a DomainError under the field it names, or above the form."""
    for name in exc.fields or {}:
        target = getattr(form, FORM_FIELDS.get(name, name), None)
        if isinstance(target, Field):
            target.errors = [*target.errors, exc.said_field(name)]
            return
    form.form_errors.append(exc.said())


def render_form(template: str, form: Any, **context: Any) -> tuple[str, int]:
    """Render a form page: 422 when the submitted form has errors (the typed values stay)."""
    failed = request.method == "POST" and (form.form_errors or any(f.errors for f in form))
    return render_template(template, form=form, **context), 422 if failed else 200
