"""Vietnamese text helpers: the one text-cleaning rule, and accent-insensitive folding for search.

Every text a person types (names, titles, positions, venues, reasons) goes through `clean_text`:
NFC, whitespace collapsed, and refused (422 `invalid_characters`) when it holds a character nobody
types on purpose: control characters (U+0001 breaks every .xlsx, NUL breaks SQLite), zero-width
characters (a name search then misses it) and direction overrides (a certificate can be spoofed
visually). The message says which character and where.
"""

from __future__ import annotations

import re
import unicodedata

from trainer.core.errors import N_ as N_  # re-exported: the marker's usual home
from trainer.core.errors import Phrase, ValidationError

_SPACES = re.compile(r"\s+")


def nfc(text: str) -> str:
    """NFC-normalised text with runs of whitespace collapsed; NFD input draws badly in PDFs."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


# Unicode categories refused in typed text: controls, format characters (zero-width, direction marks and
# overrides, soft hyphen, BOM), surrogates, private use, line and paragraph separators. Tab and line
# breaks are whitespace: collapsed to a space, not refused.
_REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Zl", "Zp"})
_WHITESPACE_CONTROLS = frozenset("\t\n\r\x0b\x0c")


def hidden_character(text: str) -> tuple[int, str] | None:
    """The first character of `text` that must not be stored, with its 1-based position; None if none."""
    for position, ch in enumerate(text, start=1):
        if unicodedata.category(ch) in _REFUSED_CATEGORIES and ch not in _WHITESPACE_CONTROLS:
            return position, ch
    return None


def _refuse(code: str, message: str, field_name: str, params: dict[str, object]) -> None:
    """Raise ValidationError(code) with `message` (a template filled from `params`) on `field_name`."""
    error = ValidationError(code, message, params=params)
    error.fields = {field_name: error.message}
    raise error


def clean_text(value: object, field_name: str, max_length: int, *, label: str, required: bool = False) -> str:
    """Typed text as trainer stores it: NFC, single spaces, at most `max_length` characters, nothing hidden.

    Raises ValidationError('invalid_characters' | 'required' | 'too_long'), with `fields[field_name]`.
    """
    raw = value if isinstance(value, str) else ("" if value is None else str(value))
    name = str(label)  # a msgid (N_), or a form's lazy label: its text already in the page's language
    params = {"label": Phrase(name), "Label": Phrase(name, capital=True)}
    found = hidden_character(unicodedata.normalize("NFC", raw))
    if found is not None:
        position, ch = found
        _refuse("invalid_characters", N_("%(Label)s có ký tự ẩn hoặc ký tự điều khiển (U+%(code)s, ở vị trí "
                                         "%(position)s). Hãy gõ lại, đừng dán từ nơi khác."),
                field_name, {**params, "code": f"{ord(ch):04X}", "position": position})
    text = nfc(raw)
    if required and not text:
        _refuse("required", N_("Nhập %(label)s."), field_name, params)
    if len(text) > max_length:
        _refuse("too_long", N_("%(Label)s dài quá %(max)s ký tự."), field_name, {**params, "max": max_length})
    return text


def fold(text: str) -> str:
    """Lower-case text without diacritics (đ → d), for search that works alike on SQLite and Postgres."""
    decomposed = unicodedata.normalize("NFD", nfc(text).replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def like_pattern(query: str) -> str:
    """A LIKE pattern matching folded text that contains every word of `query` in order."""
    words = [w.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") for w in fold(query).split()]
    return "%" + "%".join(words) + "%"
