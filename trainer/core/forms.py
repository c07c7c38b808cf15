"""WTForms filters that apply trainer's input rules to HTML forms, field by field.

`clean(label, max_length)` runs the one text rule (`core.text.clean_text`: NFC, single spaces, control,
zero-width and direction characters refused) on a typed text; a refused text becomes the field's error
with the rule's Vietnamese message, and the form shows again what the person typed. `visible` only refuses
hidden characters, for codes, phones and e-mails whose spacing matters to their own parser. `id_value` is a
`coerce` for ids sent back by a form: digits only, at most 2^31-1 (anything else is the field's error).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from trainer.core.errors import DomainError
from trainer.core.text import clean_text, hidden_character

MAX_ID = 2**31 - 1
MAX_NUMBER = 2**31 - 1  # an IntegerField's largest value unless a field says less


def clean(label: str, max_length: int) -> Callable[[Any], Any]:
    """A filter: `clean_text` of the field's text; its refusal becomes the field's error."""

    def _filter(value: Any) -> Any:
        if not isinstance(value, str):
            return value
        try:
            return clean_text(value, "field", max_length, label=label)
        except DomainError as exc:
            raise ValueError(exc.message) from None

    return _filter


def visible(value: Any) -> Any:
    """A filter refusing a text with a control, zero-width or direction character (kept as typed otherwise)."""
    if isinstance(value, str):
        found = hidden_character(value)
        if found is not None:
            position, ch = found
            raise ValueError(f"Có ký tự ẩn hoặc ký tự điều khiển (U+{ord(ch):04X}, ở vị trí {position}). "
                             "Hãy gõ lại, đừng dán từ nơi khác.")
    return value


def id_value(value: Any) -> int:
    """`coerce` for an id sent by a form: ASCII digits, 1 to 2^31-1. Raises ValueError otherwise."""
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 10:
        number = int(value)
    else:
        raise ValueError("Mã không hợp lệ.")
    if not 1 <= number <= MAX_ID:
        raise ValueError("Mã không hợp lệ.")
    return number


def finite(value: Any) -> Any:
    """A filter refusing NaN and infinities in a DecimalField (comparing a NaN raises, a 500)."""
    if value is not None and hasattr(value, "is_finite") and not value.is_finite():
        raise ValueError("Phải là một số.")
    return value
