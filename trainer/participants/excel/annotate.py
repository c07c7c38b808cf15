"""The uploaded workbook handed back with an error column, so a clerk fixes the list in Excel and uploads it again.

The workbook is the user's own (openpyxl loads and saves it: same sheets, columns, rows and values,
formulas kept as formulas); the list's sheet gains one column right of its last used column, headed
"Lỗi", holding each bad row's messages, and the bad rows are filled light red. An annotated file that
comes back with errors left reuses its "Lỗi" column: the old messages and fills are cleared first. Only
the cells written here are touched, and they are text (core.xlsx.put), never formulas.

openpyxl reads every sheet whole here, hidden ones too, so every worksheet part is scanned against one
upload's budget first (excel.scan): a file whose dry run was cheap cannot make this step expensive.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable

from openpyxl import load_workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from trainer.core.errors import DomainError
from trainer.core.xlsx import put
from trainer.participants.excel.reader import MAX_ROWS, ROW_ALLOWANCE
from trainer.participants.excel.results import RowError
from trainer.participants.excel.scan import Budget, scan_sheet

ERROR_HEADER = "Lỗi"
ERROR_RGB = "FFFFC7CE"  # Excel's own "light red fill" of conditional formatting
ERROR_FILL = PatternFill("solid", start_color=ERROR_RGB, end_color=ERROR_RGB)
NO_FILL = PatternFill(fill_type=None)
COLUMN_WIDTH = 60
TOO_LARGE = ("Tệp quá lớn để ghi lại kèm cột lỗi (các trang của tệp, kể cả trang ẩn, có quá nhiều ô). Hãy sửa tệp "
             "theo bảng lỗi trên trang kiểm tra rồi tải lên lại.")


def messages_by_row(errors: Iterable[RowError]) -> dict[int, list[str]]:
    """Each bad row's messages, "Column: message", in the order reported."""
    rows: dict[int, list[str]] = {}
    for error in errors:
        rows.setdefault(error.row, []).append(f"{error.column}: {error.message}" if error.column else error.message)
    return rows


def _check_parts(data: bytes) -> None:
    """Scan every worksheet before openpyxl reads them all (DomainError past the upload's budget)."""
    budget = Budget()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                try:
                    scan_sheet(archive, name, title=name.rsplit("/", 1)[-1], budget=budget,
                               max_row=MAX_ROWS + ROW_ALLOWANCE)
                except DomainError:
                    raise DomainError("error_file_too_large", TOO_LARGE) from None


def _error_column(sheet, header_rows: tuple[int, int]) -> tuple[int, bool]:
    """The column of the errors: the existing "Lỗi" header's, else the one after the last used; and whether
    it already existed."""
    first, last = header_rows
    for row in sheet.iter_rows(min_row=first, max_row=last):
        for cell in row:
            if isinstance(cell.value, str) and cell.value.strip() == ERROR_HEADER:
                return cell.column, True
    used = 0
    for row in sheet.iter_rows():
        for cell in reversed(row):
            if cell.value is not None:
                used = max(used, cell.column)
                break
    return used + 1, False


def _clear_old(sheet, column: int, header_last: int) -> None:
    """Forget an earlier annotation: its messages and its red fills."""
    for row in sheet.iter_rows(min_row=header_last + 1):
        for cell in row:
            if isinstance(cell, MergedCell):
                continue
            if cell.column == column:
                cell.value = None
            if cell.fill is not None and cell.fill.fill_type == "solid" and cell.fill.start_color.rgb == ERROR_RGB:
                cell.fill = NO_FILL


def annotate_workbook(data: bytes, *, sheet_title: str, header_rows: tuple[int, int],
                      messages: dict[int, list[str]]) -> bytes:
    """`data` (an upload that passed excel.reader) with the error column and fills on sheet `sheet_title`.

    Raises DomainError('error_file_too_large') when the whole workbook is too big to load."""
    _check_parts(data)
    workbook = load_workbook(io.BytesIO(data), data_only=False, keep_links=False)
    sheet = workbook[sheet_title]
    first, last = header_rows
    column, existed = _error_column(sheet, header_rows)
    if existed:
        _clear_old(sheet, column, last)
    else:
        header = put(sheet, first, column, ERROR_HEADER)
        header.font = Font(bold=True, color="FF9C0006")
        header.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        if last > first:  # a merged header: the error header is merged down over it too
            sheet.merge_cells(start_row=first, end_row=last, start_column=column, end_column=column)
    sheet.column_dimensions[get_column_letter(column)].width = COLUMN_WIDTH
    for number, lines in sorted(messages.items()):
        cell = put(sheet, number, column, "\n".join(lines))
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cell.font = Font(color="FF9C0006")
        for other in range(1, column + 1):
            target = sheet.cell(row=number, column=other)
            if not isinstance(target, MergedCell):
                target.fill = ERROR_FILL
    buffer = io.BytesIO()
    workbook.save(buffer)
    workbook.close()
    return buffer.getvalue()


__all__ = ["ERROR_HEADER", "ERROR_RGB", "annotate_workbook", "messages_by_row"]
