"""Read administrative-unit lists: trainer's own CSV and the statistics office's CSV/XLSX exports.

Pure module (no Flask, no database): it only turns a file into validated `UnitRow`s in tree order
(province, its districts, each district's communes). It must import nothing else from `trainer`,
because scripts/build_units.py loads it by file path.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

LEVELS = ("province", "district", "commune")
# GSO code widths: the zero-padded string is the published form ("01", "001", "00001").
CODE_WIDTHS = {"province": 2, "district": 3, "commune": 5}
OWN_COLUMNS = ("scheme", "code", "name", "level", "parent_code", "kind")
# The last scheme with districts; from 1/7/2025 there are only provinces and communes.
LAST_THREE_LEVEL_YEAR = 2024

# Canonical prefix -> kind, per level. Order matters only for readability: every prefix must be
# followed by a space, so "Thị trấn" and "Thị xã" cannot shadow each other.
_PREFIXES: dict[str, tuple[tuple[str, str], ...]] = {
    "province": (("Tỉnh", "tinh"), ("Thành phố", "thanh_pho_tw")),
    "district": (("Huyện", "huyen"), ("Quận", "quan"), ("Thị xã", "thi_xa"), ("Thành phố", "thanh_pho")),
    "commune": (("Xã", "xa"), ("Phường", "phuong"), ("Thị trấn", "thi_tran"), ("Đặc khu", "dac_khu")),
}
KINDS = tuple(kind for pairs in _PREFIXES.values() for _, kind in pairs)
LEVEL_LABELS = {"province": "tỉnh/thành phố", "district": "quận/huyện", "commune": "xã/phường"}

# GSO header aliases, compared after `_header_key` (no diacritics, no case, no spaces/punctuation).
_GSO_HEADERS = {
    "province_name": ("tinhthanhpho", "tentinhthanhpho", "tinhtp", "tentinh", "tinh"),
    "province_code": ("matp", "matinh", "matinhthanhpho", "matinhtp"),
    "district_name": ("quanhuyen", "tenquanhuyen", "quanhuyenthixa", "huyen", "tenhuyen"),
    "district_code": ("maqh", "mahuyen", "maquanhuyen"),
    "commune_name": ("phuongxa", "tenphuongxa", "xaphuong", "phuongxadackhu", "xaphuongdackhu", "xa", "tenxa"),
    "commune_code": ("mapx", "maxa", "maphuongxa", "maxaphuong"),
    "commune_type": ("cap", "loai"),
}


@dataclass(frozen=True)
class UnitRow:
    """One unit as trainer stores it: codes zero-padded, names NFC with their prefix."""

    scheme: str
    code: str
    name: str
    level: str
    parent_code: str | None
    kind: str


class UnitFileError(Exception):
    """A unit file that cannot be read; the message is Vietnamese, shown to the user as is."""

    def __init__(self, message: str, row: int | None = None) -> None:
        self.message = message
        self.row = row
        super().__init__(f"Dòng {row}: {message}" if row is not None else message)


def _match_prefix(text: str, level: str) -> tuple[str, str] | None:
    """(canonical prefix, kind) that `text` starts with, case-insensitively, or None."""
    for prefix, kind in _PREFIXES.get(level, ()):
        if text[: len(prefix) + 1].casefold() == (prefix + " ").casefold():
            return prefix, kind
    return None


def normalize_name(name: str, level: str) -> str:
    """NFC, single spaces, canonical prefix case; a bare province name gets "Tỉnh "."""
    text = " ".join(unicodedata.normalize("NFC", name).split())
    match = _match_prefix(text, level)
    if match is not None:
        # Some sources write "Thành Phố Bắc Kạn" or "Thị Xã ..."; the official spelling is lower case.
        return match[0] + text[len(match[0]) :]
    if level == "province" and text:
        # vietnam-provinces 2025.x drops "Tỉnh" from the 28 provinces but keeps "Thành phố" for the 6 cities.
        return f"Tỉnh {text}"
    return text


def derive_kind(name: str, level: str) -> str:
    """Division type from the name prefix ("Thị trấn Nhã Nam" -> thi_tran); ValueError if none fits."""
    if level not in _PREFIXES:
        raise ValueError(f"Cấp không hợp lệ: {level!r}")
    text = " ".join(unicodedata.normalize("NFC", name).split())
    match = _match_prefix(text, level)
    if match is not None:
        return match[1]
    expected = ", ".join(prefix for prefix, _ in _PREFIXES[level])
    raise ValueError(f"Tên «{text}» không bắt đầu bằng loại đơn vị cấp {LEVEL_LABELS[level]} ({expected}).")


def pad_code(raw: Any, level: str) -> str:
    """Zero-pad a GSO code to its level's width; ValueError if it is not a number that fits."""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)  # spreadsheets turn "07306" into 7306.0
    text = str(raw).strip()
    if not text.isascii() or not text.isdigit():
        raise ValueError(f"Mã «{text}» không hợp lệ: mã chỉ gồm chữ số.")
    width = CODE_WIDTHS[level]
    value = int(text)
    if value >= 10**width:
        raise ValueError(f"Mã «{text}» quá dài cho cấp {LEVEL_LABELS[level]} (tối đa {width} chữ số).")
    return f"{value:0{width}d}"


