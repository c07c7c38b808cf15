"""Reading an uploaded participants workbook: file checks, the header row, the raw cell values.

Everything that makes the whole file unusable is a DomainError with a Vietnamese message; the
checks of each cell are the importer's. Formulas are read as formulas (data_only=False) so a cell
computed by Excel is reported instead of silently taking a cached value.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO, Any

from openpyxl import load_workbook

from trainer.core.errors import DomainError
from trainer.participants.excel.columns import BY_KEY, COLUMNS, column_for_header

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 10_000
HEADER_SCAN_ROWS = 20
MAX_COLUMNS = 40
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls (Excel 97-2003) and other compound files
_ZIP_MAGIC = b"PK\x03\x04"


@dataclass
class RawRow:
    """One data row: its number in the sheet, its cells by column key, the keys whose cell is a formula."""

    number: int
    values: dict[str, Any]
    formulas: list[str] = field(default_factory=list)


@dataclass
class ParsedSheet:
    """The data rows under the header row of the sheet that holds the list."""

    title: str
    header_row: int
    columns: list[str]
    rows: list[RawRow]


def _bad_file(code: str, message: str, status: int = 422) -> DomainError:
    """A whole-file error, its message also under the `file` field."""
    return DomainError(code, message, fields={"file": message}, status=status)


def read_bytes(fileobj: IO[bytes]) -> bytes:
    """The upload's bytes, refusing more than 10 MB before anything is parsed."""
    data = fileobj.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise _bad_file("file_too_large", "Tệp quá lớn: giới hạn là 10 MB. Hãy chia danh sách thành nhiều tệp.",
                        status=413)
    if not data:
        raise _bad_file("empty_file", "Tệp rỗng, không có dữ liệu.")
    if data.startswith(_OLE2_MAGIC):
        raise _bad_file("not_xlsx", "Tệp .xls (Excel 97-2003) không được hỗ trợ: hãy mở tệp trong Excel và "
                                    "lưu lại dưới dạng Excel Workbook (.xlsx), hoặc dùng tệp mẫu.")
    if not data.startswith(_ZIP_MAGIC) or not zipfile.is_zipfile(io.BytesIO(data)):
        raise _bad_file("not_xlsx", "Tệp không phải là bảng tính Excel .xlsx (có thể là tệp CSV hoặc tệp khác "
                                    "đổi đuôi). Hãy dùng tệp mẫu và lưu dưới dạng .xlsx.")
    return data


def _cell_value(cell: Any) -> tuple[Any, bool]:
    """(value, is_formula) of a read-only cell; blank strings are None."""
    value = cell.value
    if cell.data_type == "f" or (isinstance(value, str) and value.startswith("=")) or \
            type(value).__name__ in ("ArrayFormula", "DataTableFormula"):
        return value, True
    if isinstance(value, str):
        value = value.strip() or None
    return value, False


def _find_header(rows: list[tuple[int, list[Any]]]) -> tuple[int, dict[int, str]] | None:
    """The first row naming at least three template columns, with its column positions by key."""
    for number, cells in rows:
        found: dict[int, str] = {}
        for index, cell in enumerate(cells):
            key = column_for_header(cell.value)
            if key is not None and key not in found.values():
                found[index] = key
        if len(found) >= 3:
            return number, found
    return None


def read_workbook(fileobj: IO[bytes]) -> ParsedSheet:
    """Check an upload and return its data rows.

    Raises DomainError('file_too_large' (413) | 'empty_file' | 'not_xlsx' | 'missing_headers' | 'too_many_rows').
    """
    data = read_bytes(fileobj)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds (zip, XML, KeyError) for a file that is not a workbook
        raise _bad_file("not_xlsx", "Không đọc được tệp như một bảng tính Excel .xlsx; tệp có thể bị hỏng. "
                                    "Hãy dùng tệp mẫu và lưu dưới dạng .xlsx.") from None
    try:
        return _read_rows(workbook)
    finally:
        workbook.close()


def _read_rows(workbook: Any) -> ParsedSheet:
    """Find the header row in the first visible sheet that has one, then read the rows under it."""
    sheets = [ws for ws in workbook.worksheets if ws.sheet_state == "visible"] or list(workbook.worksheets)
    for ws in sheets:
        top = [(n, list(r)) for n, r in enumerate(ws.iter_rows(max_row=HEADER_SCAN_ROWS, max_col=MAX_COLUMNS), 1)]
        header = _find_header(top)
        if header is not None:
            break
    else:
        if not any(cell.value is not None for ws in sheets for cell in _first_cells(ws)):
            raise _bad_file("empty_file", "Bảng tính trống, không có dữ liệu.")
        expected = ", ".join(c.label for c in COLUMNS if c.required)
        raise _bad_file("missing_headers", f"Không tìm thấy dòng tiêu đề trong {HEADER_SCAN_ROWS} dòng đầu của "
                                           f"bảng tính (cần các cột: {expected}). Hãy dùng tệp mẫu.")
    header_row, positions = header
    missing = [c.label for c in COLUMNS if c.required and c.key not in positions.values()]
    if missing:
        raise _bad_file("missing_headers", f"Bảng tính thiếu cột: {', '.join(missing)}. Hãy dùng tệp mẫu.")
    rows: list[RawRow] = []
    for number, cells in enumerate(ws.iter_rows(min_row=header_row + 1, max_col=MAX_COLUMNS), header_row + 1):
        row = RawRow(number, {})
        for index, key in positions.items():
            if index >= len(cells):
                continue
            value, is_formula = _cell_value(cells[index])
            row.values[key] = value
            if is_formula:
                row.formulas.append(key)
        if all(v is None for v in row.values.values()):
            continue  # blank lines between blocks are common in hand-made lists
        if len(rows) == MAX_ROWS:
            raise _bad_file("too_many_rows", f"Tệp có quá {MAX_ROWS:,} dòng dữ liệu; hãy chia thành nhiều tệp."
                            .replace(",", "."))
        rows.append(row)
    if not rows:
        raise _bad_file("empty_file", "Bảng tính không có dòng dữ liệu nào dưới dòng tiêu đề.")
    return ParsedSheet(title=ws.title, header_row=header_row, columns=list(positions.values()), rows=rows)


def _first_cells(ws: Any) -> list[Any]:
    """The cells of the rows searched for a header."""
    return [cell for row in ws.iter_rows(max_row=HEADER_SCAN_ROWS, max_col=MAX_COLUMNS) for cell in row]


def cell_text(value: Any) -> str:
    """A cell as text: numbers without a spurious ".0" (Excel stores 0912... typed as a number as 912...)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime | date):
        return value.strftime("%d/%m/%Y")
    return str(value).strip()


__all__ = ["BY_KEY", "MAX_BYTES", "MAX_ROWS", "ParsedSheet", "RawRow", "cell_text", "read_bytes", "read_workbook"]
