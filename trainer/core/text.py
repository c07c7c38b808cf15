"""Vietnamese text helpers: NFC normalisation and accent-insensitive folding for search."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def N_(message: str) -> str:  # noqa: N802 - the gettext marker's conventional name, known to pybabel
    """Mark `message` for the translation catalogue, unchanged: labels kept in tables are translated
    where they are shown (`_(label)` in templates), and stay Vietnamese in documents and API errors."""
    return message


def nfc(text: str) -> str:
    """NFC-normalised text with runs of whitespace collapsed; NFD input draws badly in PDFs."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def fold(text: str) -> str:
    """Lower-case text without diacritics (đ → d), for search that works alike on SQLite and Postgres."""
    decomposed = unicodedata.normalize("NFD", nfc(text).replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def like_pattern(query: str) -> str:
    """A LIKE pattern matching folded text that contains every word of `query` in order."""
    words = [w.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") for w in fold(query).split()]
    return "%" + "%".join(words) + "%"