def read_units_file(path: Path, *, scheme: str | None = None) -> list[UnitRow]:
    """Parse our CSV or a GSO .csv/.xlsx export into validated rows in tree order."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        table = _read_csv(path)
    elif suffix in (".xlsx", ".xlsm"):
        table = _read_xlsx(path)
    elif suffix == ".xls":
        raise UnitFileError("Định dạng .xls cũ không được hỗ trợ: hãy mở tệp và lưu lại dưới dạng .xlsx hoặc .csv.")
    else:
        raise UnitFileError(f"Không đọc được tệp «{path.name}»: chỉ nhận tệp .csv hoặc .xlsx.")
    # GSO exports may carry a title line ("DANH MỤC ĐƠN VỊ HÀNH CHÍNH") above the real header.
    for start, (_, cells) in enumerate(table[:10]):
        if {_header_key(c) for c in cells} & {"code", "matp", "matinh", "mapx", "maxa"}:
            table = table[start:]
            break
    if not table:
        raise UnitFileError("Tệp trống: không có dòng tiêu đề và dữ liệu.")
    if len(table) < 2:
        raise UnitFileError("Tệp không có dòng dữ liệu nào (chỉ có dòng tiêu đề).")
    keys = [_header_key(cell) for cell in table[0][1]]
    if {"scheme", "code", "name", "level"} <= set(keys):
        return _parse_own(table, keys, scheme)
    return _parse_gso(table, scheme)


Table = list[tuple[int, list[Any]]]  # (1-based row number in the file, cells), blank rows dropped
Units = dict[tuple[str, str], tuple["UnitRow", int]]  # (scheme, code) -> (unit, row where first seen)


def _read_csv(path: Path) -> Table:
    """Rows of a CSV in UTF-8 (with or without BOM) or UTF-16, comma/semicolon/tab separated."""
    data = path.read_bytes()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise UnitFileError("Tệp CSV không ở mã UTF-8: hãy lưu lại với mã hóa UTF-8.") from exc
    first_line = text.split("\n", 1)[0]
    # Excel in a Vietnamese locale saves with ";" because "," is the decimal separator.
    delimiter = max(",;\t", key=first_line.count)
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return [(number, row) for number, row in enumerate(rows, start=1) if any(str(c).strip() for c in row)]


def _read_xlsx(path: Path) -> Table:
    """Non-blank rows of the first worksheet, with their row numbers."""
    import openpyxl  # imported here so CSV-only callers do not pay for it

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several unrelated types for a damaged file
        raise UnitFileError(f"Không mở được tệp Excel «{path.name}»: tệp hỏng hoặc không phải .xlsx.") from exc
    try:
        sheet = workbook.worksheets[0]
        rows: Table = []
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            values = ["" if c is None else c for c in cells]
            if any(str(v).strip() for v in values):
                rows.append((number, values))
    finally:
        workbook.close()
    return rows


def _header_key(cell: Any) -> str:
    """Header text without diacritics, case, spaces or punctuation: "Tỉnh / Thành Phố" -> tinhthanhpho."""
    text = unicodedata.normalize("NFD", str(cell)).replace("đ", "d").replace("Đ", "D")
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return "".join(ch for ch in text.casefold() if ch.isalnum() and ch.isascii())


def _cell(cells: list[Any], index: int | None) -> Any:
    """The cell at index, or "" when the column is absent or the row is short."""
    if index is None or index >= len(cells):
        return ""
    value = cells[index]
    return value.strip() if isinstance(value, str) else value


def _is_blank(value: Any) -> bool:
    """True for an empty cell."""
    return value is None or str(value).strip() == ""


def _parse_own(table: Table, keys: list[str], scheme: str | None) -> list[UnitRow]:
    """Rows of our scheme,code,name,level,parent_code,kind format, checked and in tree order."""
    wanted = {column: column.replace("_", "") for column in OWN_COLUMNS}
    missing = [column for column, key in wanted.items() if key not in keys]
    if missing:
        raise UnitFileError(f"Thiếu cột: {', '.join(missing)}.", table[0][0])
    index = {column: keys.index(key) for column, key in wanted.items()}
    units: Units = {}
    for number, cells in table[1:]:
        row_scheme = str(_cell(cells, index["scheme"]))
        level = str(_cell(cells, index["level"]))
        if not row_scheme:
            raise UnitFileError("Thiếu hệ thống mã (scheme).", number)
        if scheme is not None and row_scheme != scheme:
            raise UnitFileError(f"Hệ thống mã «{row_scheme}» khác với hệ thống đã chọn «{scheme}».", number)
        if level not in LEVELS:
            raise UnitFileError(f"Cấp «{level}» không hợp lệ (province, district hoặc commune).", number)
        if level == "district" and row_scheme.isdigit() and int(row_scheme) > LAST_THREE_LEVEL_YEAR:
            raise UnitFileError(f"Hệ thống mã {row_scheme} không có cấp quận/huyện (từ 1/7/2025).", number)
        raw_code = _cell(cells, index["code"])
        if _is_blank(raw_code):
            raise UnitFileError("Thiếu mã đơn vị.", number)
        code = _for_row(pad_code, raw_code, level, number)
        name = _name(_cell(cells, index["name"]), level, number)
        kind = _for_row(derive_kind, name, level, number)
        given_kind = str(_cell(cells, index["kind"]))
        if given_kind and given_kind != kind:
            raise UnitFileError(f"Loại «{given_kind}» không khớp với tên «{name}» (phải là {kind}).", number)
        raw_parent = _cell(cells, index["parent_code"])
        parent = None
        if level != "province":
            if _is_blank(raw_parent):
                raise UnitFileError(f"Thiếu mã đơn vị cấp trên của «{name}».", number)
            parent = str(raw_parent).strip()  # padded below, once the parent's level is known
        elif not _is_blank(raw_parent):
            raise UnitFileError(f"Tỉnh/thành phố «{name}» không được có đơn vị cấp trên.", number)
        row = UnitRow(row_scheme, code, name, level, parent, kind)
        _add(units, (row_scheme, code), row, number)
    # Parents are checked after reading everything so the file's own order does not matter.
    with_districts = {row.scheme for row, _ in units.values() if row.level == "district"}
    rows = []
    for row, number in units.values():
        if row.parent_code is not None:
            parent = _find_parent(units, row, number)
            if parent.level == "province" and row.level == "commune" and row.scheme in with_districts:
                raise UnitFileError(
                    f"Xã/phường «{row.name}» phải thuộc một quận/huyện (hệ thống {row.scheme}).", number
                )
            row = replace(row, parent_code=parent.code)
        rows.append(row)
    return _tree_order(rows)


def _find_parent(units: Units, row: UnitRow, number: int) -> UnitRow:
    """The parent of `row` among `units`, accepting an unpadded parent code; UnitFileError if absent."""
    raw = row.parent_code or ""
    levels = ("province",) if row.level == "district" else ("district", "province")
    # The code as written comes first, so "24" means province 24 rather than district 024.
    candidates = [raw]
    for level in levels:
        with suppress(ValueError):
            candidates.append(pad_code(raw, level))
    for code in candidates:
        found = units.get((row.scheme, code))
        if found is not None and found[0].level in levels:
            return found[0]
    raise UnitFileError(f"Không tìm thấy đơn vị cấp trên có mã «{raw}» của «{row.name}».", number)


def _parse_gso(table: Table, scheme: str | None) -> list[UnitRow]:
    """Rows of a GSO export (one commune per row, parents repeated) as deduplicated units."""
    header_number, header = table[0]
    keys = [_header_key(cell) for cell in header]
    columns = {
        field: next((keys.index(a) for a in aliases if a in keys), None) for field, aliases in _GSO_HEADERS.items()
    }
    required = ("province_code", "province_name", "commune_code", "commune_name")
    if any(columns[field] is None for field in required):
        shown = ", ".join(f"«{str(c).strip()}»" for c in header if not _is_blank(c)) or "(trống)"
        raise UnitFileError(
            "Không nhận ra tiêu đề cột. Cần các cột của danh mục hành chính (Mã TP, Tỉnh / Thành Phố, "
            f"Mã PX, Phường Xã, và với danh mục 3 cấp: Mã QH, Quận Huyện); tệp có: {shown}.",
            header_number,
        )
    three_levels = columns["district_code"] is not None
    if three_levels != (columns["district_name"] is not None):
        raise UnitFileError("Cần có cả cột Mã QH và cột Quận Huyện, hoặc không có cột nào.", header_number)
    scheme = _check_scheme(scheme, three_levels, header_number)
    units: Units = {}
    for number, cells in table[1:]:
        province = _gso_unit(cells, columns, "province", None, scheme, number)
        if province is None:
            raise UnitFileError("Thiếu mã tỉnh/thành phố (Mã TP).", number)
        _add(units, (scheme, province.code), province, number)
        parent = province
        if three_levels:
            district = _gso_unit(cells, columns, "district", province.code, scheme, number)
            if district is not None:
                _add(units, (scheme, district.code), district, number)
                parent = district
        commune = _gso_unit(cells, columns, "commune", parent.code, scheme, number)
        if commune is None:
            continue  # a province or district without communes (island districts such as Hoàng Sa)
        if parent.level != "district" and three_levels:
            raise UnitFileError(f"Xã/phường «{commune.name}» thiếu mã quận/huyện (Mã QH) của đơn vị cấp trên.", number)
        _add(units, (scheme, commune.code), commune, number)
    return _tree_order([row for row, _ in units.values()])


def _check_scheme(scheme: str | None, three_levels: bool, row: int) -> str:
    """The scheme a GSO file goes into: it must be given (the file does not say) and fit the levels."""
    if scheme is None or not scheme.strip():
        raise UnitFileError("Cần chọn hệ thống mã (ví dụ 2024 hoặc 2025) khi nhập danh mục của Tổng cục Thống kê.", row)
    if not (len(scheme) == 4 and scheme.isdigit()):
        raise UnitFileError(f"Hệ thống mã «{scheme}» không hợp lệ: phải là một năm gồm 4 chữ số.", row)
    if three_levels and int(scheme) > LAST_THREE_LEVEL_YEAR:
        raise UnitFileError(f"Tệp có cột quận/huyện (3 cấp) nhưng hệ thống mã {scheme} chỉ có 2 cấp.", row)
    if not three_levels and int(scheme) <= LAST_THREE_LEVEL_YEAR:
        raise UnitFileError(f"Tệp không có cột quận/huyện (2 cấp) nhưng hệ thống mã {scheme} có 3 cấp.", row)
    return scheme


def _gso_unit(
    cells: list[Any], columns: dict[str, int | None], level: str, parent: str | None, scheme: str, number: int
) -> UnitRow | None:
    """The unit of one level on a GSO row, or None when both its code and name are blank."""
    raw_code = _cell(cells, columns[f"{level}_code"])
    raw_name = _cell(cells, columns[f"{level}_name"])
    if _is_blank(raw_code) and _is_blank(raw_name):
        return None
    if _is_blank(raw_code):
        raise UnitFileError(f"Thiếu mã của {LEVEL_LABELS[level]} «{str(raw_name).strip()}».", number)
    code = _for_row(pad_code, raw_code, level, number)
    name = str(raw_name).strip()
    if level == "commune" and name:
        # The "Cấp" column ("Xã", "Phường", "Thị trấn", "Đặc khu") supplies a prefix the name lacks.
        commune_type = str(_cell(cells, columns["commune_type"]))
        try:
            derive_kind(name, level)
        except ValueError:
            if commune_type:
                name = f"{commune_type} {name}"
    name = _name(name, level, number)
    return UnitRow(scheme, code, name, level, parent, _for_row(derive_kind, name, level, number))


def _name(raw: Any, level: str, number: int) -> str:
    """The normalised name; UnitFileError when it is blank."""
    if _is_blank(raw):
        raise UnitFileError(f"Thiếu tên {LEVEL_LABELS[level]}.", number)
    return normalize_name(str(raw), level)


def _for_row(rule: Callable[[Any, str], str], value: Any, level: str, number: int) -> str:
    """Apply a naming rule, reporting its ValueError as a UnitFileError at this row."""
    try:
        return rule(value, level)
    except ValueError as exc:
        raise UnitFileError(str(exc), number) from exc


def _add(units: Units, key: tuple[str, str], row: UnitRow, number: int) -> None:
    """Store a unit once; a repeat must be identical (GSO files repeat parents on every row)."""
    existing = units.get(key)
    if existing is None:
        units[key] = (row, number)
        return
    old, old_number = existing
    if old == row:
        return
    if old.name != row.name or old.level != row.level:
        label = LEVEL_LABELS[old.level]
        raise UnitFileError(
            f"Mã «{row.code}» trùng: «{row.name}» nhưng dòng {old_number} ghi «{old.name}» ({label}).", number
        )
    parents = f"thuộc đơn vị cấp trên «{row.parent_code}» nhưng dòng {old_number} ghi «{old.parent_code}»"
    raise UnitFileError(f"«{row.name}» (mã {row.code}) {parents}.", number)


def _tree_order(rows: list[UnitRow]) -> list[UnitRow]:
    """Each province, then each of its districts followed by its communes; first-seen order kept."""
    children: dict[tuple[str, str | None], list[UnitRow]] = {}
    for row in rows:
        children.setdefault((row.scheme, row.parent_code), []).append(row)
    ordered: list[UnitRow] = []

    def visit(row: UnitRow) -> None:
        ordered.append(row)
        for child in children.get((row.scheme, row.code), []):
            visit(child)

    for row in rows:
        if row.parent_code is None:
            visit(row)
    return ordered
