"""The words of a certificate's body that are derived from data: the holder's work unit as an agency,
the curriculum's legal reference (only once confirmed), the hours with a decimal comma.

Pure functions (no database), shared by the snapshot built at issue and the PDF renderer, so an old
snapshot that lacks a derived field still renders the same words.
"""

from __future__ import annotations

from decimal import Decimal

from babel.numbers import format_decimal

from trainer.documents.fonts import text

# A territory's name → the People's Committee that governs it: "Xã Việt Ngọc" → "UBND xã Việt Ngọc".
# Longest prefixes first ("Thị trấn" before a hypothetical "Thị").
_LEVEL_WORDS = ("Thành phố", "Thị trấn", "Thị xã", "Đặc khu", "Phường", "Huyện", "Quận", "Tỉnh", "Xã")
AGENCY_PREFIX = "UBND"


def work_unit_agency(unit_name: str) -> str:
    """The agency where a commune's officer works, as a certificate prints it (documents.md, check 3):
    "Xã Việt Ngọc" → "UBND xã Việt Ngọc", "Phường Kim Liên" → "UBND phường Kim Liên",
    "Thị trấn Nhã Nam" → "UBND thị trấn Nhã Nam". A name that is already an agency ("UBND …",
    "Ủy ban nhân dân …", "Đảng ủy …") or has no level word is printed as it is."""
    name = " ".join(text(unit_name).split())
    if not name:
        return ""
    for word in _LEVEL_WORDS:
        if name.startswith(word + " ") or name.startswith(word.lower() + " "):
            return f"{AGENCY_PREFIX} {word.lower()}{name[len(word):]}"
    return name


def decision_reference(decision: str) -> str:
    """The legal reference printed after a confirmed curriculum's title, from the curriculum's `decision`
    field: its part before " ban hành " (the decision's own summary is too long for a certificate),
    e.g. "Quyết định số 1288/QĐ-BTTTT ngày 17/7/2023 của Bộ trưởng Bộ Thông tin và Truyền thông"."""
    value = " ".join(text(decision).split())
    head, sep, _ = value.partition(" ban hành ")
    return head if sep else value


def hours_words(value: float | Decimal | str) -> str:
    """Hours with the Vietnamese decimal comma: 12 → "12", 12.5 → "12,5"."""
    return format_decimal(Decimal(str(value)).normalize(), format="#,##0.##", locale="vi")
