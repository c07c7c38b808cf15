"""Reading an uploaded participants workbook: file checks, the header, the raw cell values.

Everything that makes the whole file unusable is a DomainError with a Vietnamese message; the
checks of each cell are the importer's. Formulas are read as formulas (data_only=False) so a cell
computed by Excel is reported instead of silently taking a cached value.

Nothing reaches openpyxl unchecked (a hostile 1 MB file can unpack to gigabytes or declare a
million rows): excel.package checks the zip and every part's declared size, excel.scan streams each
XML part openpyxl is about to parse and stops at the first limit. openpyxl is then asked for no more
than was scanned: a sheet's size is never computed from its XML (openpyxl would read a whole sheet
that declares no dimension, at load, even a hidden one), chart sheets and external links are skipped.
"""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import IO, Any

from openpyxl.packaging.relationship import get_rels_path
from openpyxl.reader.excel import ExcelReader, _find_workbook_part
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.xml.constants import SHARED_STRINGS

from trainer.core.errors import N_, DomainError, Words
from trainer.participants.excel.columns import BY_KEY, COLUMNS
from trainer.participants.excel.layout import MAX_HEADER_DEPTH, Cell, Header, RawRow, find_header
from trainer.participants.excel.package import (
    MAX_BYTES,
    MAX_RELS_BYTES,
    bad_file,
    open_package,
    read_bytes,
    thousands,
)
from trainer.participants.excel.scan import Budget, scan_shared_strings, scan_sheet

MAX_ROWS = 10_000  # people in one file
ROW_ALLOWANCE = 100  # rows the list's sheet may use beyond MAX_ROWS: notes above the header, blank lines
HEADER_SCAN_ROWS = 20
MAX_COLUMNS = 40


@dataclass
class ParsedSheet:
    """The data rows under the header of the sheet that holds the list."""

    title: str
    header_row: int  # the header's last row (the data starts below it)
    columns: list[str]
    rows: list[RawRow]
    epoch: datetime  # the workbook's day zero, for dates written as Excel serial numbers
    header_first: int = 0  # the header's first row (a merged header takes several)


class _UnsizedSheet(ReadOnlyWorksheet):
    """A read-only sheet that never reads its XML to learn its size (it is always read with bounds)."""

    def _get_size(self) -> None:
        """openpyxl parses a whole sheet here when it declares no dimension; the dimension is unused."""


class _CheckedReader(ExcelReader):
    """openpyxl's reader, each part checked before it is parsed; only worksheets are kept, unsized."""

    def read_strings(self) -> None:
        """Scan the shared strings (loaded whole into memory) before openpyxl loads them."""
        part = self.package.find(SHARED_STRINGS)
        if part is not None:
            scan_shared_strings(self.archive, part.PartName[1:])
        super().read_strings()

    def read_workbook(self) -> None:
        """The workbook part is parsed whole: refuse one larger than any real workbook's."""
        name = _find_workbook_part(self.package).PartName[1:]
        parts = [name, get_rels_path(name)]
        if any(n in self.valid_files and self.archive.getinfo(n).file_size > MAX_RELS_BYTES for n in parts):
            raise bad_file("unpacked_too_large", N_("Phần mô tả sổ làm việc của tệp lớn bất thường; tệp không được "
                                                    "nhận. Hãy chép danh sách sang tệp mẫu mới rồi lưu lại."))
        super().read_workbook()

    def read_worksheets(self) -> None:
        """Register the worksheets without reading them (chart sheets have no list to read)."""
        for sheet, rel in self.parser.find_sheets():
            if rel.target in self.valid_files and "chartsheet" not in rel.Type:
                worksheet = _UnsizedSheet(self.wb, sheet.name, rel.target, self.shared_strings)
                worksheet.sheet_state = sheet.state
                self.wb._sheets.append(worksheet)


def _unreadable() -> DomainError:
    """openpyxl failed on a part that passed the checks: damaged XML or values."""
    return bad_file("corrupt_file", N_("Không đọc được tệp như một bảng tính Excel .xlsx: tệp bị hỏng hoặc không do "
                                       "Excel tạo ra. Hãy mở tệp trong Excel, lưu lại dưới dạng .xlsx, hoặc dùng tệp "
                                       "mẫu."))


def read_workbook(fileobj: IO[bytes]) -> ParsedSheet:
    """Check an upload and return its data rows.

    Raises DomainError('file_too_large' (413) | 'empty_file' | 'legacy_xls' | 'encrypted_file' | 'not_xlsx' |
    'macro_workbook' | 'corrupt_file' | 'unpacked_too_large' | 'unsafe_file' | 'too_complex' | 'too_many_cells' |
    'cell_too_long' | 'missing_headers' | 'too_many_rows').
    """
    with checked_workbook(fileobj) as workbook:
        return _read_list(workbook, Budget())


