"""Amounts of money as a Vietnamese finance office writes them: digits grouped by dots, and in words
("Một triệu hai trăm năm mươi nghìn đồng") under the total of a payment list."""

from __future__ import annotations

DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
BILLION = 10**9


def _hundreds(n: int, full: bool) -> list[str]:
    """Words of 0 < n < 1000; `full` reads the hundreds even when zero ("không trăm linh năm"), as a group
    that follows a higher one does."""
    h, t, u = n // 100, n // 10 % 10, n % 10
    words: list[str] = []
    if full or h:
        words += [DIGITS[h], "trăm"]
    if t == 0:
        if u:
            words += (["linh"] if words else []) + [DIGITS[u]]
    elif t == 1:
        words.append("mười")
        if u:
            words.append("lăm" if u == 5 else DIGITS[u])
    else:
        words += [DIGITS[t], "mươi"]
        if u:
            words.append({1: "mốt", 5: "lăm"}.get(u, DIGITS[u]))
    return words


def _under_billion(n: int, full: bool) -> list[str]:
    """Words of 0 < n < 10^9 by groups of three (triệu, nghìn); zero groups are left out."""
    words: list[str] = []
    for scale, name in ((10**6, "triệu"), (10**3, "nghìn"), (1, "")):
        group = n // scale % 1000
        if group:
            words += _hundreds(group, full or bool(words))
            if name:
                words.append(name)
    return words


def _words(n: int, full: bool = False) -> list[str]:
    """Words of n > 0; a higher part read in tỷ (billions), recursively."""
    if n >= BILLION:
        rest = n % BILLION
        return _words(n // BILLION, full) + ["tỷ"] + (_under_billion(rest, True) if rest else [])
    return _under_billion(n, full)


def amount_in_words(amount: int) -> str:
    """"Một triệu hai trăm năm mươi nghìn đồng" for 1250000: whole đồng, capitalised, "mốt", "lăm", "linh"
    and "mười" as usual. Raises ValueError for a negative or non-integer amount."""
    if isinstance(amount, bool) or not isinstance(amount, int) or amount < 0:
        raise ValueError(f"an amount in whole đồng, not {amount!r}")
    words = _words(amount) if amount else ["không"]
    phrase = " ".join(words) + " đồng"
    return phrase[0].upper() + phrase[1:]


def vnd(amount: int) -> str:
    """1250000 → "1.250.000" (Vietnamese digit grouping)."""
    return f"{amount:,}".replace(",", ".")


_UNIT_TYPES = ("Thành phố", "Thị trấn", "Thị xã", "Đặc khu", "Phường", "Huyện", "Quận", "Tỉnh", "Xã")


def workplace(unit_name: str) -> str:
    """A unit as the place where someone works: its People's Committee ("Xã Cao Xá" → "UBND xã Cao Xá"), as
    administrative lists write it (a territory is not an employer)."""
    for kind in _UNIT_TYPES:
        if unit_name.startswith(kind + " "):
            return f"UBND {kind.lower()}{unit_name[len(kind):]}"
    return unit_name