@contextmanager
def checked_workbook(fileobj: IO[bytes]) -> Iterator[Any]:
    """An upload opened read-only by openpyxl after every check of its file and parts; its worksheets are
    registered, unread: scan a sheet (`scanned_rows`) before reading it. Errors inside the block that are
    not DomainErrors (a damaged part, a cell openpyxl cannot convert) become 'corrupt_file'.

    Raises DomainError('file_too_large' (413) | 'empty_file' | 'legacy_xls' | 'encrypted_file' | 'not_xlsx' |
    'macro_workbook' | 'corrupt_file' | 'unpacked_too_large' | 'unsafe_file' | 'too_complex')."""
    data = read_bytes(fileobj)
    open_package(data).close()
    try:
        reader = _CheckedReader(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
        reader.read()
    except DomainError:
        raise
    except Exception:  # openpyxl raises many kinds (zip, XML, KeyError, ValueError) for a damaged part
        raise _unreadable() from None
    workbook = reader.wb
    try:
        yield workbook
    except DomainError:
        raise
    except Exception:  # a cell openpyxl cannot convert (a number that is not one, a missing shared string)
        raise _unreadable() from None
    finally:
        workbook.close()


def scanned_rows(workbook: Any, ws: Any, *, max_row: int, max_col: int) -> list[tuple[int, list[Any]]]:
    """(row number, cell values) of a sheet's first `max_row` rows and `max_col` columns, the sheet's XML
    scanned first within one upload's budget (a sheet declaring a million rows stops at the limit)."""
    scan_sheet(workbook._archive, ws._worksheet_path, title=ws.title, budget=Budget(), stop_after_row=max_row)
    return [(n, [_cell_value(c)[0] for c in cells])
            for n, cells in enumerate(ws.iter_rows(min_row=1, max_row=max_row, max_col=max_col), 1)]


def _cell_value(cell: Any) -> Cell:
    """(value, is_formula) of a read-only cell; blank strings are None."""
    value = cell.value
    if cell.data_type == "f" or (isinstance(value, str) and value.startswith("=")) or \
            type(value).__name__ in ("ArrayFormula", "DataTableFormula"):
        return value, True
    if isinstance(value, str):
        value = value.strip() or None
    return value, False


def _top_rows(workbook: Any, ws: Any, budget: Budget) -> list[tuple[int, list[Cell]]]:
    """The rows where a header may be (and its merged sub-header rows), scanned first."""
    last = HEADER_SCAN_ROWS + MAX_HEADER_DEPTH
    scan_sheet(workbook._archive, ws._worksheet_path, title=ws.title, budget=budget, stop_after_row=last)
    return [(n, [_cell_value(c) for c in cells])
            for n, cells in enumerate(ws.iter_rows(min_row=1, max_row=last, max_col=MAX_COLUMNS), 1)]


def _find_list(workbook: Any, budget: Budget) -> tuple[Any, Header, list[tuple[int, int, int, int]]]:
    """The first visible sheet with a header (hidden ones only when none is visible), its header with merged
    cells understood, and its merged ranges; the whole sheet is scanned before its rows are read."""
    sheets = [ws for ws in workbook.worksheets if ws.sheet_state == "visible"] or list(workbook.worksheets)
    any_text = False
    for ws in sheets:
        top = _top_rows(workbook, ws, budget)
        any_text = any_text or any(value is not None for _, cells in top for value, _ in cells)
        if find_header(top, [], scan_rows=HEADER_SCAN_ROWS) is None:
            continue
        scan = scan_sheet(workbook._archive, ws._worksheet_path, title=ws.title, budget=budget,
                          max_row=MAX_ROWS + ROW_ALLOWANCE)
        header = find_header(top, scan.merges, scan_rows=HEADER_SCAN_ROWS)
        if header is not None:
            return ws, header, scan.merges
    if not any_text:
        raise bad_file("empty_file", N_("Bảng tính trống, không có dữ liệu."))
    names = ", ".join(f"“{ws.title}”" for ws in sheets)
    raise bad_file("missing_headers", N_("Không tìm thấy dòng tiêu đề trong %(rows)s dòng đầu của trang %(sheets)s "
                                         "(cần các cột: %(columns)s). Hãy dùng tệp mẫu."),
                   rows=HEADER_SCAN_ROWS, sheets=names, columns=Words([c.label for c in COLUMNS if c.required]))


def _read_list(workbook: Any, budget: Budget) -> ParsedSheet:
    """Find the list, check its columns, then read the rows under its header."""
    ws, header, merges = _find_list(workbook, budget)
    missing = [c.label for c in COLUMNS if c.required and c.key not in header.keys]
    if missing:
        raise bad_file("missing_headers", N_("Trang “%(sheet)s” thiếu cột: %(columns)s. Hãy dùng tệp mẫu."),
                       sheet=ws.title, columns=Words(missing))
    rows = _data_rows(ws, header, merges)
    if not rows:
        raise bad_file("empty_file", N_("Trang “%(sheet)s” không có dòng dữ liệu nào dưới dòng tiêu đề."),
                       sheet=ws.title)
    return ParsedSheet(title=ws.title, header_row=header.last, columns=sorted(header.keys), rows=rows,
                       epoch=workbook.epoch, header_first=header.first)


def _data_rows(ws: Any, header: Header, merges: list[tuple[int, int, int, int]]) -> list[RawRow]:
    """The non-blank rows under the header; a cell merged down over several rows holds for each of them."""
    merged_down: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for min_col, min_row, _max_col, max_row in merges:
        if min_row > header.last and max_row > min_row and min_col <= MAX_COLUMNS:
            merged_down[min_row].append((min_col - 1, max_row))
    fills: dict[int, tuple[Cell, int]] = {}
    read = header.indexes
    rows: list[RawRow] = []
    for number, cells in enumerate(ws.iter_rows(min_row=header.last + 1, max_col=MAX_COLUMNS), header.last + 1):
        values = [_cell_value(c) for c in cells]
        for index, until in merged_down.get(number, ()):
            fills[index] = (values[index], until)
        own = any(values[i][0] is not None for i in read if i < len(values))
        for index, (value, until) in list(fills.items()):
            if number > until:
                del fills[index]
            elif values[index][0] is None:
                values[index] = value
        if not own:
            continue  # blank lines between blocks are common in hand-made lists (the scan bounded them)
        if len(rows) == MAX_ROWS:
            raise bad_file("too_many_rows", N_("Tệp có quá %(max)s người (dòng dữ liệu); hãy chia danh sách thành "
                                               "nhiều tệp."), max=thousands(MAX_ROWS))
        rows.append(header.extract(number, values))
    return rows


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
